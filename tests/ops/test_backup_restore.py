"""`tejun backup` and `tejun restore`, run as an administrator would: real commands on real instances.

Each instance is a fresh database (a SQLite file, or a new PostgreSQL database when the suite runs on
PostgreSQL) with its own var/ directory, driven through manage.py in a subprocess. The source gets the
demo body and an uploaded file; the round trip must bring back every row, every file and a whole audit chain.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from ..instance import ON_POSTGRES, Instance


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A running instance with the demo body and two uploaded files, backed up once."""
    src = Instance(tmp_path_factory.mktemp("source"), "src")
    src.run("migrate", "--no-input")
    src.run("demo")
    for name, content in (("private/destruction/2026/a1b2.pdf", b"%PDF-1.4 certificate"),
                          ("private/contracts/2026/c3d4.png", b"\x89PNG\r\n\x1a\n photo")):
        path = src.var / "uploads" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    out = src.var.parent / "backups"
    done = src.run("backup", str(out))
    archive = next(out.glob("tejun-backup-*.tar"))
    assert str(archive) in done.stdout
    yield src, archive
    src.drop()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """An instance after `migrate` (tables, no data), copied for each test, and its row counts."""
    template = Instance(tmp_path_factory.mktemp("template"), "tpl")
    template.run("migrate", "--no-input")
    yield template, template.counts()
    template.drop()


@pytest.fixture
def empty(migrated, tmp_path):
    template, counts = migrated
    dst = Instance(tmp_path / "target", "dst", like=template)
    dst.empty_counts = counts
    yield dst
    dst.drop()


def test_round_trip_brings_back_every_row_and_file(source, empty):
    src, archive = source
    done = empty.run("restore", str(archive))
    assert "OK:" in done.stdout  # the restore command verifies the audit chain itself
    assert empty.counts() == src.counts()
    assert empty.files() == src.files()
    assert {"private/destruction/2026/a1b2.pdf", "private/contracts/2026/c3d4.png"} <= set(src.files())
    verified = empty.run("audit", "verify")
    assert "OK:" in verified.stdout and " 0 events" not in verified.stdout


def test_the_archive_lists_every_part_with_its_hash(source):
    _src, archive = source
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
        for name, part in manifest["parts"].items():
            assert hashlib.sha256(tar.extractfile(name).read()).hexdigest() == part["sha256"]
    assert names == set(manifest["parts"]) | {"manifest.json"}
    assert manifest["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert ["audit", "0001_initial"] in manifest["migrations"]


def _rewrite(archive: Path, target: Path, change) -> Path:
    """Copy the archive member by member, letting `change(name, data)` alter any of them."""
    with tarfile.open(archive) as src, tarfile.open(target, "w") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return target


def _refused(empty: Instance, archive: Path, words: str) -> None:
    done = empty.run("restore", str(archive), check=False)
    assert done.returncode != 0
    assert words in done.stderr, done.stderr
    assert empty.counts() == empty.empty_counts  # nothing changed
    assert empty.files() == {}


def test_a_damaged_database_part_is_refused(source, empty, tmp_path):
    _src, archive = source

    def flip(name, data):
        if name.startswith("database."):
            middle = len(data) // 2
            return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
        return data

    _refused(empty, _rewrite(archive, tmp_path / "damaged.tar", flip), "ハッシュが一致しません")


def test_a_truncated_archive_is_refused(source, empty, tmp_path):
    _src, archive = source
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _refused(empty, cut, "壊れています")


def test_an_archive_of_the_other_database_engine_is_refused(source, empty, tmp_path):
    _src, archive = source

    def other_engine(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["engine"] = "sqlite" if ON_POSTGRES else "postgresql"
            return json.dumps(manifest).encode()
        return data

    _refused(empty, _rewrite(archive, tmp_path / "other.tar", other_engine), "この環境は")


def test_an_archive_from_a_newer_tejun_is_refused(source, empty, tmp_path):
    _src, archive = source

    def newer(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"].append(["audit", "9999_from_the_future"])
            return json.dumps(manifest).encode()
        return data

    _refused(empty, _rewrite(archive, tmp_path / "newer.tar", newer), "新しい版")


def test_a_file_smuggled_in_beside_the_manifest_is_refused(source, empty, tmp_path):
    _src, archive = source
    smuggled = tmp_path / "smuggled.tar"
    _rewrite(archive, smuggled, lambda name, data: data)
    with tarfile.open(smuggled, "a") as tar:
        info = tarfile.TarInfo("uploads/private/extra.pdf")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"%PDF"))
    _refused(empty, smuggled, "マニフェストにない")


def test_restoring_over_data_is_refused(source):
    src, archive = source
    before = src.counts()
    done = src.run("restore", str(archive), check=False)
    assert done.returncode != 0 and "空ではありません" in done.stderr
    assert src.counts() == before

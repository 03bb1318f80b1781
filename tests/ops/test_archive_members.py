"""The archive reader refuses what could escape its folder, without touching the database."""

import io
import json
import tarfile

import pytest

from tejun.ops.archive import ArchiveError, read_checked


def _archive(path, members: dict[str, bytes], *, manifest=None):
    with tarfile.open(path, "w") as tar:
        data = json.dumps(manifest or {"format": "tejun-backup/1", "parts": {}}).encode()
        for name, content in {"manifest.json": data, **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "uploads/../../evil"])
def test_paths_leaving_the_folder_are_refused(tmp_path, name):
    archive = _archive(tmp_path / "a.tar", {name: b"x"})
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(ArchiveError, match="不正な項目"):
        read_checked(archive, work)
    assert list(work.iterdir()) == []


def test_a_link_is_refused(tmp_path):
    archive = tmp_path / "l.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("uploads/link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(ArchiveError, match="不正な項目"):
        read_checked(archive, tmp_path)


def test_not_a_tejun_backup(tmp_path):
    archive = tmp_path / "x.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("readme.txt")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(ArchiveError, match="manifest.json がありません"):
        read_checked(archive, tmp_path)


def test_a_part_listed_but_missing(tmp_path):
    manifest = {"format": "tejun-backup/1", "parts": {"database.sqlite3": {"sha256": "0" * 64, "size": 1}}}
    archive = _archive(tmp_path / "m.tar", {}, manifest=manifest)
    with pytest.raises(ArchiveError, match="欠けている"):
        read_checked(archive, tmp_path)


def test_not_a_tar_file(tmp_path):
    archive = tmp_path / "junk.tar"
    archive.write_bytes(b"this is not a tar file at all" * 40)
    with pytest.raises(ArchiveError, match="読めません"):
        read_checked(archive, tmp_path)

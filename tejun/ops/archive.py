"""`tejun backup DIR` and `tejun restore ARCHIVE`: the whole instance as one checked archive.

The archive is a tar file holding
- database.sqlite3 (SQLite's online backup API: a consistent copy while the app runs) or
  database.pgdump (pg_dump's custom format: one consistent snapshot);
- uploads/…: every uploaded file (MEDIA_ROOT);
- manifest.json: the format, the engine, the applied migrations and the sha256 and size of every part.

Restore reads nothing it has not checked: every member must be listed in the manifest with the
right hash, the engine must match the instance, the code must know every migration of the archive,
and the instance must be empty (no body, no user, no audit event, no uploaded file). Anything
else is refused with a message in Japanese and English, and nothing is changed.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "tejun-backup/1"
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DB_PART = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class ArchiveError(Exception):
    """A refusal: the message says what is wrong in Japanese and English."""

    def __init__(self, ja: str, en: str):
        super().__init__(f"{ja} / {en}")
        self.ja, self.en = ja, en


@dataclass
class BackupResult:
    path: Path
    parts: int
    uploads: int
    size: int


@dataclass
class RestoreResult:
    engine: str
    uploads: int
    created_at: str
    tables: dict = field(default_factory=dict)


def engine_name(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DB_PART:
        raise ArchiveError(f"このデータベース（{vendor}）には対応していません。", f"unsupported database: {vendor}")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env_and_args(alias: str = "default") -> tuple[dict, list[str]]:
    db = connections[alias].settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    """Run pg_dump, pg_restore or psql: an argument list, never a shell."""
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        tool = command[0]
        raise ArchiveError(f"{tool} が失敗しました: {done.stderr.strip()[:500]}",
                           f"{tool} failed: {done.stderr.strip()[:500]}")


def _dump_database(engine: str, target: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # SQLite's online backup API
        finally:
            destination.close()
    else:
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)


def applied_migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _upload_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(directory: Path) -> BackupResult:
    """Write tejun-backup-<timestamp>.tar into `directory` (created if missing)."""
    engine = engine_name()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = directory / f"tejun-backup-{stamp}.tar"
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".tejun-backup-") as tmp:
        db_file = Path(tmp) / DB_PART[engine]
        _dump_database(engine, db_file)
        parts = {DB_PART[engine]: {"sha256": _sha256(db_file), "size": db_file.stat().st_size}}
        uploads = _upload_files()
        for path in uploads:
            name = f"{UPLOADS}/{path.relative_to(root).as_posix()}"
            parts[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "engine": engine,
                    "migrations": applied_migrations(), "parts": parts}
        partial = Path(tmp) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=DB_PART[engine])
            for path in uploads:
                tar.add(path, arcname=f"{UPLOADS}/{path.relative_to(root).as_posix()}")
        os.replace(partial, final)  # the archive appears whole or not at all
    return BackupResult(final, len(parts), len(uploads), final.stat().st_size)


# --- restore -------------------------------------------------------------------------------------

def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def read_checked(archive: Path, workdir: Path) -> dict:
    """Unpack `archive` into `workdir` after checking every member against the manifest. Returns it."""
    try:
        tar = tarfile.open(archive, "r")
    except (OSError, tarfile.TarError) as e:
        raise ArchiveError(f"バックアップファイルを読めません（{e}）。", f"cannot read the archive ({e})") from None
    with tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, EOFError, OSError) as e:
            raise ArchiveError(f"バックアップファイルが壊れています（{e}）。", f"the archive is damaged ({e})") from None
        by_name = {}
        for m in members:
            if not m.isfile() or not _safe_member_name(m.name):
                raise ArchiveError(f"バックアップに不正な項目があります: {m.name}", f"unexpected archive member: {m.name}")
            by_name[m.name] = m
        if MANIFEST not in by_name:
            raise ArchiveError("manifest.json がありません。Tejun のバックアップではありません。",
                               "manifest.json is missing: not a Tejun backup")
        try:
            manifest = json.loads(tar.extractfile(by_name[MANIFEST]).read().decode())
            parts = manifest["parts"]
            assert manifest["format"] == FORMAT and isinstance(parts, dict)
        except Exception:
            raise ArchiveError("manifest.json が読めないか、形式が違います。",
                               "manifest.json is unreadable or of another format") from None
        listed, present = set(parts), set(by_name) - {MANIFEST}
        if listed - present:
            missing = sorted(listed - present)[0]
            raise ArchiveError(f"バックアップに欠けている部分があります: {missing}", f"part missing from the archive: {missing}")
        if present - listed:
            extra = sorted(present - listed)[0]
            raise ArchiveError(f"マニフェストにない部分があります: {extra}", f"part not in the manifest: {extra}")
        for name, expected in parts.items():
            target = workdir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest, size = hashlib.sha256(), 0
            try:
                with tar.extractfile(by_name[name]) as src, open(target, "wb") as dst:
                    for chunk in iter(lambda src=src: src.read(1 << 20), b""):
                        digest.update(chunk)
                        size += len(chunk)
                        dst.write(chunk)
            except (tarfile.TarError, EOFError, OSError) as e:
                raise ArchiveError(f"バックアップが壊れています（{name}: {e}）。", f"the archive is damaged ({name}: {e})") from None
            if digest.hexdigest() != expected.get("sha256") or size != expected.get("size"):
                raise ArchiveError(f"バックアップが壊れています: {name} のハッシュが一致しません。",
                                   f"the archive is damaged: the sha256 of {name} does not match")
    return manifest


def _check_matches_instance(manifest: dict, engine: str) -> None:
    if manifest.get("engine") != engine:
        raise ArchiveError(
            f"このバックアップは {manifest.get('engine')} のものです。この環境は {engine} です。",
            f"the archive was made on {manifest.get('engine')}, this instance runs {engine}")
    if DB_PART[engine] not in manifest["parts"]:
        raise ArchiveError("バックアップにデータベースがありません。", "the archive holds no database")
    known = {(app, name) for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = [f"{app}.{name}" for app, name in manifest.get("migrations", []) if (app, name) not in known]
    if unknown:
        raise ArchiveError(
            f"このバックアップは新しい版の Tejun で作られています（未知の移行: {unknown[0]}）。先に Tejun を更新してください。",
            f"the archive comes from a newer Tejun (unknown migration {unknown[0]}): upgrade first")


def _instance_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    for table in ("orgs_body", "orgs_user", "audit_auditevent"):
        if table in tables:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 (fixed names)
                if cursor.fetchone():
                    return False
    return True


def _uploads_empty() -> bool:
    return not _upload_files()


def restore_backup(archive: Path) -> RestoreResult:
    """Restore `archive` into this (empty) instance: the database, then the uploaded files."""
    engine = engine_name()
    if not archive.is_file():
        raise ArchiveError(f"ファイルがありません: {archive}", f"no such file: {archive}")
    if not _instance_is_empty():
        raise ArchiveError("復元先が空ではありません（団体・職員・監査ログがあります）。空の環境に復元してください。",
                           "the instance is not empty (bodies, users or audit events exist): restore into an empty one")
    if not _uploads_empty():
        raise ArchiveError(f"添付ファイルの保存先が空ではありません: {settings.MEDIA_ROOT}",
                           f"the upload directory is not empty: {settings.MEDIA_ROOT}")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked next to MEDIA_ROOT, so the checked files move into place with one rename at the end.
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".tejun-restore-") as tmp:
        work = Path(tmp)
        manifest = read_checked(archive, work)  # every part checked before anything is touched
        _check_matches_instance(manifest, engine)
        uploads = [name for name in manifest["parts"] if name.startswith(f"{UPLOADS}/")]
        _restore_database(engine, work / DB_PART[engine])
        if uploads:
            if media_root.exists():
                shutil.rmtree(media_root)  # holds no file (checked above), only empty folders
            os.replace(work / UPLOADS, media_root)
    return RestoreResult(engine=engine, uploads=len(uploads), created_at=manifest.get("created_at", ""))


def _restore_database(engine: str, dump: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)  # replaces every page of the live database file at once
        finally:
            source.close()
        connection.close()
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
    connection.close()
    env, args = _pg_env_and_args()
    script = dump.with_suffix(".sql")
    _run(["pg_restore", "--no-owner", "--no-privileges", "--file", str(script), str(dump)], env)
    # One transaction: the tables a fresh `migrate` made (checked to hold no data) are replaced by the
    # archive's; any error rolls everything back and leaves the database as it was.
    _run(["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1",
          "--command", f"DROP SCHEMA {schema} CASCADE; CREATE SCHEMA {schema};", "--file", str(script), *args], env)

"""A loadgen database and a gunicorn serving it, shared by the benchmark (bench/run.py) and the load run.

    with prepared_database("sqlite", "quick") as prepared:      # migrate, collectstatic, loadgen
        with gunicorn(prepared, workers=2) as server:           # production settings, free port
            requests.get(server.base_url + "/login/")
        prepared.run("audit", "verify")                         # any manage.py command, same env

SQLite: a new file under `workdir` (a temporary directory by default). PostgreSQL: a new database
tejun_bench_<engine>_<scale>_<random> on TEJUN_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432),
dropped at exit unless TEJUN_BENCH_KEEP=1 (the SQLite directory is then kept too).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
PG_BASE_DEFAULT = "postgres://postgres@127.0.0.1:5432"
ENGINES = ("sqlite", "postgres")
SCALES = ("quick", "full")


class PrepareError(RuntimeError):
    """A step of the preparation failed; the message carries the command's output."""


def _python() -> str:
    venv_python = VENV_BIN / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def _keep() -> bool:
    return os.environ.get("TEJUN_BENCH_KEEP", "") == "1"


@dataclass
class Prepared:
    engine: str
    scale: str
    env: dict[str, str]
    var_dir: Path
    info: dict = field(default_factory=dict)
    database: str = ""  # the PostgreSQL database name or the SQLite file path

    def run(self, *manage_args: str, check: bool = True, timeout: float | None = None) -> subprocess.CompletedProcess:
        """Runs `manage.py <args>` with this instance's environment (as `tejun <args>` would)."""
        command = [_python(), str(REPO / "manage.py"), *manage_args]
        result = subprocess.run(  # noqa: S603  (our own venv's manage.py)
            command,
            env=_child_env(self.env),
            cwd=self.var_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise PrepareError(
                f"{' '.join(manage_args)} exited {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result


def _child_env(env: dict[str, str]) -> dict[str, str]:
    # Production settings: TEJUN_DEBUG is never inherited from the caller's shell.
    merged = {**os.environ, **env}
    merged.pop("TEJUN_DEBUG", None)
    return merged


def parse_loadgen_line(stdout: str) -> dict:
    """The ids loadgen prints last: a line `LOADGEN {json}`."""
    for line in reversed(stdout.splitlines()):
        if line.startswith("LOADGEN "):
            return json.loads(line[len("LOADGEN ") :])
    raise PrepareError("loadgen printed no `LOADGEN {json}` line:\n" + stdout[-2000:])


def _pg_base() -> str:
    return os.environ.get("TEJUN_BENCH_PG_URL", PG_BASE_DEFAULT).rstrip("/")


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_base() + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def prepared_database(
    engine: str, scale: str, seed: int = 1, bodies: int = 0, workdir: Path | None = None
) -> Iterator[Prepared]:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
    own_dir = workdir is None
    root = Path(tempfile.mkdtemp(prefix=f"tejun-bench-{engine}-{scale}-")) if own_dir else Path(workdir)
    var_dir = root / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    dbname = ""
    if engine == "sqlite":
        database = str(var_dir / "tejun.sqlite3")
        url = f"sqlite:///{database}"
    else:
        dbname = f"tejun_bench_{engine}_{scale}_{secrets.token_hex(4)}"
        _pg_admin(f'CREATE DATABASE "{dbname}"')
        database = dbname
        url = f"{_pg_base()}/{dbname}"
    env = {
        "DATABASE_URL": url,
        "TEJUN_VAR_DIR": str(var_dir),
        "TEJUN_SECRET_KEY": secrets.token_urlsafe(48),
        "TEJUN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TEJUN_INSECURE_HTTP": "1",
    }
    prepared = Prepared(engine=engine, scale=scale, env=env, var_dir=var_dir, database=database)
    try:
        prepared.run("migrate", "--no-input", "-v0")
        _collect_static(prepared)
        started = time.monotonic()
        prepared.info = _populate(prepared, seed, bodies)
        prepared.info.setdefault("_loadgen_seconds", round(time.monotonic() - started, 1))
        yield prepared
    finally:
        if not _keep():
            if dbname:
                try:
                    _pg_admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                except Exception as exc:  # the run's own error matters more than a failed cleanup
                    print(f"bench: could not drop {dbname}: {exc}", file=sys.stderr)
            if own_dir:
                shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"bench: kept {database} (TEJUN_BENCH_KEEP=1)", file=sys.stderr)


def _static_key() -> str:
    """Changes when a static source or an installed package changes (compressing 40 MB of static files
    takes minutes on a loaded machine; the result is the same for every database)."""
    digest = hashlib.sha256()
    import django

    site = Path(django.__file__).resolve().parent.parent
    sources = sorted(REPO.glob("tejun/**/static/**/*")) + sorted(site.glob("*.dist-info"))
    for path in sources:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _collect_static(prepared: Prepared) -> None:
    cache_root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tejun-bench"
    cached = cache_root / f"static-{_static_key()}"
    target = prepared.var_dir / "static"
    if not (cached / "staticfiles.json").exists():
        prepared.run("collectstatic", "--no-input", "-v0")
        partial = cache_root / f"partial-{secrets.token_hex(4)}"
        try:
            cache_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(target, partial)
            partial.rename(cached)  # atomic: a parallel run never sees half a copy
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)  # another run won the race, or no writable cache
        return
    shutil.copytree(cached, target, dirs_exist_ok=True)


def _populate(prepared: Prepared, seed: int, bodies: int) -> dict:
    args = ["loadgen", "--scale", prepared.scale, "--seed", str(seed)]
    if bodies:
        args += ["--bodies", str(bodies)]
    info = parse_loadgen_line(prepared.run(*args).stdout)
    if prepared.engine == "postgres":
        # Fresh bulk rows have no planner statistics yet (the planner guessed 1 row for 100,000 assets and
        # chose sorts) and no visibility map (no index-only scans for counts); in production autovacuum has
        # long done both.
        _pg_analyze(prepared.env["DATABASE_URL"])
    else:
        # In production `tejun tick` runs ANALYZE on SQLite every day (tejun/ops/maintenance.py).
        prepared.run("shell", "-c", "from tejun.ops.maintenance import refresh_statistics; refresh_statistics()")
    return info


def _pg_analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        # The bulk load's pages are still being written out by the checkpointer for minutes; measured during
        # that, the first scenarios (and audit verify's reads) paid for the load, not for their own work.
        try:
            conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:  # another server's user (TEJUN_BENCH_PG_URL) may not
            print("bench: CHECKPOINT not allowed for this user; measuring without it", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log_path: Path

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's children, read from /proc."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return sorted(int(pid) for pid in children.read_text().split())
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def rss_mb(self) -> dict[int, float]:
        """Resident memory per worker now (VmRSS), in MB."""
        return {pid: round(_status_kb(pid, "VmRSS") / 1024, 1) for pid in self.worker_pids()}

    def peak_mb(self) -> dict[int, float]:
        """Highest resident memory per worker since it started (VmHWM), in MB."""
        return {pid: round(_status_kb(pid, "VmHWM") / 1024, 1) for pid in self.worker_pids()}

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@contextmanager
def gunicorn(prepared: Prepared, workers: int = 2, port: int | None = None, timeout: int = 120) -> Iterator[Server]:
    port = port or free_port()
    binary = VENV_BIN / "gunicorn"
    command = [
        str(binary) if binary.exists() else "gunicorn",
        "tejun.wsgi:application",
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--timeout", str(timeout),
        "--error-logfile", "-",
    ]  # fmt: skip
    log_path = prepared.var_dir / f"gunicorn-{port}.log"
    log = open(log_path, "w")
    process = subprocess.Popen(  # noqa: S603  (our own venv's gunicorn)
        command, env=_child_env(prepared.env), cwd=prepared.var_dir, stdout=log, stderr=subprocess.STDOUT
    )
    server = Server(process=process, base_url=f"http://127.0.0.1:{port}", log_path=log_path)
    try:
        _wait_ready(server, workers)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_ready(server: Server, workers: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise PrepareError(f"gunicorn exited {server.process.returncode}\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.base_url + "/login/", timeout=5) as response:  # noqa: S310
                if response.status == 200 and len(server.worker_pids()) >= workers:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise PrepareError(f"gunicorn did not answer /login/ within {timeout:.0f} s\n{server.log_tail()}")

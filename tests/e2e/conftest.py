"""The real server and a headless Chromium for the browser tests.

Each test module gets its own server, run as a subprocess on a fresh SQLite file with the
demo body loaded (pytest-django's live_server would flush the test database, which the audit
triggers refuse). No `db` fixture is involved: the tests never touch the database in-process.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, ROOT


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(proc: subprocess.Popen, url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {proc.returncode}): {proc.stdout.read()}")
        try:
            with urlopen(url, timeout=1) as response:  # noqa: S310  (our own server on 127.0.0.1)
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.1)  # polling the server that is starting, not waiting for the page
    raise RuntimeError(f"the server did not answer at {url} within {timeout}s")


def demo_server(tmp_path_factory, **extra_env: str) -> Iterator[str]:
    """A runserver on a fresh SQLite file with the demo body loaded; `extra_env` adds settings (e.g.
    TEJUN_MEDIUM_SELECT_MAX). Yields its base URL and stops it afterwards."""
    var = tmp_path_factory.mktemp("e2e-var")
    env = {**os.environ, "TEJUN_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'e2e.sqlite3'}",
           "TEJUN_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "tejun.settings", "PYTHONUNBUFFERED": "1", **extra_env}
    for key in ("TEJUN_SECRET_KEY", "TEJUN_ALLOWED_HOSTS"):
        env.pop(key, None)
    manage = [_python(), "manage.py"]
    for command in (["migrate", "--no-input"], ["demo"]):
        done = subprocess.run(manage + command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
        if command == ["demo"]:
            assert DEMO_PASSWORD in done.stdout, "demo must print the known password in debug mode"
    port = _free_port()
    proc = subprocess.Popen(manage + ["runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, f"{base}/login/")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    yield from demo_server(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which("chromium") or Path(CHROMIUM).exists()):
        pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk); CI installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[dev]')")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()

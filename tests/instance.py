"""A whole Tejun instance for tests that drive manage.py in a subprocess, as an administrator would.

A fresh database (a SQLite file, or a new PostgreSQL database when the suite runs on PostgreSQL)
with its own var/ directory.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

# Every row of every table, as the restored instance must have it.
COUNT_TABLES = """
import json
from django.db import connection
with connection.cursor() as c:
    counts = {}
    for t in sorted(connection.introspection.table_names()):
        c.execute(f'SELECT COUNT(*) FROM "{t}"')
        counts[t] = c.fetchone()[0]
print(json.dumps(counts))
"""


class Instance:
    def __init__(self, var: Path, name: str, *, like: "Instance | None" = None):
        """A new instance; `like`: a copy of that (migrated, empty) one instead of a bare database."""
        self.var = var
        var.mkdir(parents=True, exist_ok=True)
        if ON_POSTGRES:
            base = urlsplit(os.environ["DATABASE_URL"])
            self.db_name = f"tejun_ops_{name}_{uuid.uuid4().hex[:8]}"
            self.admin_url = urlunsplit(base._replace(path="/postgres"))
            self.url = urlunsplit(base._replace(path=f"/{self.db_name}"))
            template = f' TEMPLATE "{like.db_name}"' if like else ""
            self._psql(f'CREATE DATABASE "{self.db_name}"{template}')
        else:
            self.url = f"sqlite:///{var / 'tejun.sqlite3'}"
            if like:
                shutil.copyfile(like.var / "tejun.sqlite3", var / "tejun.sqlite3")

    def _psql(self, sql: str) -> None:
        subprocess.run(["psql", self.admin_url, "-q", "-c", sql], check=True, capture_output=True)

    def drop(self) -> None:
        if ON_POSTGRES:
            self._psql(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "DATABASE_URL": self.url, "TEJUN_VAR_DIR": str(self.var), "TEJUN_DEBUG": "1",
               "DJANGO_SETTINGS_MODULE": "tejun.settings"}
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)
        if check:
            assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def counts(self) -> dict[str, int]:
        # The last line: anything an app prints on start-up comes before it.
        return json.loads(self.run("shell", "-c", COUNT_TABLES).stdout.strip().splitlines()[-1])

    def files(self) -> dict[str, str]:
        root = self.var / "uploads"
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in root.rglob("*") if p.is_file()} if root.exists() else {}

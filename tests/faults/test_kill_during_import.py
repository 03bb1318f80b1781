"""Killing the process in the middle of an import's commit leaves nothing imported (DESIGN rule 6).

A real instance (tests/instance.py) with the demo body; a subprocess uploads a register of 300 rows
and commits it, and is killed with SIGKILL while the commit's transaction is open (after the rows
were written, before the audit events). Afterwards the register, the batch and the audit chain are
exactly as before, and the same batch still commits in full.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from ..instance import ROOT, Instance

COMMIT_AND_HANG = """
import sys, time
from pathlib import Path
from tests.assets.io_helpers import make_xlsx, row
from tejun.assets import imports
from tejun.orgs.models import User

ready = Path(sys.argv[1])
actor = User.objects.get(login_id="kyokucho")
rows = [row(**{"資産名称": f"取込テスト資産{i:04d}"}) for i in range(300)]
batch = imports.upload_batch(actor=actor, file_name="register.xlsx", data=make_xlsx(rows), mode="create")
assert batch.status == "validated", batch.errors[:3]
print(batch.pk, flush=True)

def hang(*args, **kwargs):  # inside commit_batch's transaction, the assets already inserted
    ready.write_text("in the transaction")
    time.sleep(600)

imports.record_many = hang
imports.commit_batch(batch, actor=actor)
"""

COUNT = """
from tejun.assets.models import Asset, ImportBatch
from tejun.audit.models import AuditEvent
print(Asset.objects.filter(name__startswith="取込テスト資産").count(), ImportBatch.objects.get().status,
      AuditEvent.objects.count())
"""

COMMIT = """
from tejun.assets import imports
from tejun.assets.models import ImportBatch
from tejun.orgs.models import User
imports.commit_batch(ImportBatch.objects.get(), actor=User.objects.get(login_id="kyokucho"))
"""


@pytest.fixture
def instance(tmp_path):
    inst = Instance(tmp_path / "instance", "kill")
    inst.run("migrate", "--no-input")
    inst.run("demo")
    yield inst
    inst.drop()


def _shell(inst: Instance, code: str) -> str:
    return inst.run("shell", "-c", code).stdout.strip().splitlines()[-1]


def test_a_killed_commit_leaves_nothing_behind(instance, tmp_path):
    ready = tmp_path / "ready"
    env = {**os.environ, "DATABASE_URL": instance.url, "TEJUN_VAR_DIR": str(instance.var), "TEJUN_DEBUG": "1",
           "DJANGO_SETTINGS_MODULE": "tejun.settings"}
    script = tmp_path / "commit_and_hang.py"
    script.write_text(COMMIT_AND_HANG)
    proc = subprocess.Popen([sys.executable, "manage.py", "shell", "-c",
                             f"import sys; sys.argv = ['x', {str(ready)!r}]; exec(open({str(script)!r}).read())"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the import never reached its commit"
            time.sleep(0.2)  # waiting for the other process, not for a result
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assets, status, events = _shell(instance, COUNT).split()
    assert (assets, status) == ("0", "validated")
    assert "OK:" in instance.run("audit", "verify").stdout
    # Nothing was lost either: the same batch commits in full.
    instance.run("shell", "-c", COMMIT)
    assets_after, status_after, events_after = _shell(instance, COUNT).split()
    assert (assets_after, status_after) == ("300", "committed")
    assert int(events_after) == int(events) + 300 + 1  # one event per asset and the commit
    assert "OK:" in instance.run("audit", "verify").stdout

"""`tejun audit verify` on a long chain splits it among forked processes: run as a real command on a real
instance (a SQLite file, or a new PostgreSQL database when the suite runs on PostgreSQL), with the split
forced on a small chain. A change in the second half is still found and named."""

import pytest

from ..instance import Instance

TAMPER = """
import json
from django.db import connection
from tejun.audit.models import AuditEvent
top = AuditEvent.objects.filter(chain_key={key}).order_by("-seq").values_list("seq", flat=True).first()
victim = AuditEvent.objects.get(chain_key={key}, seq=top - 2)
with connection.cursor() as cur:
    if connection.vendor == "sqlite":
        cur.execute("DROP TRIGGER audit_event_no_update")
    else:
        cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
    cur.execute("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [victim.pk])
print(json.dumps({{"seq": victim.seq, "id": victim.pk}}))
"""


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("TEJUN_AUDIT_VERIFY_PARALLEL_MIN", "10")
    monkeypatch.setenv("TEJUN_AUDIT_VERIFY_WORKERS", "3")
    inst = Instance(tmp_path / "var", "verify")
    inst.run("migrate", "--no-input")
    inst.run("demo")
    yield inst
    inst.drop()


def test_split_verify_passes_then_names_the_changed_event(instance):
    done = instance.run("audit", "verify")
    assert done.stdout.startswith("OK: ") and "監査ログは改ざんされていません" in done.stdout
    key = instance.run("shell", "-c", "from tejun.orgs.models import Body; print(Body.objects.get().pk)"
                       ).stdout.strip().splitlines()[-1]
    import json

    victim = json.loads(instance.run("shell", "-c", TAMPER.format(key=key)).stdout.strip().splitlines()[-1])
    done = instance.run("audit", "verify", check=False)
    assert done.returncode == 1
    assert f"seq {victim['seq']} (event id {victim['id']}): content was altered" in done.stderr

"""Seed the P-10 contact matrix for existing bodies; turn the media app's pending incident records
(lost media noted before this app existed) into real incidents and mark them picked up."""

from django.db import migrations
from django.db.models.functions import Length

from tejun.incidents import matrix


def seed_matrix(apps, schema_editor):
    Body = apps.get_model("orgs", "Body")
    ContactParty = apps.get_model("incidents", "ContactParty")
    ContactCase = apps.get_model("incidents", "ContactCase")
    for body_id in Body.objects.values_list("pk", flat=True):
        matrix.seed(body_id, ContactParty, ContactCase)


def pick_up_pending(apps, schema_editor):
    PendingIncident = apps.get_model("media", "PendingIncident")
    Incident = apps.get_model("incidents", "Incident")
    TimelineEntry = apps.get_model("incidents", "TimelineEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Medium = apps.get_model("media", "Medium")
    pending = list(PendingIncident.objects.filter(picked_up_at__isnull=True).order_by("reported_at", "pk"))
    if not pending:
        return
    from django.utils import timezone

    medium_type, _created = ContentType.objects.get_or_create(app_label="media", model="medium")
    for row in pending:
        last = (Incident.objects.filter(body_id=row.body_id, number__startswith="IN-")
                .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
        number = f"IN-{(int(last.rsplit('-', 1)[1]) + 1 if last else 1):05d}"
        medium = Medium.objects.get(pk=row.medium_id)
        incident = Incident.objects.create(
            body_id=row.body_id, requester_id=row.reported_by_id, state="reported", number=number,
            kind="leak_loss", title=f"記録媒体の紛失：{medium.number}"[:200], description=row.description,
            reported_at=row.reported_at, source_type=medium_type, source_id=str(medium.pk),
            source_label=f"記録媒体 {medium.number}"[:300])
        TimelineEntry.objects.create(incident=incident, kind="transition", at=row.reported_at,
                                     author_id=row.reported_by_id,
                                     text="報告：情報の漏えい・紛失（記録媒体の引継ぎ記録から作成）")
        row.picked_up_at = timezone.now()
        row.save(update_fields=["picked_up_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("media", "0003_media_register"),
        ("orgs", "0002_constraint_messages"),
    ]

    operations = [
        migrations.RunPython(seed_matrix, migrations.RunPython.noop),
        migrations.RunPython(pick_up_pending, migrations.RunPython.noop),
    ]

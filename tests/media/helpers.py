"""Shared by the audit, workflow, media and notify tests: a valid P-01 request, one call away."""

from datetime import timedelta

from django.utils import timezone

from tejun.media.services import create_carry_out


def carry_out_fields(**overrides) -> dict:
    today = timezone.localdate()
    fields = {
        "data_description": "議事録の下書き（第3回定例会）",
        "confidentiality": 2,
        "purpose": "自宅での校正作業のため",
        "destination": "委員長の自宅",
        "encrypted": True,
        "password_protected": False,
        "locked_case": False,
        "protection_note": "",
        "out_date": today,
        "due_date": today + timedelta(days=3),
    }
    fields.update(overrides)
    return fields


def new_carry_out(actor, **overrides):
    return create_carry_out(actor=actor, **carry_out_fields(**overrides))


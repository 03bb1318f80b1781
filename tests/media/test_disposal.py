"""P-02, C-1(5): disposal requests and destruction records, with every refusal."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.lib.errors import Forbidden, InvalidInput, WrongState
from tejun.media.disposal_services import (
    create_disposal,
    disposal_actions,
    precheck_destruction,
    record_destruction,
    update_disposal,
)
from tejun.media.models import DestructionRecord, DisposalRequest, Medium
from tejun.media.services import medium_usable
from tejun.workflow.engine import perform
from tejun.workflow.models import TransitionLog

from .flow_helpers import PNG_BYTES, destruction_fields, level, medium, pdf_upload, png_upload, text_as_png
from .helpers import new_carry_out


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _status(m) -> str:
    return Medium.objects.get(pk=m.pk).status


def _snapshot(disposal):
    """What must not change when a step is refused."""
    return (DisposalRequest.objects.get(pk=disposal.pk).state, _status(disposal.medium),
            DestructionRecord.objects.count(), AuditEvent.objects.count(), TransitionLog.objects.count())


@pytest.fixture
def class2(body, staff, officer):
    return create_disposal(actor=staff, medium=medium(body, staff, level_code="2"), reason="故障のため")


@pytest.fixture
def class1(body, staff, officer):
    return create_disposal(actor=staff, medium=medium(body, staff, level_code="1"), reason="容量不足のため更新")


# --- the request ---------------------------------------------------------------------------------------

def test_request_marks_the_medium_and_defaults_the_level(class2, staff, officer, body):
    assert class2.state == "submitted" and class2.requester == staff
    assert class2.highest_level == level(body, "2") and class2.needs_approval
    assert class2.number.startswith("DS-")
    assert _status(class2.medium) == Medium.Status.DISPOSAL_REQUESTED
    assert AuditEvent.objects.filter(object_type="media.DisposalRequest", object_id=str(class2.pk),
                                     action="create").exists()
    change = AuditEvent.objects.get(object_type="media.Medium", object_id=str(class2.medium_id))
    assert (change.before["status"], change.after["status"]) == ("stored", "disposal_requested")
    ok, reason = medium_usable(Medium.objects.get(pk=class2.medium_id), timezone.localdate())
    assert not ok and "廃棄申請中" in reason


def test_level_may_be_raised_but_not_lowered(staff, body):
    m = medium(body, staff, level_code="2")
    with pytest.raises(InvalidInput) as exc:
        create_disposal(actor=staff, medium=m, reason="故障", highest_level=level(body, "1"))
    assert set(exc.value.fields) == {"highest_level"}
    assert _status(m) == Medium.Status.STORED and not DisposalRequest.objects.exists()
    d = create_disposal(actor=staff, medium=m, reason="故障", highest_level=level(body, "3"))
    assert d.highest_level.code == "3"


def test_level_is_needed_when_the_register_has_none(staff, body):
    m = medium(body, staff, level_code=None)
    with pytest.raises(InvalidInput) as exc:
        create_disposal(actor=staff, medium=m, reason="故障")
    assert "highest_level" in exc.value.fields


def test_another_bodys_level_is_refused(staff, body, outsider):
    m = medium(body, staff)
    with pytest.raises(InvalidInput) as exc:
        create_disposal(actor=staff, medium=m, reason="故障", highest_level=level(outsider.body, "3"))
    assert "highest_level" in exc.value.fields


def test_reason_is_required(staff, body):
    with pytest.raises(InvalidInput) as exc:
        create_disposal(actor=staff, medium=medium(body, staff), reason="   ")
    assert exc.value.fields == {"reason": "入力してください。"}


@pytest.mark.parametrize("status", ["out", "lost", "disposal_requested", "disposed"])
def test_only_a_stored_medium(staff, body, status):
    with pytest.raises(InvalidInput) as exc:
        create_disposal(actor=staff, medium=medium(body, staff, status=status), reason="故障")
    assert "medium" in exc.value.fields


def test_not_while_a_carry_out_is_under_way(staff, officer, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m)
    with pytest.raises(InvalidInput) as exc:
        create_disposal(actor=staff, medium=m, reason="故障")
    assert req.number in exc.value.fields["medium"]


def test_staff_may_not_ask_for_someone_elses_medium(staff, staff2, staff_in_charge, body):
    m = medium(body, staff2)
    with pytest.raises(Forbidden):
        create_disposal(actor=staff, medium=m, reason="故障")
    assert create_disposal(actor=staff_in_charge, medium=m, reason="故障").requester == staff_in_charge


def test_vendor_may_not_ask(vendor, body):
    with pytest.raises(Forbidden):
        create_disposal(actor=vendor, medium=medium(body, vendor), reason="故障")


def test_another_bodys_medium_is_refused(staff, outsider):
    with pytest.raises(InvalidInput) as exc:
        create_disposal(actor=staff, medium=medium(outsider.body, outsider), reason="故障")
    assert exc.value.fields == {"medium": "選択できない記録媒体です。"}


@pytest.mark.parametrize("how", ["reject", "withdraw"])
def test_reject_or_withdraw_puts_the_medium_back(class2, staff, officer, how):
    if how == "reject":
        perform(class2, "reject", officer, comment="まだ使えます")
    else:
        perform(class2, "withdraw", staff)
    assert _status(class2.medium) == Medium.Status.STORED
    # And it may be asked for again.
    assert create_disposal(actor=staff, medium=Medium.objects.get(pk=class2.medium_id), reason="再申請")


def test_sent_back_keeps_it_requested_and_may_be_corrected(class2, staff, officer, body):
    perform(class2, "send_back", officer, comment="機密性を確認してください")
    assert _status(class2.medium) == Medium.Status.DISPOSAL_REQUESTED
    with pytest.raises(InvalidInput):
        update_disposal(class2, actor=staff, highest_level=level(body, "1"))
    updated = update_disposal(class2, actor=staff, highest_level=level(body, "3"), reason="故障（読込不可）")
    assert updated.highest_level.code == "3" and updated.reason == "故障（読込不可）"
    perform(updated, "resubmit", staff)


def test_approving_ones_own_disposal_is_refused(officer, body):
    d = create_disposal(actor=officer, medium=medium(body, officer), reason="故障")
    with pytest.raises(Forbidden):
        perform(d, "approve", officer)
    assert DisposalRequest.objects.get(pk=d.pk).state == "submitted"


# --- class 2 or higher ------------------------------------------------------------------------------------

def test_class2_cannot_be_closed_without_approval(class2, staff, officer):
    before = _snapshot(class2)
    with pytest.raises(WrongState) as exc:
        record_destruction(class2, actor=staff, file=png_upload(), **destruction_fields())
    assert "承認" in exc.value.message
    with pytest.raises(WrongState):  # not even the officer may skip the approval
        record_destruction(class2, actor=officer, file=png_upload(), **destruction_fields())
    with pytest.raises(WrongState):
        precheck_destruction(class2, staff)
    assert _snapshot(class2) == before
    assert "record_destruction" not in [t.name for t, _a in disposal_actions(staff, class2)]


@pytest.mark.parametrize("method", ["overwrite", "degauss"])
def test_class2_needs_physical_destruction(class2, staff, officer, method):
    perform(class2, "approve", officer)
    before = _snapshot(class2)
    with pytest.raises(InvalidInput) as exc:
        record_destruction(class2, actor=staff, file=png_upload(), **destruction_fields(method=method))
    assert "物理的に破壊" in exc.value.fields["method"]
    assert _snapshot(class2) == before


def test_class2_cannot_be_closed_without_a_record(class2, staff, officer):
    perform(class2, "approve", officer)
    before = _snapshot(class2)
    with pytest.raises(InvalidInput) as exc:
        record_destruction(class2, actor=staff)
    assert set(exc.value.fields) >= {"method", "performer", "witness", "performed_at", "place"}
    with pytest.raises(InvalidInput) as exc:  # a record without evidence
        record_destruction(class2, actor=staff, **destruction_fields())
    assert set(exc.value.fields) == {"file"}
    assert _snapshot(class2) == before


def test_class2_closed_with_a_photo(class2, staff, officer, body, settings):
    perform(class2, "approve", officer)
    d = record_destruction(class2, actor=staff, file=png_upload("破砕後の写真.png"), comment="破砕を確認",
                           **destruction_fields(method="drill"))
    assert d.state == "destroyed"
    record = DestructionRecord.objects.get(disposal=d)
    assert record.method == "drill" and record.recorded_by == staff and record.body_id == body.pk
    assert record.file_name == "破砕後の写真.png"
    assert record.file.name.startswith("private/destruction/") and record.file.name.endswith(".png")
    import hashlib

    assert record.file_sha256 == hashlib.sha256(PNG_BYTES).hexdigest()
    assert (settings.MEDIA_ROOT / record.file.name).read_bytes() == PNG_BYTES
    event = AuditEvent.objects.get(object_type="media.DestructionRecord", object_id=str(record.pk))
    assert event.after["file_sha256"] == record.file_sha256 and event.actor == staff
    log = TransitionLog.objects.get(object_id=str(d.pk), transition="record_destruction")
    assert log.data["file_sha256"] == record.file_sha256 and log.data["file"] == "破砕後の写真.png"
    assert _status(d.medium) == Medium.Status.DISPOSED


def test_class2_closed_with_a_certificate_number_only(class2, staff, officer):
    perform(class2, "approve", officer)
    d = record_destruction(class2, actor=officer, **destruction_fields(method="shred", certificate_number="C-2026-001"))
    assert d.destruction.certificate_number == "C-2026-001" and not d.destruction.file


def test_a_pdf_certificate_is_accepted(class2, staff, officer):
    perform(class2, "approve", officer)
    d = record_destruction(class2, actor=staff, file=pdf_upload(), **destruction_fields())
    assert d.destruction.file.name.endswith(".pdf")


def test_a_text_file_named_png_is_refused(class2, staff, officer):
    perform(class2, "approve", officer)
    before = _snapshot(class2)
    with pytest.raises(InvalidInput) as exc:
        record_destruction(class2, actor=staff, file=text_as_png(), **destruction_fields())
    assert "形式" in exc.value.fields["file"]
    assert _snapshot(class2) == before


def test_an_oversize_upload_is_refused(class2, staff, officer):
    perform(class2, "approve", officer)
    big = SimpleUploadedFile("big.png", PNG_BYTES + b"\0" * (10 * 1024 * 1024), content_type="image/png")
    before = _snapshot(class2)
    with pytest.raises(InvalidInput) as exc:
        record_destruction(class2, actor=staff, file=big, **destruction_fields())
    assert "大きすぎます" in exc.value.fields["file"]
    assert _snapshot(class2) == before


def test_witness_is_not_the_performer(class2, staff, officer):
    perform(class2, "approve", officer)
    with pytest.raises(InvalidInput) as exc:
        record_destruction(class2, actor=staff, file=png_upload(),
                           **destruction_fields(performer="職員 四郎", witness="職員 四郎"))
    assert set(exc.value.fields) == {"witness"}


def test_performed_in_the_future_is_refused(class2, staff, officer):
    perform(class2, "approve", officer)
    with pytest.raises(InvalidInput) as exc:
        record_destruction(class2, actor=staff, file=png_upload(),
                           **destruction_fields(performed_at=timezone.now() + timedelta(days=1)))
    assert set(exc.value.fields) == {"performed_at"}


def test_others_may_not_record(class2, staff2, officer):
    perform(class2, "approve", officer)
    with pytest.raises(Forbidden):
        record_destruction(class2, actor=staff2, file=png_upload(), **destruction_fields())


def test_unknown_fields_are_refused(class2, staff, officer):
    perform(class2, "approve", officer)
    with pytest.raises(InvalidInput) as exc:
        record_destruction(class2, actor=staff, colour="red", **destruction_fields())
    assert set(exc.value.fields) == {"colour"}


# --- lower classes ---------------------------------------------------------------------------------------

def test_class1_may_skip_approval_and_use_any_method(class1, staff):
    assert not class1.needs_approval
    assert "record_destruction" in [t.name for t, _a in disposal_actions(staff, class1)]
    d = record_destruction(class1, actor=staff, **destruction_fields(method="overwrite"))
    assert d.state == "destroyed" and d.destruction.method == "overwrite"
    assert _status(d.medium) == Medium.Status.DISPOSED


# --- disposed for good ---------------------------------------------------------------------------------

def test_a_disposed_medium_never_goes_out_again(class1, staff, officer):
    record_destruction(class1, actor=staff, **destruction_fields(method="overwrite"))
    m = Medium.objects.get(pk=class1.medium_id)
    ok, _reason = medium_usable(m, timezone.localdate())
    assert not ok
    with pytest.raises(InvalidInput) as exc:
        new_carry_out(staff, medium=m)
    assert "廃棄済" in exc.value.fields["medium"]
    with pytest.raises(InvalidInput):
        create_disposal(actor=staff, medium=m, reason="もう一度")
    with pytest.raises(WrongState):  # the request is closed
        perform(DisposalRequest.objects.get(pk=class1.pk), "withdraw", staff)
    assert _status(m) == Medium.Status.DISPOSED


def test_class2_waiting_for_approval_is_nobody_elses_task(class2, staff, officer, manager):
    """Until the officer approves, 破壊の記録 is neither a button, a task nor a notice for anyone."""
    from tejun.workflow.engine import next_actors
    from tejun.workflow.selectors import my_tasks

    assert next_actors(class2) == {officer, staff}  # the officer decides; the requester may withdraw
    for person in (staff, manager):
        actions = [t.name for g in my_tasks(person) for item in g["items"] if item["object"] == class2
                   for t in item["actions"]]
        assert "record_destruction" not in actions
    approved = perform(class2, "approve", officer)
    assert {t.name for t, _a in disposal_actions(manager, approved)} == {"record_destruction"}


def test_only_the_requester_corrects_and_only_after_a_send_back(class2, staff, officer, body):
    with pytest.raises(WrongState):  # still submitted: nothing to correct yet
        update_disposal(class2, actor=staff, reason="別の理由")
    perform(class2, "send_back", officer, comment="理由を詳しく")
    with pytest.raises(Forbidden):  # the officer may send it back, not rewrite it
        update_disposal(class2, actor=officer, reason="別の理由")
    assert DisposalRequest.objects.get(pk=class2.pk).reason == class2.reason

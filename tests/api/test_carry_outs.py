"""/api/v1/carry-outs/: P-01 requests through the API, each transition a POST."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.media.models import CarryOutRequest
from tejun.notify.models import Notification
from tejun.workflow.engine import perform
from tejun.workflow.models import TransitionLog

from ..factories import UserFactory, give_role
from ..media.helpers import carry_out_fields, new_carry_out
from .helpers import assert_error, ids, results, token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/carry-outs/"


def detail(obj_or_id):
    return f"{LIST}{getattr(obj_or_id, 'pk', obj_or_id)}/"


def payload(**overrides):
    """carry_out_fields as JSON: dates as ISO strings."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in carry_out_fields(**overrides).items()}


@pytest.fixture
def submitted(staff, officer):
    # The officer exists, so the request has someone to decide it.
    return new_carry_out(staff)


@pytest.fixture
def theirs(outsider):
    return new_carry_out(outsider)


# --- list and retrieve -------------------------------------------------------------------------

def test_requester_sees_own_requests_only(staff, staff2, submitted, theirs):
    mine2 = new_carry_out(staff2)
    assert ids(token_client(staff).get(LIST)) == {submitted.pk}
    assert ids(token_client(staff2).get(LIST)) == {mine2.pk}


def test_officer_sees_the_whole_body_but_never_another_body(officer, staff, staff2, submitted, theirs, outsider):
    mine2 = new_carry_out(staff2)
    rows = results(token_client(officer).get(LIST))
    assert {r["id"] for r in rows} == {submitted.pk, mine2.pk}
    row = next(r for r in rows if r["id"] == submitted.pk)
    assert row["state"] == "submitted"
    assert row["state_label"] == "申請中"
    assert row["requester"] == staff.full_name
    assert row["available_transitions"] == ["approve", "send_back", "reject"]
    # And the other body's officer does not see ours.
    assert ids(token_client(outsider).get(LIST)) == {theirs.pk}


def test_list_filters_by_state_and_text(officer, staff, submitted):
    other = new_carry_out(staff, destination="県庁の会議室")
    perform(other, "approve", officer)
    client = token_client(officer)
    assert ids(client.get(LIST, {"state": "approved"})) == {other.pk}
    assert ids(client.get(LIST, {"state": "submitted"})) == {submitted.pk}
    assert ids(client.get(LIST, {"q": "県庁"})) == {other.pk}
    assert ids(client.get(LIST, {"q": submitted.number})) == {submitted.pk}


@pytest.mark.parametrize("params", [{"state": "nonsense"}, {"q": "x" * 1000}, {"page": "abc"}, {"page": "999"}])
def test_bad_list_parameters_are_errors_not_crashes(officer, submitted, params):
    r = token_client(officer).get(LIST, params)
    assert r.status_code in (400, 404)
    assert_error(r, r.status_code)


def test_retrieve_own(staff, submitted):
    r = token_client(staff).get(detail(submitted))
    assert r.status_code == 200
    body = r.json()
    assert body["number"] == submitted.number
    assert body["available_transitions"] == ["withdraw"]
    assert body["confidentiality"] == 2


@pytest.mark.parametrize("who", ["staff2", "vendor", "outsider"])
def test_retrieve_what_is_not_visible_is_404(request, submitted, who):
    client = token_client(request.getfixturevalue(who))
    assert_error(client.get(detail(submitted)), 404, "not_found")


def test_another_bodys_request_is_404_even_to_their_officer_rank(officer, theirs):
    assert_error(token_client(officer).get(detail(theirs)), 404, "not_found")


@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", "0", str(10**30), "%20", "1e3"])
def test_ids_that_are_not_ours_or_not_numbers_are_404(officer, submitted, pk):
    assert_error(token_client(officer).get(f"{LIST}{pk}/"), 404, "not_found")


# --- create ------------------------------------------------------------------------------------

def test_create(staff, officer):
    r = token_client(staff).post(LIST, payload(), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    obj = CarryOutRequest.objects.get(pk=body["id"])
    assert obj.requester == staff
    assert obj.body == staff.body
    assert body["state"] == "submitted"
    assert body["number"].startswith("CO-")
    assert body["available_transitions"] == ["withdraw"]
    assert AuditEvent.objects.filter(action="create", object_type="media.CarryOutRequest",
                                     object_id=str(obj.pk), actor=staff).count() == 1
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_create_accepts_confidentiality_as_a_string_of_the_level(staff):
    r = token_client(staff).post(LIST, payload(confidentiality="1", encrypted=False), format="json")
    assert r.status_code == 201, r.content
    assert r.json()["confidentiality"] == 1


@pytest.mark.parametrize("overrides, field", [
    ({"confidentiality": "abc"}, "confidentiality"),
    ({"confidentiality": 4}, "confidentiality"),
    ({"confidentiality": 2.5}, "confidentiality"),
    ({"confidentiality": None}, "confidentiality"),
    ({"confidentiality": 2, "encrypted": False}, "encrypted"),  # level 2 needs a protection
    ({"out_date": "2025-13-45"}, "out_date"),
    ({"due_date": "tomorrow"}, "due_date"),
    ({"out_date": 20250101}, "out_date"),
    ({"out_date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "out_date"),
    ({"due_date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "due_date"),
    ({"encrypted": "abc"}, "encrypted"),
    ({"data_description": ""}, "data_description"),
    ({"data_description": "   "}, "data_description"),
    ({"data_description": "あ" * 301}, "data_description"),
    ({"data_description": "x" * 1_000_000}, "data_description"),
    ({"purpose": "x" * 100_000}, "purpose"),
    ({"destination": ["a", "b"]}, "destination"),
    ({"data_description": {"nested": 1}}, "data_description"),
    ({"unknown_field": "x"}, "unknown_field"),
    ({"state": "approved"}, "state"),
    ({"number": "CO-1999-0001"}, "number"),
    ({"requester": 1}, "requester"),
])
def test_create_bad_input_is_400_naming_the_field_and_creates_nothing(staff, overrides, field):
    before = (CarryOutRequest.objects.count(), AuditEvent.objects.count(), Notification.objects.count())
    error = assert_error(token_client(staff).post(LIST, payload(**overrides), format="json"), 400, "invalid")
    assert field in error["fields"], error
    assert all(error["fields"][field]), error
    assert (CarryOutRequest.objects.count(), AuditEvent.objects.count(), Notification.objects.count()) == before


def test_create_missing_fields_are_all_named(staff):
    error = assert_error(token_client(staff).post(LIST, {}, format="json"), 400, "invalid")
    assert set(error["fields"]) >= {"data_description", "confidentiality", "purpose", "destination", "out_date",
                                    "due_date"}
    assert error["fields"]["purpose"] == ["この項目は必須です。"]
    assert not CarryOutRequest.objects.exists()


@pytest.mark.parametrize("raw, content_type, status, code", [
    ('{"data_description": "x", ', "application/json", 400, "parse_error"),
    ("not json at all", "application/json", 400, "parse_error"),
    ('["a", "list"]', "application/json", 400, "invalid"),
    ('"a string"', "application/json", 400, "invalid"),
    ("42", "application/json", 400, "invalid"),
    ("null", "application/json", 400, "invalid"),
    (b"\xff\xfe\x00garbage", "application/json", 400, "parse_error"),
    ("data_description=x", "text/plain", 415, "unsupported_media_type"),
])
def test_malformed_bodies_are_errors_and_create_nothing(staff, raw, content_type, status, code):
    r = token_client(staff).generic("POST", LIST, raw, content_type=content_type)
    assert_error(r, status, code)
    assert not CarryOutRequest.objects.exists()


def test_form_encoded_input_works_too(staff):
    fields = payload()
    fields["encrypted"] = "true"
    r = token_client(staff).post(LIST, fields)  # multipart, as an HTML form would send it
    assert r.status_code == 201, r.content


def test_contractor_may_not_file_a_request(vendor):
    assert_error(token_client(vendor).post(LIST, payload(), format="json"), 403, "forbidden")
    assert not CarryOutRequest.objects.exists()


def test_english_accept_language_still_answers_a_400(staff):
    r = token_client(staff).post(LIST, payload(confidentiality="abc"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["confidentiality"]
    assert not CarryOutRequest.objects.exists()


# --- no PUT, no DELETE -------------------------------------------------------------------------

@pytest.mark.parametrize("method, url", [
    ("put", "detail"), ("delete", "detail"), ("put", "list"), ("delete", "list"), ("patch", "list"),
    ("get", "approve"), ("put", "approve"), ("delete", "approve"),
])
def test_methods_not_meant_are_405(staff, submitted, method, url):
    target = {"detail": detail(submitted), "list": LIST, "approve": detail(submitted) + "approve/"}[url]
    r = getattr(token_client(staff), method)(target, payload(), format="json")
    assert_error(r, 405, "method_not_allowed")
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert CarryOutRequest.objects.count() == 1


# --- PATCH: the requester corrects a request that was sent back ---------------------------------

@pytest.fixture
def sent_back(submitted, officer):
    return perform(submitted, "send_back", officer, comment="持出し先を具体的に書いてください。")


def test_requester_corrects_a_sent_back_request(staff, sent_back):
    r = token_client(staff).patch(detail(sent_back), {"destination": "委員長の自宅（〇〇町1-2-3）"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["destination"] == "委員長の自宅（〇〇町1-2-3）"
    assert r.json()["available_transitions"] == ["resubmit", "withdraw"]
    sent_back.refresh_from_db()
    assert sent_back.destination == "委員長の自宅（〇〇町1-2-3）"
    assert sent_back.state == "sent_back"
    event = AuditEvent.objects.filter(action="update", object_id=str(sent_back.pk)).get()
    assert event.before["destination"] == "委員長の自宅"


def test_patch_is_checked_against_the_stored_fields(staff, sent_back):
    # due_date before the stored out_date: refused although out_date was not sent.
    r = token_client(staff).patch(detail(sent_back), {
        "due_date": (sent_back.out_date - timedelta(days=1)).isoformat()}, format="json")
    assert "due_date" in assert_error(r, 400, "invalid")["fields"]
    sent_back.refresh_from_db()
    assert sent_back.due_date > sent_back.out_date


@pytest.mark.parametrize("data, field", [
    ({"confidentiality": "abc"}, "confidentiality"),
    ({"out_date": "2025-13-45"}, "out_date"),
    ({"data_description": "x" * 1000}, "data_description"),
    ({"state": "submitted"}, "state"),
    ({"available_transitions": ["approve"]}, "available_transitions"),
    ({"encrypted": False}, "encrypted"),  # level 2 with no protection left
])
def test_patch_bad_input_changes_nothing(staff, sent_back, data, field):
    before = {f: getattr(sent_back, f) for f in ("data_description", "confidentiality", "out_date", "encrypted",
                                                 "state")}
    events = AuditEvent.objects.count()
    error = assert_error(token_client(staff).patch(detail(sent_back), data, format="json"), 400, "invalid")
    assert field in error["fields"]
    sent_back.refresh_from_db()
    assert {f: getattr(sent_back, f) for f in before} == before
    assert AuditEvent.objects.count() == events


def test_patch_when_not_sent_back_is_409(staff, submitted):
    error = assert_error(token_client(staff).patch(detail(submitted), {"destination": "別の場所"}, format="json"),
                         409, "wrong_state")
    assert "差戻し" in error["message"]
    submitted.refresh_from_db()
    assert submitted.destination == "委員長の自宅"


def test_only_the_requester_may_patch(officer, staff2, sent_back):
    assert_error(token_client(officer).patch(detail(sent_back), {"destination": "x"}, format="json"), 403,
                 "forbidden")
    assert_error(token_client(staff2).patch(detail(sent_back), {"destination": "x"}, format="json"), 404)
    sent_back.refresh_from_db()
    assert sent_back.destination == "委員長の自宅"


def test_patch_another_bodys_request_is_404(officer, outsider):
    their_officer = UserFactory(body=outsider.body)
    give_role(their_officer, "officer")
    theirs = perform(new_carry_out(outsider), "send_back", their_officer, comment="修正してください")
    assert_error(token_client(officer).patch(detail(theirs), {"destination": "x"}, format="json"), 404)
    theirs.refresh_from_db()
    assert theirs.destination == "委員長の自宅"


# --- transitions ---------------------------------------------------------------------------------

def post(client, obj, name, **data):
    return client.post(f"{detail(obj)}{name}/", data, format="json")


def test_officer_approves_and_the_answer_has_the_new_state_and_transitions(officer, staff, submitted):
    r = post(token_client(officer), submitted, "approve", comment="気をつけて")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["id"] == submitted.pk
    assert body["state"] == "approved"
    assert body["state_label"] == "承認済"
    assert body["available_transitions"] == []  # nothing left for the officer until it comes back
    log = TransitionLog.objects.get(object_id=str(submitted.pk))
    assert (log.transition, log.actor, log.comment, log.acting_role) == ("approve", officer, "気をつけて", "officer")
    assert AuditEvent.objects.filter(action="transition.approve", object_id=str(submitted.pk)).count() == 1
    # The requester now sees their own next steps.
    assert token_client(staff).get(detail(submitted)).json()["available_transitions"] == ["withdraw", "take_out"]


def test_the_whole_journey(officer, staff, submitted):
    requester, decider = token_client(staff), token_client(officer)
    assert post(decider, submitted, "send_back", comment="保護措置を追記").json()["state"] == "sent_back"
    assert requester.patch(detail(submitted), {"locked_case": True}, format="json").status_code == 200
    assert post(requester, submitted, "resubmit").json()["state"] == "submitted"
    assert post(decider, submitted, "approve").json()["state"] == "approved"
    assert post(requester, submitted, "take_out").json()["taken_out_at"]
    r = post(requester, submitted, "bring_back")
    assert (r.json()["state"], r.json()["available_transitions"]) == ("returned", [])
    assert_error(post(requester, submitted, "confirm_return"), 403, "forbidden")  # not by the requester
    r = post(decider, submitted, "confirm_return")
    assert (r.json()["state"], r.json()["available_transitions"]) == ("closed", [])
    assert r.json()["return_confirmed_at"]


def test_requester_may_not_approve_own_request(officer):
    own = new_carry_out(officer)
    error = assert_error(post(token_client(officer), own, "approve"), 403, "forbidden")
    assert "自分の申請" in error["message"]
    own.refresh_from_db()
    assert own.state == "submitted"
    assert not TransitionLog.objects.exists()
    assert token_client(officer).get(detail(own)).json()["available_transitions"] == ["withdraw"]


@pytest.mark.parametrize("who", ["auditor", "staff_in_charge"])
def test_roles_that_may_see_or_not_but_not_decide(request, submitted, who):
    user = request.getfixturevalue(who)
    r = post(token_client(user), submitted, "approve")
    assert r.status_code in (403, 404)
    # The auditor sees every request (403: not allowed); a member of staff sees only their own (404).
    assert_error(r, {"auditor": 403, "staff_in_charge": 404}[who])
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


@pytest.mark.parametrize("who", ["staff2", "vendor", "outsider"])
def test_transition_on_what_is_not_visible_is_404(request, submitted, who):
    assert_error(post(token_client(request.getfixturevalue(who)), submitted, "approve"), 404, "not_found")
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_wrong_state_is_409(officer, staff, submitted):
    perform(submitted, "approve", officer)
    error = assert_error(post(token_client(officer), submitted, "approve"), 409, "wrong_state")
    assert "承認済" in error["message"]
    assert_error(post(token_client(staff), submitted, "bring_back"), 409, "wrong_state")
    assert TransitionLog.objects.count() == 1


@pytest.mark.parametrize("name", ["fly", "delete", "a_b_c", "APPROVE", "approve-now", "123", "%E6%89%BF%E8%AA%8D"])
def test_unknown_transition_is_404(officer, submitted, name):
    assert_error(post(token_client(officer), submitted, name), 404, "not_found")
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_send_back_needs_a_comment(officer, submitted):
    error = assert_error(post(token_client(officer), submitted, "send_back"), 400, "invalid")
    assert "comment" in error["fields"]
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert not TransitionLog.objects.exists()


@pytest.mark.parametrize("data", [
    {"comment": "x" * 2001},
    {"comment": ["a"]},
    {"deputy_reason": "x" * 501},
    {"state": "approved"},
    {"transition": "reject"},
])
def test_transition_bad_input_is_400(officer, submitted, data):
    assert_error(token_client(officer).post(f"{detail(submitted)}approve/", data, format="json"), 400, "invalid")
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_transition_with_malformed_json_is_400(officer, submitted):
    r = token_client(officer).generic("POST", f"{detail(submitted)}approve/", "{oops", content_type="application/json")
    assert_error(r, 400, "parse_error")
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_manager_decides_only_while_no_officer_is_present(officer, manager, submitted, make_absent):
    error = assert_error(post(token_client(manager), submitted, "approve"), 403, "forbidden")
    assert error["message"]
    make_absent(officer)
    r = post(token_client(manager), submitted, "approve", deputy_reason="責任者が出張中のため")
    assert r.status_code == 200, r.content
    log = TransitionLog.objects.get()
    assert (log.actor, log.deputy_decision, log.deputy_reason) == (manager, True, "責任者が出張中のため")


def test_available_transitions_follow_the_absence_of_the_officer(officer, manager, submitted, make_absent):
    assert token_client(manager).get(detail(submitted)).json()["available_transitions"] == []
    make_absent(officer)
    assert token_client(manager).get(detail(submitted)).json()["available_transitions"] == [
        "approve", "send_back", "reject"]


def test_a_reused_user_object_sees_role_changes_between_requests(api, officer, manager, submitted, make_absent):
    # api() authenticates every request with the same object: the per-request role cache must not outlive it.
    client = api(manager)
    assert client.get(detail(submitted)).json()["available_transitions"] == []
    make_absent(officer)
    assert client.get(detail(submitted)).json()["available_transitions"] == ["approve", "send_back", "reject"]


# --- query counts ------------------------------------------------------------------------------------

def _rows(n, requesters, start=0):
    today = timezone.localdate()
    states = ["submitted", "approved", "sent_back", "taken_out", "returned"]
    for i in range(start, start + n):
        fields = carry_out_fields(out_date=today, due_date=today + timedelta(days=2))
        CarryOutRequest.objects.create(body=requesters[0].body, requester=requesters[i % len(requesters)],
                                       number=f"T-{i:04d}", state=states[i % len(states)], **fields)


def _count(user):
    client = token_client(user)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(LIST)
    assert r.status_code == 200
    return len(ctx.captured_queries), len(r.json()["results"])


@pytest.mark.parametrize("who", ["officer", "manager", "staff", "auditor"])
def test_list_query_count_does_not_grow_with_rows(request, officer, manager, staff, staff2, make_absent, who,
                                                  django_assert_max_num_queries):
    user = request.getfixturevalue(who)
    make_absent(officer)  # the manager then decides in the officer's place: the 代決 path is exercised too
    requesters = [staff, staff2, officer, manager]
    _rows(3, requesters)
    few, rows_few = _count(user)
    _rows(27, requesters, start=3)
    many, rows_many = _count(user)
    assert rows_many > rows_few >= 1
    assert many == few, (few, many)
    with django_assert_max_num_queries(10):
        token_client(user).get(LIST)

"""The medium of the carry-out and disposal request forms at scale (issue 8).

A body with few usable media gets a select (FastSelect: Django's HTML); with more than TEJUN_MEDIUM_SELECT_MAX
the form asks for the 登録番号 instead, which the server resolves among the same media the select offered and
otherwise refuses with the reason (not in the register — another body's medium reads the same —, disposed, out,
no valid exception, an open carry-out, kept by someone else), changing nothing. The suggestions come from
/api/v1/carry-outs/media/ and /api/v1/disposals/media/: the same media, the body's only, for those who may ask.
"""

import re
from datetime import timedelta

import pytest
from django import forms as django_forms
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tejun.access.policy import can, visible
from tejun.media import disposal_selectors, selectors
from tejun.media.forms import CarryOutWithMediumForm, DisposalForm, medium_label
from tejun.media.models import CarryOutRequest, DisposalRequest, Medium, MediumException
from tejun.media.register_services import medium_usable
from tejun.media.services import OPEN_STATES
from tejun.workflow.engine import perform

from .flow_helpers import exception_for, level, medium
from .helpers import new_carry_out

CARRY_OUT, DISPOSAL = "/media/carry-outs/new/", "/media/disposals/new/"
CARRY_OUT_API, DISPOSAL_API = "/api/v1/carry-outs/media/", "/api/v1/disposals/media/"


def carry_out_post(number="", **overrides):
    today = timezone.localdate()
    data = {"data_description": "議事録の下書き", "confidentiality": "2", "purpose": "校正のため",
            "destination": "委員長の自宅", "encrypted": "on", "out_date": today.isoformat(),
            "due_date": (today + timedelta(days=2)).isoformat(), "medium": number}
    data.update(overrides)
    return data


def field_error(html: str) -> str:
    found = re.search(r'id="id_medium_error"><p class="field-error">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


@pytest.fixture
def few(settings):
    """Number mode as soon as a body has more than two media that may be chosen."""
    settings.TEJUN_MEDIUM_SELECT_MAX = 2


@pytest.fixture
def world(body, staff, staff2, outsider):
    """A medium of every kind the rules tell apart; `usable` are those a carry-out may use today."""
    today = timezone.localdate()
    m = {
        "ok": medium(body, staff, number="M-OK"),
        "ok2": medium(body, staff2, number="M-OK2", kind="sd"),
        "usb_linked": medium(body, staff, number="U-LINKED", kind="usb", exception=exception_for(body, staff)),
        "usb_for_it": medium(body, staff, number="U-FOR", kind="usb"),
        "usb_none": medium(body, staff, number="U-NONE", kind="usb"),
        "usb_expired": medium(body, staff, number="U-EXPIRED", kind="usb", exception=exception_for(
            body, staff, valid_from=today - timedelta(days=60), days=30)),
        "usb_pending": medium(body, staff, number="U-PENDING", kind="usb",
                              exception=exception_for(body, staff, state="submitted")),
        "usb_wrong_kind": medium(body, staff, number="U-WRONG", kind="usb",
                                 exception=exception_for(body, staff, kind="private")),
        "private_ok": medium(body, staff, number="P-OK", owner="private",
                             exception=exception_for(body, staff, kind="private")),
        "private_usb_needs_private": medium(body, staff, number="P-USB", kind="usb", owner="private",
                                            exception=exception_for(body, staff, kind="usb")),
        "out": medium(body, staff, number="M-OUT", status=Medium.Status.OUT),
        "lost": medium(body, staff, number="M-LOST", status=Medium.Status.LOST),
        "disposed": medium(body, staff, number="M-GONE", status=Medium.Status.DISPOSED),
        "disposal_requested": medium(body, staff, number="M-DR", status=Medium.Status.DISPOSAL_REQUESTED),
        "busy": medium(body, staff, number="M-BUSY"),
        "theirs": medium(outsider.body, outsider, number="M-THEIRS"),
    }
    made_for = exception_for(body, staff)
    MediumException.objects.filter(pk=made_for.pk).update(medium=m["usb_for_it"])
    new_carry_out(staff, medium=m["busy"])
    return m


USABLE = {"ok", "ok2", "usb_linked", "usb_for_it", "private_ok"}


# --- the selectors: the register's rule for every medium, as one query ---------------------------------------

def test_usable_media_are_the_registers_answer_for_every_medium(world, body, staff):
    busy = set(CarryOutRequest.objects.filter(state__in=OPEN_STATES).values_list("medium_id", flat=True))
    expected = {m for m in Medium.objects.filter(body=body) if medium_usable(m)[0] and m.pk not in busy}
    assert set(selectors.usable_media(staff)) == expected == {world[k] for k in USABLE}
    assert [m.number for m in selectors.usable_media(staff)] == sorted(world[k].number for k in USABLE)
    assert world["busy"] in selectors.usable_media(staff, include=world["busy"])


@pytest.mark.parametrize("who", ["staff", "staff2", "staff_in_charge", "officer", "vendor", "outsider"])
def test_disposable_media_are_what_the_policy_allows_row_by_row(request, world, who):
    user = request.getfixturevalue(who)
    busy = CarryOutRequest.objects.filter(state__in=OPEN_STATES).values("medium_id")
    rows = visible(user, Medium).filter(status=Medium.Status.STORED).exclude(pk__in=busy)
    expected = [m for m in rows.order_by("number") if can(user, "media.request_disposal", m)]
    assert list(disposal_selectors.disposable_media(user)) == expected
    if who == "staff":
        assert expected and all(m.custodian_id == user.pk for m in expected)
    if who == "staff_in_charge":
        assert world["ok2"] in expected


# --- below the threshold: the select, as Django writes it -----------------------------------------------------

def as_django(form, name="medium") -> str:
    field = form.fields[name]
    field.widget = django_forms.Select(attrs=field.widget.attrs)
    field.iterator = ModelChoiceIterator
    field.widget.choices = field.choices
    return str(form[name])


def select_of(html: str) -> str:
    found = re.search(r'<select name="medium".*?</select>', html, re.S)
    assert found, "no medium select"
    return found.group(0)


def test_below_the_threshold_the_select_is_what_django_writes(login, world, staff, body):
    Medium.objects.filter(pk=world["ok"].pk).update(product='<外付け> "HDD" & 箱')
    client = login(staff)
    page = client.get(f"{CARRY_OUT}?medium={world['ok'].pk}").content.decode()
    form = CarryOutWithMediumForm(initial={"medium": str(world["ok"].pk)})
    form.set_media(staff)
    assert not form.medium_by_number and select_of(page) == as_django(form)
    assert f'<option value="{world["ok"].pk}" selected>M-OK 外付けHDD &lt;外付け&gt; &quot;HDD&quot; &amp; 箱 （機密性2）</option>' \
           in select_of(page)
    assert "medium_picker.js" not in page
    for key in set(world) - USABLE:
        assert f">{world[key].number} " not in select_of(page), key
    page = client.get(DISPOSAL).content.decode()
    form = DisposalForm(user=staff, levels=())
    assert select_of(page) == as_django(form)
    assert [o for o in re.findall(r'<option value="(\d+)"', select_of(page))] == [
        str(m.pk) for m in disposal_selectors.disposable_media(staff)]


def test_option_labels_from_rows_are_the_instances_labels(world, staff):
    form = CarryOutWithMediumForm()
    form.set_media(staff)
    rows = [label for value, label in form.fields["medium"].choices if value != ""]
    assert rows == [medium_label(m) for m in selectors.usable_media(staff)]
    unlevelled = medium(world["ok"].body, staff, number="M-NOLEVEL", level_code=None, kind="optical")
    Medium.objects.filter(pk=unlevelled.pk).update(product="")
    form.set_media(staff)
    assert "M-NOLEVEL 光ディスク" in [label for _v, label in form.fields["medium"].choices]


# --- above the threshold: the 登録番号 ---------------------------------------------------------------------------

def test_above_the_threshold_the_form_asks_for_the_number(login, few, world, staff):
    page = login(staff).get(f"{CARRY_OUT}?medium={world['ok'].pk}").content.decode()
    assert '<select name="medium"' not in page
    field = re.search(r'<input type="text" name="medium"[^>]*>', page).group(0)
    assert f'data-medium-search="{CARRY_OUT_API}"' in field and 'value="M-OK"' in field
    assert 'autocomplete="off"' in field and 'id="id_medium"' in field
    assert "media/medium_picker.js" in page and "media/medium_picker.css" in page
    assert "登録番号（例：MD-00001）を入力してください" in page
    for key in set(world) - {"ok"}:  # no list of the register in the page
        assert world[key].number not in page, key


@pytest.mark.parametrize("typed", ["M-OK", " M-OK ", "m-ok", "Ｍ－ＯＫ"])
def test_a_number_files_the_request_with_that_medium(login, few, world, staff, typed):
    response = login(staff).post(CARRY_OUT, carry_out_post(typed))
    assert response.status_code == 302, field_error(response.content.decode())
    assert CarryOutRequest.objects.get(medium__isnull=False, state="submitted",
                                       data_description="議事録の下書き").medium == world["ok"]


def test_numbers_that_differ_only_in_letter_case(few, world, staff, body):
    lower, upper = medium(body, staff, number="x-1"), medium(body, staff, number="X-1")
    medium(body, staff, number="ab-2")
    medium(body, staff, number="Ab-2")

    def resolve(typed):
        form = CarryOutWithMediumForm(carry_out_post(typed))
        form.set_media(staff)
        assert form.medium_by_number
        return form.cleaned_data["medium"] if form.is_valid() else form.errors["medium"][0]

    assert (resolve("x-1"), resolve("X-1"), resolve("ｘ－１"), resolve("Ｘ－１")) == (lower, upper, lower, upper)
    assert resolve("aB-2") == "登録番号「aB-2」に当たる記録媒体が複数あります。大文字・小文字も台帳のとおりに入力してください。"
    assert resolve("m-Ok2") == world["ok2"]  # one medium in any letter case


def test_no_number_files_the_request_without_a_medium(login, few, world, staff):
    assert login(staff).post(CARRY_OUT, carry_out_post("")).status_code == 302
    assert CarryOutRequest.objects.filter(medium__isnull=True).count() == 1


@pytest.mark.parametrize(("typed", "message"), [
    ("M-NONE", "登録番号「M-NONE」の記録媒体は記録媒体管理台帳にありません。"),
    ("M-THEIRS", "登録番号「M-THEIRS」の記録媒体は記録媒体管理台帳にありません。"),  # another body's: the same
    ("M-GONE", "廃棄済の記録媒体です。"),
    ("M-LOST", "紛失として記録されている記録媒体です。"),
    ("M-OUT", "持出中の記録媒体です。"),
    ("M-DR", "廃棄申請中の記録媒体です。"),
    ("U-NONE", "U-NONE は例外措置が必要な記録媒体です。USBメモリは特別な場合を除き使用できません"),
    ("U-EXPIRED", "で終了しています。新たに例外措置を申請してください。"),
    ("U-PENDING", "は承認されていません"),
    ("P-USB", "「私物の記録媒体の使用」の例外措置が必要です。"),
    ("M-BUSY", "この記録媒体には処理中の持出し申請（"),
])
def test_a_number_that_may_not_be_used_is_refused_with_the_reason(login, few, world, staff, typed, message):
    before = CarryOutRequest.objects.count()
    response = login(staff).post(CARRY_OUT, carry_out_post(typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in field_error(page), field_error(page)
    assert f'value="{typed}"' in page  # what was typed stays in the input
    assert CarryOutRequest.objects.count() == before


def test_the_sent_back_request_keeps_its_medium_by_number(login, few, world, staff, officer):
    req = CarryOutRequest.objects.get(medium=world["busy"])
    perform(req, "send_back", officer, comment="目的を詳しく")
    client = login(staff)
    page = client.get(f"/media/carry-outs/{req.pk}/edit/").content.decode()
    assert re.search(r'<input type="text" name="medium" value="M-BUSY"', page)
    response = client.post(f"/media/carry-outs/{req.pk}/edit/", carry_out_post("M-BUSY", purpose="議会だより校正"))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.medium == world["busy"] and req.purpose == "議会だより校正"


def test_disposal_by_number(login, few, world, staff, staff_in_charge, body):
    client = login(staff)
    page = client.get(DISPOSAL).content.decode()
    assert f'data-medium-search="{DISPOSAL_API}"' in page and '<select name="medium"' not in page
    assert "廃棄を申請できる記録媒体がありません" not in page
    refusals = {"M-OK2": "この記録媒体の廃棄を申請できるのは、媒体の管理者または責任者・管理者・担当者です。",
                "M-OUT": "保管中の記録媒体だけ廃棄を申請できます（現在：持出中）。",
                "M-BUSY": "この記録媒体には処理中の持出し申請（",
                "M-THEIRS": "登録番号「M-THEIRS」の記録媒体は記録媒体管理台帳にありません。",
                "": "この項目は必須です。"}
    for typed, message in refusals.items():
        response = client.post(DISPOSAL, {"medium": typed, "reason": "故障", "highest_level": ""})
        assert response.status_code == 200 and message in field_error(response.content.decode()), typed
    assert not DisposalRequest.objects.exists()
    response = client.post(DISPOSAL, {"medium": "m-ok", "reason": "故障", "highest_level": ""})
    assert response.status_code == 302
    assert DisposalRequest.objects.get().medium == world["ok"]
    # the staff in charge may ask for any medium of the body
    response = login(staff_in_charge).post(DISPOSAL, {"medium": "M-OK2", "reason": "容量不足",
                                                      "highest_level": level(body, "3").pk})
    assert response.status_code == 302 and DisposalRequest.objects.count() == 2


def test_number_mode_queries_do_not_grow_with_the_register(login, few, world, staff, body):
    client = login(staff)

    def count(path):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    before = {path: count(path) for path in (CARRY_OUT, DISPOSAL, CARRY_OUT_API, DISPOSAL_API)}
    for n in range(40):
        medium(body, staff, number=f"M-MORE-{n:03d}")
    assert {path: count(path) for path in before} == before


# --- the suggestions ------------------------------------------------------------------------------------------

def test_carry_out_suggestions(api, world, staff, body):
    client = api(staff)
    data = client.get(CARRY_OUT_API, {"q": "ok"}).json()
    assert [r["number"] for r in data["results"]] == ["M-OK", "M-OK2", "P-OK"] and data["more"] is False
    assert data["results"][0] == {"id": world["ok"].pk, "number": "M-OK", "label": medium_label(world["ok"]),
                                  "kind": "hdd", "product": world["ok"].product}
    everything = client.get(CARRY_OUT_API).json()["results"]
    assert {r["number"] for r in everything} == {world[k].number for k in USABLE}
    assert client.get(CARRY_OUT_API, {"q": "ＨＤＤ"}).json()["results"]  # the product, typed full-width
    assert client.get(CARRY_OUT_API, {"q": "THEIRS"}).json()["results"] == []
    assert client.get(CARRY_OUT_API, {"q": "M-GONE"}).json()["results"] == []
    for n in range(25):
        medium(body, staff, number=f"M-MANY-{n:03d}")
    data = client.get(CARRY_OUT_API, {"q": "many"}).json()
    assert len(data["results"]) == 20 and data["more"] is True
    assert [r["number"] for r in data["results"]] == [f"M-MANY-{n:03d}" for n in range(20)]


def test_disposal_suggestions_are_the_media_the_user_may_ask_for(api, world, staff, staff_in_charge):
    mine = {r["number"] for r in api(staff).get(DISPOSAL_API).json()["results"]}
    assert "M-OK" in mine and "M-OK2" not in mine and "M-BUSY" not in mine and "M-OUT" not in mine
    theirs = {r["number"] for r in api(staff_in_charge).get(DISPOSAL_API, {"q": "M-OK"}).json()["results"]}
    assert theirs == {"M-OK", "M-OK2"}


@pytest.mark.parametrize("path", [CARRY_OUT_API, DISPOSAL_API])
def test_suggestions_refuse_who_may_not_ask(api, world, vendor, outsider, path):
    assert api().get(path, {"q": "M"}).status_code == 401
    response = api(vendor).get(path, {"q": "M"})
    assert response.status_code == 403 and "M-OK" not in response.content.decode()
    assert [r["number"] for r in api(outsider).get(path, {"q": "M"}).json()["results"]] == ["M-THEIRS"]  # theirs


@pytest.mark.parametrize("path", [CARRY_OUT_API, DISPOSAL_API])
def test_suggestions_bad_input_is_a_400(api, world, staff, path):
    assert api(staff).get(path, {"q": "M" * 101}).status_code == 400
    assert api(staff).get(path, {"q": "M\x00"}).status_code == 400


def test_suggestions_on_the_page_are_session_authenticated(login, world, staff):
    response = login(staff).get(CARRY_OUT_API, {"q": "U-"})
    assert response.status_code == 200
    assert [r["number"] for r in response.json()["results"]] == ["U-FOR", "U-LINKED"]


@pytest.mark.parametrize("threshold", [0, 300])
def test_disposal_page_says_when_there_is_nothing_to_dispose_of(login, settings, staff, staff2, body, threshold):
    settings.TEJUN_MEDIUM_SELECT_MAX = threshold
    medium(body, staff2, number="M-NOT-MINE")
    page = login(staff).get(DISPOSAL).content.decode()
    assert "廃棄を申請できる記録媒体がありません" in page


def test_the_refusals_read_in_english_too(few, world, staff):
    from django.utils import translation

    with translation.override("en"):
        for typed, expected in (("M-NONE", "There is no recording medium with the registration number “M-NONE”"),
                                ("M-BUSY", "This recording medium has a carry-out request in progress")):
            form = CarryOutWithMediumForm(carry_out_post(typed))
            form.set_media(staff)
            assert not form.is_valid() and form.errors["medium"][0].startswith(expected), form.errors["medium"]
        assert "Enter the medium's registration number" in str(form["medium"].help_text)

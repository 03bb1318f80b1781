"""Findings of the security review (body scoping, permissions, audit, bad input), each proved by a test.

Every test here failed before its fix: a 500 on bad input, or another body's name shown.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tejun.assets.models import Asset
from tejun.audit.models import AuditEvent
from tejun.media.models import Cabinet, Medium, MediumException
from tests.assets.helpers import new_asset
from tests.media.flow_helpers import cabinet, medium

# "²" and "³": str.isdigit() says yes, int() says no (they are digits, not decimal digits).
SUPERSCRIPT = "²"


# --- Empty POST of the register's form pages: the form was unbound, then its cleaned_data was read (500).

@pytest.mark.parametrize("url", ["/media/cabinets/new/", "/media/register/new/", "/media/exceptions/new/"])
def test_empty_post_to_a_register_form_is_400_and_changes_nothing(login, officer, url):
    c = login(officer)
    response = c.post(url, {})
    assert response.status_code == 400
    assert "この項目は必須です" in response.content.decode()
    assert not Cabinet.objects.exists() and not Medium.objects.exists() and not MediumException.objects.exists()
    # Only the login and the body's classification scheme (made on first use) were recorded.
    assert set(AuditEvent.objects.values_list("action", flat=True)) <= {"login", "create"}
    assert not AuditEvent.objects.filter(object_type__in=["media.Cabinet", "media.Medium", "media.MediumException"])


def test_empty_post_to_the_cabinet_edit_page_is_400_and_changes_nothing(login, officer, body):
    c = cabinet(body, name="書庫A")
    response = login(officer).post(f"/media/cabinets/{c.pk}/edit/", {})
    assert response.status_code == 400
    c.refresh_from_db()
    assert c.name == "書庫A"


def test_empty_post_to_the_medium_edit_page_is_400_and_changes_nothing(login, officer, body):
    m = medium(body, officer, number="M-900")
    response = login(officer).post(f"/media/register/{m.pk}/edit/", {})
    assert response.status_code == 400
    m.refresh_from_db()
    assert m.product == "外付けHDD 1TB" and m.cabinet_id is not None


# --- Digits int() cannot read in id filters: str.isdigit() let them through (500).

@pytest.mark.parametrize("params", [{"cabinet": SUPERSCRIPT}, {"custodian": "1" + SUPERSCRIPT}])
def test_media_register_filters_ignore_non_decimal_digits(login, api, staff, body, params):
    medium(body, staff, number="M-901")
    page = login(staff).get("/media/register/", params)
    assert page.status_code == 200 and "M-901" in page.content.decode()
    assert login(staff).get("/media/register/export.xlsx", params).status_code == 200
    response = api(staff).get("/api/v1/media/", params)
    assert response.status_code == 200 and [m["number"] for m in response.json()["results"]] == ["M-901"]


def test_asset_filters_ignore_non_decimal_digits(login, api, manager, staff):
    new_asset(manager, name="議員名簿")
    page = login(staff).get("/assets/", {"manager_post": SUPERSCRIPT, "confidentiality_min": SUPERSCRIPT})
    assert page.status_code == 200 and "議員名簿" in page.content.decode()
    response = api(staff).get("/api/v1/assets/", {"manager_post": SUPERSCRIPT})
    assert response.status_code == 200


def test_exception_form_ignores_a_medium_id_int_cannot_read(login, staff):
    response = login(staff).get("/media/exceptions/new/", {"medium": SUPERSCRIPT})
    assert response.status_code == 200


def test_asset_numbering_survives_a_number_with_non_decimal_digits(manager):
    new_asset(manager, number="IA-" + SUPERSCRIPT)
    asset = new_asset(manager, name="自動採番")  # the next number skips the one int() cannot read
    assert asset.number == "IA-00001"
    assert Asset.objects.count() == 2


# --- Admin: the list filter by body named every body of the instance to a body's administrator.

def test_register_admin_does_not_list_other_bodies(client, manager, other_body):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label="assets",
                                                           codename__startswith="view_"))
    client.force_login(manager)
    for url in (reverse("admin:assets_asset_changelist"), reverse("admin:assets_classificationscheme_changelist")):
        response = client.get(url)
        assert response.status_code == 200
        assert other_body.name not in response.content.decode()


# --- Import: numbering next to a number int() cannot read (made on the form page) was a 500 on upload.

def test_import_numbers_new_rows_next_to_a_number_with_non_decimal_digits(login, staff_in_charge, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.assets.io_helpers import make_xlsx, row

    new_asset(manager, number="IA-" + SUPERSCRIPT)
    upload = SimpleUploadedFile("register.xlsx", make_xlsx([row(管理番号="", 資産名称="議事録")]),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = login(staff_in_charge).post(reverse("assets:import-upload"), {"file": upload, "mode": "create"})
    assert response.status_code == 302
    assert Asset.objects.count() == 1  # nothing written before the commit


# --- NUL in a list's filter: PostgreSQL refuses it in a query parameter (DataError, a 500 in production).
# SQLite does not mind, so the test checks that no NUL reaches the database at all, on either.

NUL_LISTS = [
    ("/media/register/", ["q"]), ("/media/register/export.xlsx", ["q"]), ("/api/v1/media/", ["q"]),
    ("/media/disposals/", ["q"]), ("/media/exceptions/", ["q"]), ("/media/carry-outs/", ["q", "state"]),
    ("/assets/", ["q", "department", "status"]), ("/assets/export.xlsx", ["q", "department", "status"]),
    ("/api/v1/assets/", ["q", "department", "status"]),
]


@pytest.mark.parametrize(("url", "keys"), NUL_LISTS)
def test_nul_in_a_list_filter_never_reaches_the_database(login, api, manager, url, keys):
    from django.db import connection

    sent = []

    def watch(execute, sql, params, many, context):
        sent.extend(p for p in (params or ()) if isinstance(p, str) and "\x00" in p)
        return execute(sql, params, many, context)

    client = api(manager) if url.startswith("/api/") else login(manager)
    for key in keys:
        with connection.execute_wrapper(watch):
            response = client.get(url, {key: "議\x00事"})
        assert response.status_code in (200, 400), (key, response.status_code)
        assert not sent, key

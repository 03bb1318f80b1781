"""API of the register's Excel import and export: /api/v1/assets/imports/ and /api/v1/assets/export.xlsx."""

import io

import pytest

from tejun.assets.exports import HEADERS
from tejun.assets.models import Asset, ImportBatch
from tejun.audit.models import AuditEvent
from tejun.lib import xlsx
from tests.api.helpers import assert_error, token_client

from .helpers import new_asset
from .io_helpers import make_xlsx, read_sheet, row

pytestmark = pytest.mark.django_db
IMPORTS = "/api/v1/assets/imports/"
EXPORT = "/api/v1/assets/export.xlsx"


def upload(client, data, mode="create", name="台帳.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(IMPORTS, {"file": f, "mode": mode}, format="multipart")


def test_upload_check_and_commit(staff_in_charge, post):
    new_asset(staff_in_charge, number="IA-00001", name="旧名称")
    client = token_client(staff_in_charge)
    r = upload(client, make_xlsx([row(管理番号="IA-00001", 資産名称="新名称"), row(), row(資産名称="名簿")]), mode="update")
    assert r.status_code == 201, r.content
    batch = r.json()
    assert batch["status"] == "validated" and batch["mode"] == "update"
    assert (batch["total_rows"], batch["create_count"], batch["update_count"], batch["error_count"]) == (3, 2, 1, 0)
    assert batch["errors"] == [] and batch["columns"] == list(HEADERS)
    assert batch["preview"][0]["action"] == "update" and batch["preview"][0]["changed"] == ["資産名称", "業務", "保存場所",
                                                                                               "ネットワーク"]
    assert batch["preview"][1]["number"] == "IA-00002"
    assert Asset.objects.count() == 1  # nothing written yet

    detail = client.get(f"{IMPORTS}{batch['id']}/")
    assert detail.status_code == 200 and detail.json()["id"] == batch["id"]

    r = client.post(f"{IMPORTS}{batch['id']}/commit/")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "committed" and r.json()["committed_at"]
    assert set(Asset.objects.values_list("name", flat=True)) == {"新名称", "会議録", "名簿"}
    assert AuditEvent.objects.filter(action="import.update").count() == 1
    assert AuditEvent.objects.filter(action="import.create").count() == 2

    again = client.post(f"{IMPORTS}{batch['id']}/commit/")
    assert_error(again, 409, "wrong_state")
    assert Asset.objects.count() == 3


def test_malformed_rows_are_reported_and_nothing_is_imported(staff_in_charge):
    client = token_client(staff_in_charge)
    r = upload(client, make_xlsx([row(), row(機密性="9"), row(満了日="2025/2/30"), row(形態="")]))
    assert r.status_code == 201
    batch = r.json()
    assert batch["status"] == "failed" and batch["error_count"] == 3
    assert [(e["row"], e["column"]) for e in batch["errors"]] == [(3, "機密性"), (4, "満了日"), (5, "形態")]
    assert all(e["message"] for e in batch["errors"])
    assert [p["action"] for p in batch["preview"]] == ["create", "error", "error", "error"]
    error = assert_error(client.post(f"{IMPORTS}{batch['id']}/commit/"), 409, "wrong_state")
    assert "エラーがある" in error["message"]
    assert Asset.objects.count() == 0


@pytest.mark.parametrize(("name", "data", "message"), [
    ("台帳.xlsx", b"this is not excel", "Excel ファイル（.xlsx）として読み込めません"),
    ("台帳.txt", make_xlsx([row()]), "Excel ファイル（.xlsx）を選んでください"),
    ("台帳.xlsx", make_xlsx([["a", "b"]], ["名前", "種類"]), "見出し行"),
    ("台帳.xlsx", make_xlsx([]), "データの行がありません"),
])
def test_bad_files_are_400_with_a_japanese_message(staff_in_charge, name, data, message):
    r = upload(token_client(staff_in_charge), data, name=name)
    error = assert_error(r, 400, "invalid")
    assert message in error["message"]
    assert error["fields"]["file"]
    assert ImportBatch.objects.count() == 0 and Asset.objects.count() == 0


def test_missing_file_or_bad_mode_is_400(staff_in_charge):
    client = token_client(staff_in_charge)
    assert "file" in assert_error(client.post(IMPORTS, {"mode": "create"}, format="multipart"), 400)["fields"]
    assert "mode" in assert_error(upload(client, make_xlsx([row()]), mode="replace"), 400)["fields"]
    assert ImportBatch.objects.count() == 0


def test_refusals(staff_in_charge, staff, vendor, outsider):
    r = upload(token_client(staff_in_charge), make_xlsx([row()]))
    batch_id = r.json()["id"]
    for user in (staff, vendor):
        client = token_client(user)
        assert_error(upload(client, make_xlsx([row()])), 403, "forbidden")
        assert_error(client.get(f"{IMPORTS}{batch_id}/"), 403, "forbidden")
        assert_error(client.post(f"{IMPORTS}{batch_id}/commit/"), 403, "forbidden")
    client = token_client(outsider)
    assert_error(client.get(f"{IMPORTS}{batch_id}/"), 404, "not_found")
    assert_error(client.post(f"{IMPORTS}{batch_id}/commit/"), 404, "not_found")
    assert_error(client.get(f"{IMPORTS}999999/"), 404, "not_found")
    assert Asset.objects.count() == 0 and ImportBatch.objects.count() == 1
    anonymous = token_client(staff_in_charge).__class__()
    assert anonymous.get(f"{IMPORTS}{batch_id}/").status_code == 401


def test_export_with_filters(staff, staff_in_charge, vendor):
    new_asset(staff_in_charge, number="A-1", confidentiality="3")
    new_asset(staff_in_charge, number="A-2", name="=1+1")
    client = token_client(staff)
    r = client.get(EXPORT, {"confidentiality": "2"}, HTTP_ACCEPT=xlsx.XLSX_CONTENT_TYPE)
    assert r.status_code == 200
    assert r["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    assert "attachment" in r["Content-Disposition"]
    rows = read_sheet(b"".join(r.streaming_content))
    assert rows[0] == HEADERS and [x[0] for x in rows[1:]] == ["A-2"]
    assert rows[1][2] == "'=1+1"
    assert client.get(EXPORT, {"format": "json"}).status_code == 200  # the answer is the file, whatever is asked
    assert_error(token_client(vendor).get(EXPORT), 403, "forbidden")


def test_routes_are_not_taken_by_the_asset_router(staff_in_charge):
    """"assets/imports/" and "assets/export.xlsx" would otherwise read as an asset id (and format)."""
    asset = new_asset(staff_in_charge)
    client = token_client(staff_in_charge)
    assert client.get(f"/api/v1/assets/{asset.pk}/").status_code == 200
    assert_error(client.get(IMPORTS), 405, "method_not_allowed")
    assert client.get(EXPORT).status_code == 200

"""audit.history.readable_history: an object's events as rows a clerk can read."""

from types import SimpleNamespace

from tejun.audit.history import readable_history
from tejun.media.models import Medium


def event(action, before=None, after=None):
    return SimpleNamespace(action=action, before=before, after=after)


def test_changes_use_labels_choice_names_and_wareki_dates():
    rows = readable_history(
        [event("update",
               {"id": 1, "body": 1, "status": "stored", "cabinet": 3, "encrypted": False,
                "registered_on": "2019-04-30", "note": "同じ"},
               {"id": 1, "body": 1, "status": "out", "cabinet": 4, "encrypted": True,
                "registered_on": "2019-05-01", "note": "同じ", "_transition": {"name": "x"}})],
        model=Medium, action_labels={"update": "修正"}, names={"cabinet": {3: "書庫A", 4: "書庫B"}})
    [row] = rows
    assert row["label"] == "修正"
    changes = {c["field"]: (c["before"], c["after"]) for c in row["changes"]}
    assert changes == {
        "状態": ("保管中", "持出中"),
        "保管キャビネット": ("書庫A", "書庫B"),
        "暗号化": ("なし", "あり"),
        "登録日": ("平成31年4月30日", "令和元年5月1日"),
    }  # id, body, unchanged fields and _-prefixed extras are left out


def test_creation_lists_no_changes_and_unknown_actions_fall_back():
    rows = readable_history(
        [event("create", None, {"status": "stored"}), event("transition.take_out", {"status": "stored"},
                                                           {"status": "out"})],
        model=Medium, action_labels={"create": "登録"}, fallback_label=lambda a: "流れ" if a.startswith("transition.") else None)
    assert rows[0]["label"] == "登録" and rows[0]["changes"] == []
    assert rows[1]["label"] == "流れ" and rows[1]["changes"][0]["after"] == "持出中"

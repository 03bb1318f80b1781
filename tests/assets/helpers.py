"""A valid asset, one call away. Levels are given as codes of the body's active scheme."""

from tejun.assets.services import create_asset


def asset_fields(**overrides) -> dict:
    fields = {
        "department": "議会事務局 議事係",
        "name": "本会議 会議録（令和7年第1回定例会）",
        "business": "会議録の作成・公開",
        "form": "electronic",
        "location": r"\\gikai-nas\share\議事\会議録",
        "network_layer": "lgwan",
        "confidentiality": "2",
        "integrity": "2",
        "availability": "1",
    }
    fields.update(overrides)
    return fields


def new_asset(actor, **overrides):
    return create_asset(actor=actor, **asset_fields(**overrides))

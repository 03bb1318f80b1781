"""Test data of the media register (C-1): cabinets, media and exceptions, one call away.

Rows are made directly (no audit events) so a test sees only the events of the service it calls.
"""

from datetime import timedelta

from django.utils import timezone

from tejun.assets.models import Axis
from tejun.assets.schemes import active_scheme, level_by_code
from tejun.media.models import Cabinet, Medium, MediumException
from tejun.media.register_services import _next_exception_number, next_medium_number


def make_cabinet(body, name="事務局書庫キャビネットA", *, lockable=True, **kwargs) -> Cabinet:
    return Cabinet.objects.create(body=body, name=name, place=kwargs.pop("place", "議会事務局 書庫"),
                                  lockable=lockable, **kwargs)


def make_medium(custodian, cabinet, *, kind="hdd", owner="body", status="stored", exception=None, level=None,
                **kwargs) -> Medium:
    body = custodian.body
    return Medium.objects.create(
        body=body, number=next_medium_number(body), kind=kind, owner=owner, status=status,
        product=kwargs.pop("product", "外付けHDD 2TB"), custodian=custodian, cabinet=cabinet, exception=exception,
        highest_level=conf_level(body, level) if level else None, **kwargs)


def make_exception(requester, *, kind="usb", state="approved", days_from=0, days_to=90, medium=None,
                   **kwargs) -> MediumException:
    """An exception in `state`, valid from today+days_from to today+days_to (negative: the past)."""
    today = timezone.localdate()
    return MediumException.objects.create(
        body=requester.body, requester=requester, number=_next_exception_number(requester.body_id, today),
        kind=kind, state=state, purpose=kwargs.pop("purpose", "議会だより入稿のため"),
        medium_description=kwargs.pop("medium_description", "USBメモリ 32GB"), medium=medium,
        valid_from=today + timedelta(days=days_from), valid_to=today + timedelta(days=days_to), **kwargs)


def conf_level(body, code):
    """A confidentiality level of the body's active scheme by code ("1", "2", "3A"...)."""
    return level_by_code(active_scheme(body), Axis.CONFIDENTIALITY, code)


def medium_fields(cabinet, custodian, **overrides) -> dict:
    fields = {"kind": "hdd", "product": "〇〇社 外付けHDD 2TB", "serial": "SN-0001", "capacity": "2TB",
              "encrypted": True, "owner": "body", "custodian": custodian, "cabinet": cabinet}
    fields.update(overrides)
    return fields


def exception_fields(**overrides) -> dict:
    today = timezone.localdate()
    fields = {"kind": "usb", "purpose": "議会だより原稿を印刷業者へ入稿するため",
              "medium_description": "〇〇社 USBメモリ 32GB（暗号化機能付き）",
              "valid_from": today, "valid_to": today + timedelta(days=180)}
    fields.update(overrides)
    return fields

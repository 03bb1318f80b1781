"""Demo media register of the demo council: cabinets, the media a secretariat keeps, one USB exception."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tejun.orgs.models import User
from tejun.workflow.engine import perform

from . import register_services as services
from .models import Medium

CABINETS = [
    # name, place, lockable, key custodian (login id), note
    ("事務局書庫キャビネットA", "議会事務局 書庫（本庁舎3階）", True, "jicho", "記録媒体はこのキャビネットの上段に保管"),
    ("事務局長室 耐火金庫", "議会事務局長室", True, "kyokucho", "バックアップの予備世代を保管"),
    ("受付カウンター下の棚", "議会事務局 受付", False, None, "施錠できないため記録媒体は置かない"),
]

# kind, product, serial, capacity, encrypted, cabinet, custodian (login id), highest level code, note
MEDIA = [
    ("hdd", "〇〇社 外付けHDD HD-PGF2.0U3（会議録音データ バックアップ用）", "71A2XK0934", "2TB", True,
     "事務局書庫キャビネットA", "tanto", "2", "本会議・委員会の録音データを毎月末に複製して保管"),
    ("hdd", "〇〇社 外付けHDD HD-PGF2.0U3（バックアップ予備世代）", "71A2XK1188", "2TB", True,
     "事務局長室 耐火金庫", "kyokucho", "2", "前月分の世代。月初にキャビネットAの媒体と入れ替える"),
    ("optical", "BD-R 25GB（会議録 確定版 令和7年度）", "", "25GB", False,
     "事務局書庫キャビネットA", "tanto", "1", "公開済みの会議録の保存用"),
    ("optical", "DVD-R 4.7GB（本会議映像 配信用マスター）", "", "4.7GB", False,
     "事務局書庫キャビネットA", "shokuin1", "1", ""),
    ("sd", "〇〇社 SDHCカード 32GB（議場ICレコーダー用）", "SD32-0042", "32GB", False,
     "事務局書庫キャビネットA", "tanto", "2", "会議終了後にNASへ移し、媒体上のデータは消去する"),
    ("sd", "〇〇社 SDHCカード 32GB（ICレコーダー予備）", "SD32-0043", "32GB", False,
     "事務局書庫キャビネットA", "tanto", None, "未使用"),
]
USB = ("usb", "〇〇社 USBメモリ 32GB（暗号化機能付き）", "UF32-SEC-2201", "32GB", True,
       "事務局書庫キャビネットA", "tanto", "1", "議会だより原稿の入稿専用。入稿後はデータを消去")


@transaction.atomic
def create_demo_media(body) -> list[Medium]:
    """Set up the media register of `body` (call once, right after the demo body is made)."""
    people = User.objects.filter(body=body).in_bulk(field_name="login_id")
    officer, clerk = people["jicho"], people["tanto"]
    cabinets = {}
    for name, place, lockable, keeper, note in CABINETS:
        cabinets[name] = services.create_cabinet(actor=officer, name=name, place=place, lockable=lockable,
                                                 key_custodian=people.get(keeper), note=note)
    created = []
    for kind, product, serial, capacity, encrypted, cabinet, keeper, level, note in MEDIA:
        created.append(services.create_medium(
            actor=clerk, kind=kind, product=product, serial=serial, capacity=capacity, encrypted=encrypted,
            cabinet=cabinets[cabinet], custodian=people[keeper], highest_level=level, note=note))
    # C-1(1): the USB memory only by an exception the officer approved (the clerk asks, the officer decides).
    today = timezone.localdate()
    exception = services.create_exception(
        actor=clerk, kind="usb", purpose="議会だよりの原稿・写真を印刷業者へ入稿するため。印刷業者の入稿システムが"
        "USBメモリでの受渡ししか受け付けないため（暗号化機能付きの媒体を使用し、入稿後は消去する）。",
        medium_description=USB[1], valid_from=today, valid_to=today + timedelta(days=180))
    exception = perform(exception, "approve", officer, comment="暗号化機能付きの媒体に限り、入稿の目的に限って認める。")
    kind, product, serial, capacity, encrypted, cabinet, keeper, level, note = USB
    created.append(services.create_medium(
        actor=clerk, kind=kind, product=product, serial=serial, capacity=capacity, encrypted=encrypted,
        cabinet=cabinets[cabinet], custodian=people[keeper], highest_level=level, exception=exception, note=note))
    # One stock-take done: every medium was where the register says.
    round_ = services.start_stocktake(actor=clerk, note="年度当初の棚卸（デモ）")
    for item in round_.items.all():
        services.mark_item(item, actor=clerk, result="present")
    services.close_stocktake(round_, actor=clerk)
    return created

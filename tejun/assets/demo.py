"""Demo register of the demo council: about fifteen assets a council secretariat really keeps."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tejun.audit.services import record, snapshot
from tejun.orgs.models import Post

from .models import Asset
from .services import next_number, validate_asset

GIJI = "議会事務局 議事係"
SOMU = "議会事務局 総務係"
NAS = r"\\gikai-nas\share"

# name, department, business, form, location, network, C, I, A, personal flags (個人, 要配慮, 特定),
# manager post, access holders, retention years, external party, days since confirmed (None: never)
DEMO_ASSETS = [
    ("本会議 会議録（確定版）", GIJI, "会議録の調製・公開", "electronic", NAS + r"\議事\会議録", "lgwan",
     "1", "2", "2", (False, False, False), "事務局次長", "議会事務局職員", None, "", 30),
    ("本会議 会議録（校正前原稿）", GIJI, "会議録の調製・公開", "electronic", NAS + r"\議事\会議録\原稿", "lgwan",
     "2", "2", "1", (False, False, False), "事務局次長", "議会事務局職員", 5, "〇〇速記株式会社（反訳委託）", 400),
    ("会議録音データ（本会議・委員会）", GIJI, "会議録の調製", "electronic", NAS + r"\議事\録音", "lgwan",
     "2", "2", "2", (True, False, False), "事務局次長", "議会事務局職員（議事係）", 5, "〇〇速記株式会社（反訳委託）", 120),
    ("クラウド会議録検索システム", GIJI, "会議録の公開", "system", "クラウド会議録システム（〇〇社）", "internet",
     "1", "2", "2", (False, False, False), "事務局次長", "議事係、委託事業者", None, "〇〇システム株式会社", 200),
    ("議員名簿（連絡先・住所）", SOMU, "議員の身分・連絡調整", "electronic", NAS + r"\総務\議員", "lgwan",
     "2", "2", "2", (True, False, False), "事務局長", "議会事務局職員", None, "", 90),
    ("議員報酬・費用弁償の支給台帳", SOMU, "議員報酬の支給", "electronic", NAS + r"\総務\報酬", "lgwan",
     "3", "2", "2", (True, False, True), "事務局長", "事務局長、総務係", 5, "", 60),
    ("請願・陳情文書（原本）", GIJI, "請願・陳情の受理・付託", "paper", "事務局書庫キャビネットA（施錠）", "",
     "2", "2", "1", (True, False, False), "事務局次長", "議会事務局職員", 10, "", 380),
    ("請願・陳情 受付簿", GIJI, "請願・陳情の受理", "electronic", NAS + r"\議事\請願陳情", "lgwan",
     "2", "1", "1", (True, False, False), "事務局次長", "議会事務局職員", 10, "", 45),
    ("政務活動費 収支報告書・領収書", SOMU, "政務活動費の交付・公開", "paper", "事務局書庫キャビネットB（施錠）", "",
     "2", "2", "1", (True, False, False), "事務局長", "事務局長、総務係", 5, "", 395),
    ("議会だより原稿・写真", GIJI, "議会広報の発行", "electronic", NAS + r"\広報\議会だより", "lgwan",
     "1", "1", "1", (False, False, False), "書記", "議会事務局職員、広報委員", 3, "〇〇印刷株式会社", 20),
    ("傍聴者受付簿", GIJI, "本会議・委員会の傍聴受付", "paper", "議場前受付（会期後は事務局書庫キャビネットA）", "",
     "2", "1", "1", (True, False, False), "書記", "議会事務局職員", 1, "", None),
    ("委員会 審査資料（非公開資料を含む）", GIJI, "委員会の運営", "paper", "事務局書庫キャビネットA（施錠）", "",
     "3", "2", "1", (False, False, False), "事務局次長", "委員、議会事務局職員", 5, "", 100),
    ("議会運営委員会 協議メモ", GIJI, "議会運営", "electronic", NAS + r"\議事\議運", "lgwan",
     "2", "1", "1", (False, False, False), "事務局次長", "議会事務局職員", 3, "", 370),
    ("議長交際費 支出記録", SOMU, "議長交際費の執行・公開", "electronic", NAS + r"\総務\交際費", "lgwan",
     "1", "2", "1", (False, False, False), "事務局長", "事務局長、総務係", 5, "", 30),
    ("議会ホームページ・ライブ中継システム", GIJI, "議会情報の発信", "system", "クラウド（議会中継配信サービス）",
     "internet", "1", "2", "2", (False, False, False), "事務局次長", "議事係、委託事業者", None, "〇〇映像株式会社", 250),
    ("事務局職員の健康診断結果", SOMU, "職員の服務・健康管理", "paper", "事務局長室 施錠書庫", "",
     "3", "2", "1", (True, True, False), "事務局長", "事務局長", 5, "", 60),
]


@transaction.atomic
def create_demo_assets(body) -> list[Asset]:
    """Register the demo assets in `body` (call once, right after the demo body is made)."""
    today = timezone.localdate()
    fiscal_end = date(today.year + (1 if today.month >= 4 else 0), 3, 31)  # 年度末
    posts = {p.name: p for p in Post.objects.filter(body=body)}
    created = []
    for (name, department, business, form, location, network, c, i, a, (personal, sensitive, specific),
         post, holders, years, external, confirmed_days_ago) in DEMO_ASSETS:
        fields = validate_asset(body, {
            "department": department, "name": name, "business": business, "form": form, "location": location,
            "network_layer": network, "confidentiality": c, "integrity": i, "availability": a,
            "has_personal_info": personal, "has_sensitive_personal_info": sensitive,
            "has_specific_personal_info": specific, "manager_post": posts.get(post), "access_holders": holders,
            "retention_years": years, "external_party": external,
            "expires_on": fiscal_end.replace(year=fiscal_end.year + years) if years else None,
            "confirmed_on": today - timedelta(days=confirmed_days_ago) if confirmed_days_ago is not None else None,
        })
        asset = Asset.objects.create(body=body, number=next_number(body), **fields)
        record(None, "create", asset, None, snapshot(asset))
        created.append(asset)
    return created

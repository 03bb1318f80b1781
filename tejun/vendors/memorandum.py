"""The memorandum (覚書) of P-12: its per-body, versioned template and the text generated from it.

The default text is the source's (implementation procedures, P-12), with its placeholders:
●● → {システム名} / {データ内容}, 武豊町議会 → {甲}, △△ → {乙}, "年 月 日" → {日付}; article 2 gets a
second paragraph that states the data, the period and the medium; the source's "本通2通" is the typo
for "本書2通", and the caption "提供機関" of article 2 the typo for "提供期間".
The 記名押印 blocks of 甲 and 乙 are not part of the template: the documents add them.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, InvalidInput
from tejun.lib.wareki import to_wareki

PLACEHOLDERS = {
    "甲": gettext_lazy("団体の名称（甲）"),
    "乙": gettext_lazy("委託事業者の名称（乙）"),
    "システム名": gettext_lazy("構築するシステム（原文の「●●システム」）"),
    "データ内容": gettext_lazy("提供するデータの内容"),
    "提供期間": gettext_lazy("提供期間（和暦、「…から…まで」）"),
    "提供媒体": gettext_lazy("提供媒体"),
    "日付": gettext_lazy("覚書の日付（和暦）"),
}

DEFAULT_TEXT = """{システム名}構築のためのデータ提供に関する覚書

{甲}（以下「甲」という。）と{乙}（以下「乙」という。）は、{システム名}構築業務のため、甲が保有する{データ内容}等に関するデータ（以下「データ」という。）の提供について、次のとおり覚書を交換する。

（データの提供）
第1条 甲は、{システム名}構築業務に使用するデータを乙に提供する。

（データの内容及び提供期間）
第2条 データの内容及び提供期間は、業務に必要な範囲において甲、乙が協議して定める。
2 前項の規定により定めるデータの内容、提供期間及び提供媒体は、次のとおりとする。
（1）データの内容　{データ内容}
（2）提供期間　{提供期間}
（3）提供媒体　{提供媒体}

（データの保管、秘密保持）
第3条 乙は、提供されたデータを厳重に保管し、また内容について秘密を厳守する。

（目的外使用及び第三者への提供の禁止）
第4条 乙は、提供されたデータを目的外に使用し、または第三者に提供してはならない。

（複写及び複製の禁止）
第5条 乙は、甲の許可を受けずに、提供されたデータを複写または複製してはならない。

（事故発生時の報告）
第6条 乙は提供されたデータについて、紛失または盗難等の事故が発生した場合は、直ちに甲に報告する。

（データの返却）
第7条 乙は、提供期間経過後、データを速やかに甲に返却する。提供期間内において業務に必要でなくなったデータについても同様とする。

（指導、監督）
第8条 乙は、乙の使用するものに対して、この覚書を周知せしめ、内容を遵守するよう指導、監督する。

（その他）
第9条 この覚書に定めのない事項については、甲、乙が協議して定める。

この覚書の締結の証として、本書2通を作成し、双方記名押印のうえ、各1通を保管する。

{日付}
"""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MAX_TEXT = 20000


def check_template_text(text) -> str:
    """The text with every placeholder known; InvalidInput naming the unknown ones (nothing is saved)."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(_("入力内容を確認してください。"), fields={"text": [_("本文を入力してください。")]})
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("入力内容を確認してください。"),
                           fields={"text": [_("%(n)d文字以内で入力してください。") % {"n": MAX_TEXT}]})
    text = text.replace("\r\n", "\n").replace("\x00", "")
    unknown = [name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    stray = _PLACEHOLDER.sub("", text)
    problems = []
    if unknown:
        problems.append(_("使用できない差し込み項目があります：%(names)s。使用できるのは %(known)s です。") % {
            "names": "、".join("{" + n + "}" for n in dict.fromkeys(unknown)),
            "known": "、".join("{" + n + "}" for n in PLACEHOLDERS)})
    if "{" in stray or "}" in stray:
        problems.append(_("「{」と「}」は差し込み項目を囲むときだけ使えます（対応していない括弧があります）。"))
    if "第1条" not in text:
        problems.append(_("条文（第1条 …）がありません。"))
    if problems:
        raise InvalidInput(problems[0], fields={"text": problems})
    return text


def current_template(body):
    """The newest version for the body, or None (the default text then applies)."""
    from .models import MemorandumTemplate

    return MemorandumTemplate.objects.filter(body=body).order_by("-version").first()


def template_text(body) -> str:
    tpl = current_template(body)
    return tpl.text if tpl else DEFAULT_TEXT


def save_template(*, actor, text, note: str = ""):
    """A new version of the body's template (the old ones stay, memoranda keep the text they were made with)."""
    from tejun.access.policy import can

    from .models import MemorandumTemplate

    if not can(actor, "vendors.edit_template"):
        raise Forbidden(_("覚書のひな形を編集する権限がありません。"))
    text = check_template_text(text)
    note = (note or "").strip()[:300] if isinstance(note, str) else ""
    with transaction.atomic():
        last = (MemorandumTemplate.objects.select_for_update().filter(body_id=actor.body_id)
                .order_by("-version").first())
        tpl = MemorandumTemplate.objects.create(body_id=actor.body_id, version=(last.version + 1) if last else 1,
                                                text=text, note=note, created_by=actor)
        record(actor, "create", tpl, None, snapshot(tpl))
    return tpl


def period_text(start, end) -> str:
    return _("%(start)sから%(end)sまで") % {"start": to_wareki(start), "end": to_wareki(end)}


def values_for(provision, day) -> dict:
    return {
        "甲": provision.body.name, "乙": provision.contractor.name, "システム名": provision.system_name,
        "データ内容": provision.data_description,
        "提供期間": period_text(provision.period_start, provision.period_end),
        "提供媒体": provision.medium, "日付": to_wareki(day),
    }


def fill(text: str, values: dict) -> str:
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def generate(provision, *, actor, day=None) -> None:
    """Fill the body's current template for `provision` (called at approval, inside the engine's transaction)."""
    day = day or timezone.localdate()
    tpl = current_template(provision.body)
    provision.memorandum_template = tpl
    provision.memorandum_date = day
    provision.memorandum_text = fill(tpl.text if tpl else DEFAULT_TEXT, values_for(provision, day))


# --- structure for the documents ----------------------------------------------------------------------

_ARTICLE = re.compile(r"^第[0-9０-９一二三四五六七八九十]+条")
_CAPTION = re.compile(r"^（[^）]*）$")
_ITEM = re.compile(r"^([0-9０-９]+ |（[0-9０-９]+）)")


@dataclass
class Block:
    kind: str      # title, para, caption, article, subpara, item, closing, date
    text: str


@dataclass
class Party:
    role: str                  # 甲 / 乙
    address: str = ""
    name: str = ""
    representative: str = ""


@dataclass
class MemorandumDoc:
    blocks: list[Block] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if b.kind == "title"), "")


def structure(provision) -> MemorandumDoc:
    """The generated text read as blocks (title, preamble, captions, articles, closing, date) and the parties."""
    lines = [ln.strip() for ln in provision.memorandum_text.replace("\r\n", "\n").split("\n")]
    blocks: list[Block] = []
    seen_article = False
    for line in lines:
        if not line:
            continue
        if not blocks:
            blocks.append(Block("title", line))
        elif _CAPTION.match(line):
            blocks.append(Block("caption", line))
        elif _ARTICLE.match(line):
            seen_article = True
            blocks.append(Block("article", line))
        elif seen_article and _ITEM.match(line):
            blocks.append(Block("item" if line.startswith("（") else "subpara", line))
        elif provision.memorandum_date and line == to_wareki(provision.memorandum_date):
            blocks.append(Block("date", line))
        else:
            blocks.append(Block("closing" if seen_article else "para", line))
    body = provision.body
    contractor = provision.contractor
    parties = [
        Party(_("甲"), getattr(body, "address", "") or "", body.name, ""),
        Party(_("乙"), contractor.address, contractor.name, contractor.representative),
    ]
    return MemorandumDoc(blocks, parties)

"""Excel import of the register: upload → check every row → preview → one all-or-nothing commit.

upload_batch() stores the file and what checking it found (every error with its Excel row, column
header and a Japanese message); commit_batch() checks the file again against the register as it is
now and writes all rows in one transaction, with one audit event per asset, or nothing at all.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from tejun.access.policy import can
from tejun.audit.services import record, record_many, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.wareki import parse_wareki, to_wareki
from tejun.lib.xlsx import MAX_UPLOAD_BYTES, open_workbook, read_rows, unneutralise
from tejun.orgs.models import Post

from .exports import COLUMNS, DATA_SHEET, FLAG_MARK, FORM_TEXT, NETWORK_TEXT, STATUS_TEXT, Column
from .models import Asset, Axis, ImportBatch
from .schemes import active_scheme, levels_of
from .services import FIELDS, NUMBER_PREFIX, validate_asset

MAX_ROWS = 100_000
MAX_STORED_ERRORS = 10_000
PREVIEW_ROWS = 50
HEADER_SEARCH_ROWS = 10
BATCH_SIZE = 1000

TRUE_WORDS = {"○", "〇", "◯", "●", "◎", "1", "TRUE", "あり", "有", "有り", "はい", "YES", "Y"}
FALSE_WORDS = {"", "×", "✕", "X", "なし", "無", "無し", "いいえ", "0", "FALSE", "NO", "N", "-", "－", "ー"}
PERMANENT_WORDS = {"常用", "永年", "永久", "常用・永年", "常用(永年)"}


def _norm(text: str) -> str:
    """NFKC, no spaces: full-width letters, digits and brackets fold, so "管理者(役職)" matches too."""
    return "".join(unicodedata.normalize("NFKC", text).split())


HEADER_INDEX = {_norm(c.header): c for c in COLUMNS}
_FORM_WORDS = {**{_norm(v): k for k, v in FORM_TEXT.items()}, **{k.value: k.value for k in FORM_TEXT},
               "電磁的記録": Asset.Form.ELECTRONIC, "電子データ": Asset.Form.ELECTRONIC, "紙媒体": Asset.Form.PAPER}
_NETWORK_WORDS = {**{_norm(v): k for k, v in NETWORK_TEXT.items()}, **{k.value: k.value for k in NETWORK_TEXT},
                  "マイナンバー": Asset.NetworkLayer.MYNUMBER, "マイナンバー系": Asset.NetworkLayer.MYNUMBER,
                  "個人番号利用事務系": Asset.NetworkLayer.MYNUMBER, "LGWAN": Asset.NetworkLayer.LGWAN,
                  "LGWAN系": Asset.NetworkLayer.LGWAN, "インターネット": Asset.NetworkLayer.INTERNET,
                  "インターネット系": Asset.NetworkLayer.INTERNET, "該当なし": "", "なし": ""}
_STATUS_WORDS = {**{_norm(v): k for k, v in STATUS_TEXT.items()}, **{k.value: k.value for k in STATUS_TEXT},
                 "廃棄": Asset.Status.DISPOSED, "使用": Asset.Status.IN_USE}


@dataclass
class Row:
    row: int                        # the row number as Excel shows it
    fields: dict                    # values for the Asset, resolved (levels and posts as objects)
    number: str = ""
    instance: Asset | None = None   # the asset this row updates
    action: str = "create"          # create, update, unchanged
    changed: list[str] = field(default_factory=list)
    has_error: bool = False
    bad: set[str] = field(default_factory=set)  # fields whose cell could not be read


@dataclass
class Checked:
    mode: str
    rows: list[Row] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)

    def error(self, row: int, column: str, message: str):
        self.errors.append({"row": row, "column": column, "message": str(message)})

    @property
    def counts(self) -> dict:
        ok = [r for r in self.rows if not r.has_error]
        return {"total_rows": len(self.rows),
                "create_count": sum(r.action == "create" for r in ok),
                "update_count": sum(r.action == "update" for r in ok),
                "unchanged_count": sum(r.action == "unchanged" for r in ok),
                "error_count": len(self.errors)}


class CellError(ValueError):
    pass


# --- reading one cell --------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return unneutralise(value).strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, date):
        return value.isoformat()
    return unneutralise(str(value)).strip()


def _parse_date(value) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial day number the cell did not format as a date
            return from_excel(value).date()
        raise CellError(_("日付として解釈できません。"))
    try:
        return parse_wareki(str(value))
    except ValueError as e:
        raise CellError(str(e)) from None


def _parse_years(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("年数を数字で入力してください（常用・永年は空欄）。"))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("年数は整数で入力してください。"))
        value = int(value)
    if isinstance(value, int):
        return value
    text = _norm(str(value))
    if not text or text in PERMANENT_WORDS:
        return None
    if text.endswith("年"):
        text = text[:-1]
    if not text.isdigit():
        raise CellError(_("「%(value)s」は年数として解釈できません。数字で入力してください（常用・永年は空欄）。")
                        % {"value": str(value).strip()})
    return int(text)


def _parse_flag(value) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    word = _norm(_text(value)).upper()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("「%(value)s」は指定できません。含む場合は ○、含まない場合は空欄にしてください。")
                    % {"value": _text(value)})


def _choice(words: dict, value, allowed: str):
    text = _text(value)
    key = _norm(text)
    if key in words:
        return words[key]
    if key.lower() in words:
        return words[key.lower()]
    raise CellError(_("「%(value)s」は指定できません。%(allowed)s のいずれかを入力してください。")
                    % {"value": text, "allowed": allowed})


class Context:
    """What checking rows needs from the database, read once per file."""

    def __init__(self, body):
        self.body = body
        self.scheme = active_scheme(body)
        self.levels = {axis: {lv.code: lv for lv in lvs} for axis, lvs in levels_of(self.scheme).items()}
        self.level_codes = {axis: "、".join(codes) for axis, codes in self.levels.items()}
        # "機密性2" as well as "2": the axis name in front of the code is dropped.
        self.prefixes = {a.value: tuple({_norm(str(a.label)), _norm(c.header)})
                         for a in Axis for c in COLUMNS if c.field == a.value}
        self.posts = {_norm(p.name): p for p in Post.objects.filter(body=body)}
        self.numbers = dict(Asset.objects.filter(body=body).values_list("number", "id"))

    def level(self, column: Column, value):
        text = _text(value)
        levels = self.levels[column.field]
        found = levels.get(text)
        if found is not None:
            return found
        code = _norm(text).upper()
        for prefix in self.prefixes[column.field]:
            if code.startswith(prefix):
                code = code[len(prefix):]
        found = levels.get(code)
        if found is None:
            raise CellError(_("「%(code)s」は分類体系（%(scheme)s）にありません。%(codes)s のいずれかを入力してください。")
                            % {"code": text, "scheme": self.scheme.name, "codes": self.level_codes[column.field]})
        return found

    def post(self, value):
        text = _text(value)
        found = self.posts.get(_norm(text))
        if found is None:
            raise CellError(_("役職「%(post)s」はこの団体に登録されていません。") % {"post": text})
        return found


def _cell_value(ctx: Context, column: Column, value):
    """The model value of one cell; raises CellError with a message for the clerk."""
    kind = column.kind
    if kind == "text":
        return _text(value)
    if kind == "flag":
        return _parse_flag(value)
    if kind == "date":
        return _parse_date(value)
    if kind == "years":
        return _parse_years(value)
    blank = _text(value) == ""
    if kind == "form":
        return "" if blank else _choice(_FORM_WORDS, value, "紙・電子・システム")
    if kind == "network":
        return "" if blank else _choice(_NETWORK_WORDS, value, "マイナンバー利用事務系・LGWAN接続系・インターネット接続系（該当しなければ空欄）")
    if kind == "status":
        return "" if blank else _choice(_STATUS_WORDS, value, "使用中・廃棄済")
    if kind == "level":
        return None if blank else ctx.level(column, value)
    if kind == "post":
        return None if blank else ctx.post(value)
    raise AssertionError(kind)


# --- checking a whole file ---------------------------------------------------------------------

def _find_header(rows_iter):
    """The first of the first rows that names at least three known columns: (row number, header texts)."""
    for number, values, _formulas in rows_iter:
        if number > HEADER_SEARCH_ROWS:
            break
        texts = [_text(v) for v in values]
        if sum(_norm(t) in HEADER_INDEX for t in texts) >= 3:
            return number, texts
    return None, None


def _map_columns(header_row: int, texts: list[str], checked: Checked) -> dict[int, Column]:
    mapping: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        if not text:
            continue
        column = HEADER_INDEX.get(_norm(text))
        if column is None:
            checked.error(header_row, text, _("不明な列です。テンプレートの見出し（%(example)s など）を使ってください。")
                          % {"example": "、".join(c.header for c in COLUMNS[:3])})
            continue
        if column.field in seen:
            checked.error(header_row, text, _("同じ列が 2 回あります。"))
            continue
        seen[column.field] = index
        mapping[index] = column
    present = {c.field for c in mapping.values()}
    for column in COLUMNS:
        if column.required and column.field not in present:
            checked.error(header_row, column.header, _("必須の列「%(column)s」がありません。") % {"column": column.header})
    if checked.mode == ImportBatch.Mode.UPDATE and "number" not in present:
        checked.error(header_row, "管理番号", _("更新するには「管理番号」の列が必要です。"))
    checked.columns = [mapping[i] for i in sorted(mapping)]
    return mapping


def _number_key(number: str) -> int | None:
    tail = number[len(NUMBER_PREFIX):]
    return int(tail) if number.startswith(NUMBER_PREFIX) and tail.isdecimal() else None


def check_file(body, data: bytes, mode: str) -> Checked:
    """Check every row of an uploaded file against the register; collects every error, never stops early.

    Raises InvalidInput only when the file as a whole cannot be read (not .xlsx, no header row, no rows).
    """
    wb = open_workbook(data)  # the upload checks: size, format, opens with openpyxl
    try:
        sheet = DATA_SHEET if DATA_SHEET in wb.sheetnames else None
    finally:
        wb.close()
    checked = Checked(mode=mode)
    # The rows themselves come from a streaming reader four times faster than openpyxl's.
    rows_iter = read_rows(data, sheet=sheet)
    header_row, texts = _find_header(rows_iter)
    if header_row is None:
        message = _("見出し行（%(headers)s …）が見つかりません。テンプレートの見出し行をそのまま使ってください。") % {
            "headers": "、".join(c.header for c in COLUMNS[:5])}
        raise InvalidInput(message, fields={"file": [message]})
    mapping = _map_columns(header_row, texts, checked)
    ctx = Context(body)
    for row_number, values, formulas in rows_iter:
        if all(values[i] is None or (isinstance(values[i], str) and not values[i].strip())
               for i in mapping if i < len(values)):
            continue  # blank lines between blocks of rows are common in hand-made registers
        if len(checked.rows) >= MAX_ROWS:
            message = _("行数が多すぎます（上限 %(limit)s 行）。ファイルを分けて取り込んでください。") % {
                "limit": f"{MAX_ROWS:,}"}
            raise InvalidInput(message, fields={"file": [message]})
        checked.rows.append(_check_row(ctx, checked, row_number, values, formulas, mapping))
    if not checked.rows:
        message = _("データの行がありません。見出し行の下に 1 行に 1 件ずつ記入してください。")
        raise InvalidInput(message, fields={"file": [message]})
    _check_numbers(ctx, checked)
    return checked


def _check_row(ctx: Context, checked: Checked, row_number: int, values: list, formulas: set[int],
               mapping: dict[int, Column]) -> Row:
    fields: dict = {}
    bad: set[str] = set()
    for index, column in mapping.items():
        value = values[index] if index < len(values) else None
        if index in formulas:
            checked.error(row_number, column.header,
                          _("数式は取り込めません。セルをコピーして「値として貼り付け」してください。"))
            bad.add(column.field)
            continue
        try:
            fields[column.field] = _cell_value(ctx, column, value)
        except CellError as e:
            checked.error(row_number, column.header, str(e))
            bad.add(column.field)
    row = Row(row=row_number, fields=fields, number=fields.get("number", ""), has_error=bool(bad), bad=bad)
    if checked.mode == ImportBatch.Mode.UPDATE and row.number in ctx.numbers:
        row.action = "update"
    # An empty 状態 means "in use" for a new asset and "unchanged" for an update.
    if fields.get("status") == "":
        fields.pop("status")
    return row


def _check_numbers(ctx: Context, checked: Checked) -> None:
    """Duplicates within the file and against the register; then the model checks of each row."""
    first_row: dict[str, int] = {}
    for row in checked.rows:
        if not row.number:
            continue
        if row.number in first_row:
            checked.error(row.row, "管理番号", _("管理番号 %(number)s が %(row)d 行目と重複しています。")
                          % {"number": row.number, "row": first_row[row.number]})
            row.has_error = True
            row.bad.add("number")
            continue
        first_row[row.number] = row.row
        if checked.mode == ImportBatch.Mode.CREATE and row.number in ctx.numbers:
            checked.error(row.row, "管理番号", _(
                "管理番号 %(number)s は既に台帳にあります。更新するには「管理番号が一致する資産を更新する」を選んでください。")
                % {"number": row.number})
            row.has_error = True
            row.bad.add("number")

    # The assets the rows update, read in chunks (an IN list must stay under the database's limit).
    ids = [ctx.numbers[r.number] for r in checked.rows if r.action == "update"]
    instances = {}
    for start in range(0, len(ids), 500):
        for asset in Asset.objects.filter(pk__in=ids[start:start + 500]).select_related(
                "confidentiality", "integrity", "availability", "manager_post"):
            instances[asset.number] = asset
    present = {c.field for c in checked.columns}
    headers = {c.field: c.header for c in COLUMNS}
    for row in checked.rows:
        row.instance = instances.get(row.number) if row.action == "update" else None
        fields = {k: v for k, v in row.fields.items() if k not in row.bad}
        try:
            cleaned = validate_asset(ctx.body, fields, instance=row.instance, scheme=ctx.scheme, check_unique=False)
        except InvalidInput as e:
            for name, messages in e.fields.items():
                if name in row.bad or (name not in present and name in headers):
                    continue  # reported already: the unreadable cell, or the missing column on the header row
                for message in messages if isinstance(messages, list | tuple) else [messages]:
                    checked.error(row.row, headers.get(name, name), message)
            row.has_error = True
            continue
        row.fields = cleaned
        if row.instance is not None:
            row.changed = [name for name, value in cleaned.items() if _differs(row.instance, name, value)]
            row.action = "update" if row.changed else "unchanged"

    # New assets without a number get the next free IA- numbers, after everything the file and register hold.
    highest = max((k for k in map(_number_key, [*ctx.numbers, *first_row]) if k is not None), default=0)
    for row in checked.rows:
        if row.action == "create" and not row.number:
            highest += 1
            row.number = f"{NUMBER_PREFIX}{highest:05d}"
            row.fields["number"] = row.number
    checked.errors.sort(key=lambda e: (e["row"], _column_order(e["column"])))


def _column_order(header: str) -> int:
    column = HEADER_INDEX.get(_norm(header))
    return COLUMNS.index(column) if column else len(COLUMNS)


def _differs(instance: Asset, name: str, value) -> bool:
    current = getattr(instance, Asset._meta.get_field(name).attname)
    if hasattr(value, "pk"):
        value = value.pk
    return current != value


# --- preview -----------------------------------------------------------------------------------

def _display(column: Column, value) -> str:
    if value is None or value == "":
        return ""
    kind = column.kind
    if kind == "form":
        return FORM_TEXT.get(value, value)
    if kind == "network":
        return NETWORK_TEXT.get(value, value)
    if kind == "status":
        return STATUS_TEXT.get(value, value)
    if kind == "flag":
        return FLAG_MARK if value else ""
    if kind == "level":
        return value.code
    if kind == "post":
        return value.name
    if kind == "date":
        return to_wareki(value)
    return str(value)


def preview_rows(checked: Checked, limit: int = PREVIEW_ROWS) -> list[dict]:
    """The first rows as they will be saved: every column, the action, and which columns change."""
    headers = {c.field: c.header for c in COLUMNS}
    out = []
    for row in checked.rows[:limit]:
        values = []
        for column in COLUMNS:
            if column.field in row.fields:
                value = row.fields[column.field]
            elif row.instance is not None:
                value = getattr(row.instance, column.field)
            elif column.field == "status":
                value = Asset.Status.IN_USE
            else:
                value = None
            values.append("" if column.field in row.bad else _display(column, value))
        out.append({"row": row.row, "action": "error" if row.has_error else row.action, "number": row.number,
                    "values": values, "changed": [headers[n] for n in row.changed if n in headers]})
    return out


# --- services ----------------------------------------------------------------------------------

def _check_permission(actor):
    if not can(actor, "assets.import"):
        raise Forbidden(_("情報資産を取り込む権限がありません。"))


def get_batch(actor, pk) -> ImportBatch:
    """A batch of the actor's body (404 otherwise), for those who may import (403 otherwise)."""
    try:
        batch = ImportBatch.objects.defer("content").get(pk=pk, body_id=actor.body_id or -1)
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None
    _check_permission(actor)
    return batch


def _store(batch: ImportBatch, checked: Checked):
    for name, value in checked.counts.items():
        setattr(batch, name, value)
    batch.errors = checked.errors[:MAX_STORED_ERRORS]
    batch.preview = preview_rows(checked)


def upload_batch(*, actor, file_name: str, data: bytes, mode: str) -> ImportBatch:
    """Store an uploaded file with the result of checking it. Bad files raise InvalidInput and store nothing."""
    _check_permission(actor)
    if mode not in ImportBatch.Mode.values:
        raise InvalidInput(_("取込方法を選んでください。"), fields={"mode": [_("選択肢から選んでください。")]})
    file_name = (file_name or "").strip()
    if not file_name.lower().endswith(".xlsx"):
        message = _("Excel ファイル（.xlsx）を選んでください。")
        raise InvalidInput(message, fields={"file": [message]})
    if data is not None and len(data) > MAX_UPLOAD_BYTES:
        message = _("ファイルが大きすぎます（上限 %(mb)d MB）。") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        raise InvalidInput(message, fields={"file": [message]})
    checked = check_file(actor.body, data, mode)
    batch = ImportBatch(body=actor.body, uploaded_by=actor, file_name=file_name[-255:], content=data, mode=mode)
    _store(batch, checked)
    batch.status = ImportBatch.Status.FAILED if checked.errors else ImportBatch.Status.VALIDATED
    with transaction.atomic():
        batch.save()
        record(actor, "import.upload", batch, None,
               {"file_name": batch.file_name, "mode": mode, "status": batch.status, **checked.counts},
               body=actor.body)
    return batch


class _Refused(Exception):
    def __init__(self, checked):
        self.checked = checked


def commit_batch(batch: ImportBatch, *, actor) -> ImportBatch:
    """Write every row of a checked batch in one transaction, or nothing. A batch commits once."""
    if batch.body_id != actor.body_id:
        raise NotFound(_("見つかりません。"))
    _check_permission(actor)
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status == ImportBatch.Status.COMMITTED:
                raise WrongState(_("この取込みは既に登録済です。"))
            if locked.status != ImportBatch.Status.VALIDATED:
                raise WrongState(_("エラーがあるため登録できません。ファイルを修正して、もう一度取り込んでください。"))
            checked = check_file(actor.body, bytes(locked.content), locked.mode)
            if checked.errors:
                raise _Refused(checked)
            _write(actor, checked)
            _store(locked, checked)
            locked.status = ImportBatch.Status.COMMITTED
            locked.committed_at = timezone.now()
            locked.save()
            record(actor, "import.commit", locked, {"status": ImportBatch.Status.VALIDATED},
                   {"status": locked.status, **checked.counts}, body=actor.body)
    except _Refused as refused:
        # The register changed since the upload (a number taken, a post renamed): keep why, change nothing else.
        _store(batch, refused.checked)
        batch.status = ImportBatch.Status.FAILED
        batch.save(update_fields=["status", "errors", "preview", "total_rows", "create_count", "update_count",
                                  "unchanged_count", "error_count"])
        raise InvalidInput(_("台帳が取込み後に変わったため登録できません。エラーを確認してください。"),
                           fields={"file": [f"{e['row']}行目 {e['column']}: {e['message']}"
                                            for e in refused.checked.errors[:20]]}) from None
    except IntegrityError:
        raise InvalidInput(_("管理番号が他の登録と重複しました。もう一度取り込んでください。")) from None
    return locked


def _write(actor, checked: Checked) -> None:
    body = actor.body
    now = timezone.now()
    new = [Asset(body=body, **r.fields) for r in checked.rows if r.action == "create"]
    Asset.objects.bulk_create(new, batch_size=BATCH_SIZE)
    updates = [r for r in checked.rows if r.action == "update"]
    entries = [("import.create", asset, None, snapshot(asset)) for asset in new]
    # Updates: only the changed fields of each row, grouped so each group is one bulk_update.
    groups: dict[tuple[str, ...], list[Asset]] = {}
    for row in updates:
        asset = row.instance
        before = snapshot(asset)
        for name in row.changed:
            setattr(asset, name, row.fields[name])
        asset.updated_at = now
        groups.setdefault(tuple(row.changed), []).append(asset)
        entries.append(("import.update", asset, before, snapshot(asset)))
    for names, assets in groups.items():
        fields_ = [n for n in names if n in FIELDS] + ["updated_at"]
        Asset.objects.bulk_update(assets, fields_, batch_size=BATCH_SIZE)
    record_many(actor, entries, body=body)

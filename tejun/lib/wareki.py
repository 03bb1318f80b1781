"""Japanese era (和暦) and fiscal-year (年度) helpers.

Pure functions with no Django dependency, so forms, exports and the CLI can share them.
"""

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")

# Japan adopted the Gregorian calendar on 明治6年1月1日; earlier 明治 dates were lunisolar
# and cannot be converted by year arithmetic, so they are out of range.
EARLIEST = date(1873, 1, 1)

# (name, letter, first day), oldest first.
ERAS = (
    ("明治", "M", date(1868, 1, 25)),
    ("大正", "T", date(1912, 7, 30)),
    ("昭和", "S", date(1926, 12, 25)),
    ("平成", "H", date(1989, 1, 8)),
    ("令和", "R", date(2019, 5, 1)),
)
_ERA_INDEX = {name: i for i, (name, _, _) in enumerate(ERAS)}
_LETTER_TO_NAME = {letter: name for name, letter, _ in ERAS}
_WEEKDAYS = "月火水木金土日"
_TOO_EARLY = "明治6年（1873年）1月1日より前の日付には対応していません"


def _as_date(d: date | datetime) -> date:
    # datetime is a subclass of date, so it must be checked first.
    if isinstance(d, datetime):
        if d.tzinfo is not None:
            d = d.astimezone(TOKYO)
        return d.date()
    if isinstance(d, date):
        return d
    raise TypeError(f"date または datetime が必要です（{type(d).__name__} が渡されました）")


def _era_of(d: date) -> tuple[int, int]:
    """Index into ERAS and the era year (1 = 元年) for a plain date."""
    if d < EARLIEST:
        raise ValueError(_TOO_EARLY)
    i = max(i for i, (_, _, start) in enumerate(ERAS) if start <= d)
    return i, d.year - ERAS[i][2].year + 1


def _year_text(n: int) -> str:
    return "元" if n == 1 else str(n)


def era_year(d: date | datetime) -> tuple[str, int]:
    """Era name and year, e.g. ("令和", 7) for date(2025, 4, 1)."""
    i, year = _era_of(_as_date(d))
    return ERAS[i][0], year


def era_short(d: date | datetime) -> str:
    """Letter form, e.g. "R7" for date(2025, 4, 1)."""
    i, year = _era_of(_as_date(d))
    return f"{ERAS[i][1]}{year}"


def to_wareki(d: date | datetime, *, with_weekday: bool = False) -> str:
    """E.g. "令和7年4月1日", or "令和7年4月1日（火）" with with_weekday. Aware datetimes use Tokyo time."""
    d = _as_date(d)
    name, year = era_year(d)
    text = f"{name}{_year_text(year)}年{d.month}月{d.day}日"
    if with_weekday:
        text += f"（{_WEEKDAYS[d.weekday()]}）"
    return text


def to_wareki_month(d: date | datetime) -> str:
    """E.g. "令和8年11月" (a month in a chart or a table of months)."""
    name, year = era_year(d)
    return f"{name}{_year_text(year)}年{_as_date(d).month}月"


def to_wareki_datetime(dt: datetime) -> str:
    """E.g. "令和7年4月1日 14:05". Aware datetimes are shown in Tokyo time; naive ones are assumed to be already."""
    if not isinstance(dt, datetime):
        raise TypeError(f"datetime が必要です（{type(dt).__name__} が渡されました）")
    if dt.tzinfo is not None:
        dt = dt.astimezone(TOKYO)
    return f"{to_wareki(dt)} {dt:%H:%M}"


def fiscal_year(d: date | datetime) -> int:
    """年度: starts on April 1, so 2026-03-31 is FY2025 and 2026-04-01 is FY2026."""
    d = _as_date(d)
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_label(fy: int) -> str:
    """E.g. "令和7年度", named after the era in effect on April 1 of the fiscal year."""
    # 令和 began a month into FY2019, but that year is conventionally called 令和元年度.
    if fy == 2019:
        return "令和元年度"
    name, year = era_year(date(fy, 4, 1))
    return f"{name}{_year_text(year)}年度"


def fiscal_year_range(fy: int) -> tuple[date, date]:
    """First and last day of the fiscal year, both inclusive."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


_KANJI_RE = re.compile(r"(明治|大正|昭和|平成|令和)(元|[0-9]{1,2})年([0-9]{1,2})月([0-9]{1,2})日")
# The same separator must be used twice ("R7.4.1", "R07/04/01", not "R7.4/1").
_SHORT_RE = re.compile(r"([MTSHR])(元|[0-9]{1,2})([./-])([0-9]{1,2})\3([0-9]{1,2})", re.IGNORECASE)
_GREGORIAN_RE = re.compile(r"([0-9]{4})([/-])([0-9]{1,2})\2([0-9]{1,2})")


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        result = date(year, month, day)
    except ValueError:
        raise ValueError(f"「{text}」は存在しない日付です") from None
    if result < EARLIEST:
        raise ValueError(_TOO_EARLY)
    return result


def parse_wareki(text: str) -> date:
    """Parse "令和7年4月1日", "令和元年5月1日", "R7.4.1", "R07/04/01", "2025-04-01" or "2025/4/1".

    Raises ValueError with a message that can be shown to the user as is.
    """
    shown = (text or "").strip()
    # NFKC folds full-width digits, letters and punctuation (０-９, Ｒ, ／) and the ㋿ ligature;
    # inner spaces are dropped so "令和 7年 4月 1日" is accepted too.
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", shown))
    if not s:
        raise ValueError("日付が入力されていません")

    if m := _GREGORIAN_RE.fullmatch(s):
        year, _, month, day = m.groups()
        return _make_date(int(year), int(month), int(day), shown)
    if m := _KANJI_RE.fullmatch(s):
        era, year, month, day = m.groups()
    elif m := _SHORT_RE.fullmatch(s):
        letter, year, _, month, day = m.groups()
        era = _LETTER_TO_NAME[letter.upper()]
    else:
        raise ValueError(f"「{shown}」は日付として解釈できません（例: 令和7年4月1日、R7.4.1、2025-04-01）")

    n = 1 if year == "元" else int(year)
    if n < 1:
        raise ValueError(f"「{shown}」: {era}0年は存在しません（最初の年は{era}元年です）")
    i = _ERA_INDEX[era]
    start = ERAS[i][2]
    result = _make_date(start.year + n - 1, int(month), int(day), shown)
    # Refuse dates that fall outside the named era, e.g. 平成31年5月1日 (already 令和).
    end = ERAS[i + 1][2] if i + 1 < len(ERAS) else None
    if result < start or (end is not None and result >= end):
        raise ValueError(f"「{shown}」は{era}の期間外です（{to_wareki(result)}）")
    return result

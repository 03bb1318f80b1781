"""Japanese era and fiscal-year helpers, plus their template filters. No database needed."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Engine

from tejun.lib.wareki import (
    era_short,
    era_year,
    fiscal_year,
    fiscal_year_label,
    fiscal_year_range,
    parse_wareki,
    to_wareki,
    to_wareki_datetime,
    to_wareki_month,
)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(1873, 1, 1), "明治6年1月1日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2025, 4, 1), "令和7年4月1日"),
    ],
)
def test_to_wareki_era_boundaries(d, expected):
    assert to_wareki(d) == expected


def test_to_wareki_before_gregorian_adoption_is_refused():
    with pytest.raises(ValueError):
        to_wareki(date(1872, 12, 31))


def test_to_wareki_with_weekday():
    assert to_wareki(date(2025, 4, 1), with_weekday=True) == "令和7年4月1日（火）"
    assert to_wareki(date(2019, 5, 1), with_weekday=True) == "令和元年5月1日（水）"


def test_aware_datetime_is_converted_to_tokyo_first():
    # 15:30 UTC on March 31 is already April 1 in Tokyo (UTC+9).
    dt = datetime(2025, 3, 31, 15, 30, tzinfo=UTC)
    assert to_wareki(dt) == "令和7年4月1日"
    assert to_wareki_datetime(dt) == "令和7年4月1日 00:30"
    assert fiscal_year(dt) == 2025


def test_naive_datetime_is_taken_as_is():
    assert to_wareki(datetime(2025, 3, 31, 23, 59)) == "令和7年3月31日"
    assert to_wareki_datetime(datetime(2025, 4, 1, 14, 5)) == "令和7年4月1日 14:05"


def test_to_wareki_datetime_in_tokyo():
    dt = datetime(2025, 4, 1, 14, 5, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert to_wareki_datetime(dt) == "令和7年4月1日 14:05"


def test_to_wareki_datetime_rejects_plain_date():
    with pytest.raises(TypeError):
        to_wareki_datetime(date(2025, 4, 1))


def test_era_year_and_short():
    assert era_year(date(2025, 4, 1)) == ("令和", 7)
    assert era_year(date(2019, 5, 1)) == ("令和", 1)
    assert era_short(date(2025, 4, 1)) == "R7"
    assert era_short(date(2019, 4, 30)) == "H31"
    assert era_short(date(1980, 1, 15)) == "S55"
    assert era_short(date(1920, 1, 1)) == "T9"
    assert era_short(date(1900, 1, 1)) == "M33"


def test_fiscal_year_turns_over_on_april_1():
    assert fiscal_year(date(2026, 3, 31)) == 2025
    assert fiscal_year(date(2026, 4, 1)) == 2026
    assert fiscal_year(date(2025, 12, 31)) == 2025
    assert fiscal_year(date(2026, 1, 1)) == 2025


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (1988, "昭和63年度"),
        (1989, "平成元年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),
        (2020, "令和2年度"),
        (2025, "令和7年度"),
    ],
)
def test_fiscal_year_label(fy, expected):
    assert fiscal_year_label(fy) == expected


def test_fiscal_year_range():
    assert fiscal_year_range(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    start, end = fiscal_year_range(2025)
    assert fiscal_year(start) == fiscal_year(end) == 2025


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和7年4月1日", date(2025, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("R7.4.1", date(2025, 4, 1)),
        ("R07/04/01", date(2025, 4, 1)),
        ("r7-4-1", date(2025, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("S55.1.15", date(1980, 1, 15)),
        ("S64.1.7", date(1989, 1, 7)),
        ("2025-04-01", date(2025, 4, 1)),
        ("2025/4/1", date(2025, 4, 1)),
        ("令和７年４月１日", date(2025, 4, 1)),
        ("Ｒ０７／０４／０１", date(2025, 4, 1)),
        ("２０２５－０４－０１", date(2025, 4, 1)),
        ("  令和 7年 4月 1日 ", date(2025, 4, 1)),
    ],
)
def test_parse_wareki_accepts(text, expected):
    assert parse_wareki(text) == expected


@pytest.mark.parametrize(
    "d",
    [
        date(1873, 1, 1),
        date(1912, 7, 30),
        date(1989, 1, 7),
        date(1989, 1, 8),
        date(2019, 4, 30),
        date(2019, 5, 1),
        date(2025, 4, 1),
        date(2024, 2, 29),
    ],
)
def test_parse_round_trips(d):
    assert parse_wareki(to_wareki(d)) == d
    assert parse_wareki(f"{era_short(d)}.{d.month}.{d.day}") == d


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "令和0年4月1日",
        "R0.4.1",
        "平成31年5月1日",  # already 令和
        "平成32年1月1日",
        "令和元年4月30日",  # still 平成
        "昭和64年1月8日",  # already 平成
        "令和7年2月30日",
        "令和7年13月1日",
        "2025-02-29",
        "明治5年12月31日",  # before Gregorian adoption
        "1872-12-31",
        "R7.4/1",  # mixed separators
        "X7.4.1",
        "令和7年4月",
        "2025-04-01T00:00",
        "hello",
    ],
)
def test_parse_wareki_refuses(text):
    with pytest.raises(ValueError):
        parse_wareki(text)


def test_parse_refusal_messages_are_japanese_and_helpful():
    with pytest.raises(ValueError, match="令和の期間外|平成の期間外") as exc:
        parse_wareki("平成31年5月1日")
    assert "令和元年5月1日" in str(exc.value)
    with pytest.raises(ValueError, match="元年"):
        parse_wareki("令和0年4月1日")
    with pytest.raises(ValueError, match="存在しない日付"):
        parse_wareki("令和7年2月30日")


# Template filters. Engine(libraries=...) loads the library without INSTALLED_APPS.
def render(source, **context):
    engine = Engine(libraries={"wareki": "tejun.lib.templatetags.wareki"})
    return engine.from_string("{% load wareki %}" + source).render(Context(context))


def test_filter_wareki():
    assert render("{{ d|wareki }}", d=date(2025, 4, 1)) == "令和7年4月1日"
    assert render("{{ d|wareki }}", d=datetime(2025, 3, 31, 15, 30, tzinfo=UTC)) == "令和7年4月1日"


@pytest.mark.parametrize("value", [None, "", "not a date", date(1800, 1, 1)])
def test_filters_render_empty_for_missing_or_bad_values(value):
    assert render("{{ v|wareki }}|{{ v|wareki_datetime }}|{{ v|fiscal_year_label }}", v=value) == "||"


def test_filter_wareki_datetime():
    dt = datetime(2025, 4, 1, 5, 5, tzinfo=UTC)
    assert render("{{ dt|wareki_datetime }}", dt=dt) == "令和7年4月1日 14:05"
    assert render("{{ d|wareki_datetime }}", d=date(2025, 4, 1)) == ""


def test_filter_fiscal_year_label():
    assert render("{{ d|fiscal_year_label }}", d=date(2026, 3, 31)) == "令和7年度"
    assert render("{{ d|fiscal_year_label }}", d=date(2019, 4, 1)) == "令和元年度"


def test_month_in_the_era():
    assert to_wareki_month(date(2026, 11, 1)) == "令和8年11月"
    assert to_wareki_month(date(2019, 5, 31)) == "令和元年5月"
    assert to_wareki_month(date(2019, 4, 30)) == "平成31年4月"

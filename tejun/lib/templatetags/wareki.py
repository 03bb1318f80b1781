"""Template filters for Japanese era dates: {% load wareki %} {{ obj.date|wareki }}."""

from django import template

from tejun.lib import wareki as w

register = template.Library()


def _render(convert, value) -> str:
    # Like Django's own |date filter: an empty or unusable value renders as "" instead of
    # breaking the whole page.
    if value is None or value == "":
        return ""
    try:
        return convert(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def wareki(value) -> str:
    """date/datetime -> "令和7年4月1日" (aware datetimes in Tokyo time)."""
    return _render(w.to_wareki, value)


@register.filter
def wareki_datetime(value) -> str:
    """datetime -> "令和7年4月1日 14:05" in Tokyo time; a plain date renders as ""."""
    return _render(w.to_wareki_datetime, value)


@register.filter
def fiscal_year_label(value) -> str:
    """date/datetime -> the label of its fiscal year, e.g. "令和7年度"."""
    return _render(lambda d: w.fiscal_year_label(w.fiscal_year(d)), value)

"""Incidents per month as an SVG bar chart drawn on the server (no script, no external file)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from tejun.lib.wareki import era_short, to_wareki_month

# Distinguishable colours (also in print); the legend and the table below the chart name each kind.
PALETTE = ["#1f5fa8", "#c0392b", "#e08e0b", "#2e8b57", "#7d3c98", "#5d6d7e", "#117a8b", "#a04000"]
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 40


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    x_labels: list[dict] = field(default_factory=list)   # {x, y, text}
    y_ticks: list[dict] = field(default_factory=list)    # {y, text}
    legend: list[dict] = field(default_factory=list)     # {color, label}
    rows: list[dict] = field(default_factory=list)       # the same data as a table: {month, counts, total}
    kinds: list[str] = field(default_factory=list)
    total: int = 0
    baseline: float = 0
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT


def last_months(today: date, n: int = 12) -> list[date]:
    """The first days of the last n months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [date((i // 12), (i % 12) + 1, 1) for i in range(index - n + 1, index + 1)]


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if value <= step * 4:
            return step * 4
    return value


def build(months: list[date], counts: dict[tuple[date, str], int], kinds: list[tuple[str, str]]) -> Chart:
    """counts: {(first day of month, kind): n}; kinds: (value, label) in legend order (only those present)."""
    used = [(k, label) for k, label in kinds if any(counts.get((m, k)) for m in months)]
    colors = {k: PALETTE[i % len(PALETTE)] for i, (k, _label) in enumerate(used)}
    totals = [sum(counts.get((m, k), 0) for k, _l in used) for m in months]
    top = _nice_max(max(totals, default=0) or 1)
    chart = Chart(kinds=[label for _k, label in used], total=sum(totals))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    chart.baseline = TOP + plot_h
    slot = plot_w / len(months)
    bar_w = slot * 0.62
    for i in range(5):
        value = top * i // 4
        chart.y_ticks.append({"y": round(chart.baseline - plot_h * value / top, 1), "text": value})
    for i, month in enumerate(months):
        x = LEFT + slot * i + (slot - bar_w) / 2
        y = chart.baseline
        for kind, label in used:
            n = counts.get((month, kind), 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            chart.bars.append(Bar(round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1), colors[kind],
                                  f"{to_wareki_month(month)} {label}: {n}"))
        text = _("%(month)s月") % {"month": month.month}
        chart.x_labels.append({"x": round(LEFT + slot * i + slot / 2, 1), "y": chart.baseline + 16, "text": text,
                               "year": era_short(month) if month.month == 1 or i == 0 else ""})
        chart.rows.append({"month": month, "label": to_wareki_month(month), "counts": [counts.get((month, k), 0) for k, _l in used],
                           "total": totals[i]})
    chart.legend = [{"color": colors[k], "label": label} for k, label in used]
    return chart

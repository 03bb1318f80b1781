"""Rows of the benchmark: each a measurement against a target, one aligned table, the JSON file, the exit code."""

from __future__ import annotations

import json
import operator
import os
import platform
import sqlite3
import subprocess
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

OK, MISS, ERROR, INFO = "ok", "miss", "error", "info"
MARK = {OK: "✓", MISS: "✗", ERROR: "✗ ERROR", INFO: "–"}
COMPARE = {"<=": operator.le, ">=": operator.ge}


@dataclass
class Row:
    """One line of the table. `value` is compared with `limit` by `op`; without a limit the row only informs.
    Any error (a non-200 answer, a crash, a failed command) makes the row an error, whatever the numbers."""

    name: str
    kind: str  # page, api, throughput, export, command, memory
    value: float | None = None
    unit: str = ""
    op: str = "<="
    limit: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    n: int = 0
    detail: str = ""
    errors: list[str] = field(default_factory=list)
    target: str = ""  # filled by evaluate()
    status: str = ""

    def evaluate(self) -> Row:
        self.target = "" if self.limit is None else f"{self.op} {_number(self.limit)} {self.unit}".strip()
        if self.errors or (self.value is None and self.limit is not None):
            self.status = ERROR
            if not self.errors:
                self.errors = ["no measurement"]
        elif self.limit is None:
            self.status = INFO
        else:
            self.status = OK if COMPARE[self.op](self.value, self.limit) else MISS
        return self


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value != int(value) else f"{value:.0f}"


def measured_text(row: Row) -> str:
    text = f"{_number(row.value)} {row.unit}".strip() if row.value is not None else ""
    if row.detail:
        text = f"{text} ({row.detail})" if text else row.detail
    return text


def table(rows: list[Row], title: str = "") -> str:
    header = ["scenario", "n", "p50 ms", "p95 ms", "p99 ms", "target", "measured", "result"]
    lines = [
        [r.name, str(r.n or ""), _number(r.p50), _number(r.p95), _number(r.p99), r.target, measured_text(r),
         MARK[r.status] + (f" {'; '.join(_short(r.errors))}" if r.errors else "")]
        for r in rows
    ]
    widths = [max(width(h), *(width(line[i]) for line in lines)) if lines else width(h)
              for i, h in enumerate(header)]
    numeric = {1, 2, 3, 4}

    def fmt(cells):
        padded = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (w - width(cell))
            padded.append(pad + cell if i in numeric else cell + pad)
        return "  ".join(padded)

    out = ([title] if title else []) + [fmt(header), fmt(["-" * w for w in widths])] + [fmt(line) for line in lines]
    return "\n".join(line.rstrip() for line in out)


def width(text: str) -> int:
    """Columns on a terminal: Japanese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _short(errors: list[str]) -> list[str]:
    """Repeated errors once, with a count ("HTTP 500 ×10")."""
    counts: dict[str, int] = {}
    for error in errors:
        counts[error] = counts.get(error, 0) + 1
    return [f"{e} ×{n}" if n > 1 else e for e, n in counts.items()][:3]


def exit_code(rows: list[Row], scale: str) -> tuple[int, list[str]]:
    """Errors always fail the run; a missed target fails only the full run (quick data is small and CI
    machines vary). Returns the code and the reasons."""
    errors = [f"{r.name}: {'; '.join(_short(r.errors))}" for r in rows if r.status == ERROR]
    misses = [f"{r.name}: {measured_text(r)}, target {r.target}" for r in rows if r.status == MISS]
    if errors:
        return 1, ["error: " + e for e in errors] + (["missed: " + m for m in misses] if scale == "full" else [])
    if misses and scale == "full":
        return 1, ["missed: " + m for m in misses]
    return 0, []


def machine_info(db_version: str = "") -> dict:
    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version, "db_version": db_version}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return info


def git_info(repo: Path) -> dict:
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=30).stdout.strip()  # noqa: S603, S607
        except (OSError, subprocess.TimeoutExpired):
            return ""

    return {"commit": git("rev-parse", "HEAD"), "subject": git("log", "-1", "--format=%s"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def write_json(path: Path, payload: dict, rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {**payload, "rows": [asdict(r) for r in rows]}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")

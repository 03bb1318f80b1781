"""What is measured, with which target (issue 8): pages and API lists (p95), throughput, exports, commands,
worker memory. Each function returns report rows; an exception in one scenario becomes an error row."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from measure import Sample, login, new_session, throughput, time_requests
from report import Row

PASSWORD = "bench-password-2026"  # noqa: S105  (loadgen's bench users; a loadgen database is never production)
PAGE_P95_MS = 100
XLSX_SECONDS, XLSX_PEAK_MB = 15, 300
PDF_SECONDS = 10
VERIFY_EVENTS_PER_S = 100_000
TICK_SECONDS = 30
WORKER_RSS_MB = 200
# API routes that are not lists: the schema and its docs page, and the export timed as an export.
API_SKIP = re.compile(r"/(schema|docs|export\.xlsx|imports)/?$")


@dataclass
class Scale:
    requests: int         # timed requests per page / API list
    warmup: int
    exports: int          # timed runs of each export
    throughput_s: float   # seconds per throughput measurement
    pdf_rows: int         # rows of the register PDF (the target is for 1,000)
    budget_s: float       # per page or API list: stop after this once 5 are timed (see measure.time_requests)
    other_requests: int   # timed requests per page of the sweep of every other page (probe's other_pages)
    clients: int = 4


SCALES = {
    "quick": Scale(requests=10, warmup=1, exports=1, throughput_s=2, pdf_rows=200, budget_s=20, other_requests=5),
    "full": Scale(requests=50, warmup=3, exports=2, throughput_s=5, pdf_rows=1000, budget_s=30, other_requests=20),
}


@dataclass
class Context:
    base_url: str
    session: requests.Session   # logged in as bench-admin
    probe: dict
    scale: Scale
    server: object               # instance.Server
    prepared: object             # instance.Prepared


def _query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def page_paths(probe: dict) -> list[tuple[str, str]]:
    """(name, path) of each page, logged in as bench-admin (the login page is timed logged out)."""
    paths = [
        ("my tasks", "/tasks/"),
        ("dashboard", "/dashboard/"),
        ("asset list, first page", "/assets/"),
        ("asset list, filtered (所属)", _query("/assets/", department=probe["department"])),
        (f"asset list, search 「{probe['search_word']}」", _query("/assets/", q=probe["search_word"])),
        ("asset list, last page", _query("/assets/", page=probe["asset_last_page"])),
        ("asset detail", f"/assets/{probe['asset_id']}/"),
        ("media register", "/media/register/"),
        ("carry-out list", "/media/carry-outs/"),
        ("incident list", "/incidents/"),
        ("incident detail", f"/incidents/{probe['incident_id']}/"),
        ("provision list", "/vendors/provisions/"),
        ("audit event list", "/audit/"),
    ]
    return paths


def _timed_row(name: str, kind: str, sample: Sample, limit: float | None = PAGE_P95_MS) -> Row:
    summary = sample.summary()
    return Row(name=name, kind=kind, value=summary.get("p95_ms"), unit="ms", limit=limit, n=summary["n"],
               p50=summary.get("p50_ms"), p95=summary.get("p95_ms"), p99=summary.get("p99_ms"),
               errors=sample.failures, detail="p95")


def pages(ctx: Context) -> list[Row]:
    anonymous = new_session()
    rows = [_timed_row("login page", "page", time_requests(anonymous, ctx.base_url + "/login/", ctx.scale.requests,
                                                           ctx.scale.warmup, ctx.scale.budget_s))]
    for name, path in page_paths(ctx.probe):
        sample = time_requests(ctx.session, ctx.base_url + path, ctx.scale.requests, ctx.scale.warmup,
                               ctx.scale.budget_s)
        rows.append(_timed_row(name, "page", sample))
    return rows


def other_pages(ctx: Context) -> list[Row]:
    """Every other page: those without a parameter and the detail and edit pages of the largest objects (the
    probe lists them), fewer requests each; the same target."""
    rows = []
    for name, path in ctx.probe.get("other_pages", []):
        sample = time_requests(ctx.session, ctx.base_url + path, ctx.scale.other_requests, 1, ctx.scale.budget_s)
        rows.append(_timed_row(f"page {name}", "page", sample))
    return rows


def api_list_paths(schema: dict) -> list[str]:
    """Every GET route of the OpenAPI schema without a path parameter (lists, plus me/ and dashboard/)."""
    return sorted(path for path, operations in schema.get("paths", {}).items()
                  if "get" in operations and "{" not in path and not API_SKIP.search(path))


def api_lists(ctx: Context) -> list[Row]:
    response = ctx.session.get(ctx.base_url + "/api/v1/schema/", params={"format": "json"}, timeout=120)
    if response.status_code != 200:
        return [Row(name="API schema", kind="api", errors=[f"HTTP {response.status_code}"])]
    rows = []
    for path in api_list_paths(response.json()):
        sample = time_requests(ctx.session, ctx.base_url + path, ctx.scale.requests, ctx.scale.warmup,
                               ctx.scale.budget_s)
        rows.append(_timed_row(f"API {path.removeprefix('/api/v1')}", "api", sample))
    return rows


def throughputs(ctx: Context) -> list[Row]:
    rows = []
    for name, path in [("my tasks", "/tasks/"), ("asset list", "/assets/"), ("API assets", "/api/v1/assets/")]:
        result = throughput(ctx.session, ctx.base_url + path, ctx.scale.clients, ctx.scale.throughput_s)
        rows.append(Row(name=f"throughput: {name}", kind="throughput", value=round(result.per_second, 1),
                        unit="req/s", limit=None, n=result.ok, detail=f"{result.clients} clients",
                        errors=result.failures))
    return rows


def _timed_download(ctx: Context, path: str, runs: int) -> tuple[list[float], list[str], int]:
    seconds, errors, size = [], [], 0
    for _ in range(runs):
        started = time.perf_counter()
        try:
            response = ctx.session.get(ctx.base_url + path, allow_redirects=False, timeout=600)
        except requests.RequestException as exc:
            errors.append(type(exc).__name__)
            continue
        seconds.append(time.perf_counter() - started)
        size = len(response.content)
        if response.status_code != 200:
            errors.append(f"HTTP {response.status_code}")
    return seconds, errors, size


def exports(ctx: Context) -> list[Row]:
    probe, runs, rows = ctx.probe, ctx.scale.exports, []
    # xlsx of every asset (disposed ones too): slowest run, and the highest worker peak memory (VmHWM).
    seconds, errors, size = _timed_download(ctx, _query("/assets/export.xlsx", status=""), runs)
    peak = max(ctx.server.peak_mb().values(), default=None)
    rows.append(Row(name="xlsx export, all assets", kind="export", value=_round(max(seconds, default=None)),
                    unit="s", limit=XLSX_SECONDS, n=len(seconds), detail=f"{size / 1e6:.1f} MB file",
                    errors=errors))
    rows.append(Row(name="worker peak memory (after xlsx)", kind="memory", value=peak, unit="MB",
                    limit=XLSX_PEAK_MB, detail="VmHWM, highest worker"))
    pdf = _query("/assets/export.pdf", **probe["pdf_filter"])
    seconds, errors, _size = _timed_download(ctx, pdf, runs)
    rows.append(Row(name=f"register PDF, {probe['pdf_rows']:,} rows", kind="export",
                    value=_round(max(seconds, default=None)), unit="s", limit=PDF_SECONDS, n=len(seconds),
                    errors=errors))
    for fmt in ("docx", "pdf"):
        if probe.get("provision_id") is None:
            rows.append(Row(name=f"memorandum .{fmt}", kind="export", errors=["no provision with a memorandum"]))
            continue
        sample = time_requests(ctx.session, f"{ctx.base_url}/vendors/provisions/{probe['provision_id']}/memorandum.{fmt}",
                               runs, warmup=1)
        rows.append(_timed_row(f"memorandum .{fmt}", "export", sample, limit=None))
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def audit_verify(prepared) -> Row:
    """`tejun audit verify` as a subprocess: events checked per second. The command's start-up (Django, the
    settings, the apps; a few seconds on a loaded machine) is measured with `--body 0`, which checks
    nothing, and taken off: the target is the speed of the check, and 10,000 quick events would otherwise
    only time the start-up."""
    startup = _timed(lambda: prepared.run("audit", "verify", "--body", "0", check=False, timeout=300))[0]
    elapsed, result = _timed(lambda: prepared.run("audit", "verify", check=False, timeout=1800))
    match = re.search(r"OK: (\d+) events", result.stdout)
    if result.returncode != 0 or not match:
        return Row(name="audit verify", kind="command", unit="events/s", op=">=", limit=VERIFY_EVENTS_PER_S,
                   errors=[f"exit {result.returncode}: {(result.stderr or result.stdout).strip()[-200:]}"])
    checked = int(match.group(1))
    checking = elapsed - startup
    detail = f"{checked:,} events in {elapsed:.1f} s, of which start-up {startup:.1f} s"
    if checking < elapsed / 4:
        # The start-up is most of the time (quick data) and varies by more than the check itself: the rate
        # on the whole command is the honest figure, never a difference of two noisy numbers.
        checking, detail = elapsed, f"{checked:,} events in {elapsed:.1f} s, mostly start-up"
    return Row(name="audit verify", kind="command", value=round(checked / checking), unit="events/s", op=">=",
               limit=VERIFY_EVENTS_PER_S, n=1, detail=detail)


def _timed(call):
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def tick(prepared) -> Row:
    started = time.perf_counter()
    result = prepared.run("tick", check=False, timeout=1800)
    elapsed = time.perf_counter() - started
    errors = [] if result.returncode == 0 else [f"exit {result.returncode}: {result.stderr.strip()[-200:]}"]
    return Row(name="tick", kind="command", value=round(elapsed, 1), unit="s", limit=TICK_SECONDS, n=1,
               errors=errors)


def worker_rss(ctx: Context) -> Row:
    rss = ctx.server.rss_mb()
    errors = [] if rss else ["no worker found"]
    return Row(name="worker RSS after the run", kind="memory", value=max(rss.values(), default=None), unit="MB",
               limit=WORKER_RSS_MB, detail=", ".join(f"{v:.0f}" for v in rss.values()) + " MB", errors=errors)


def admin_session(base_url: str) -> requests.Session:
    return login(base_url, "bench-admin", PASSWORD)

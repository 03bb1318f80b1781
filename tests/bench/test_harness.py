"""The benchmark harness without the app (fast, no server, no database): percentiles, targets, the table,
the exit code (an error always fails, a missed target only in full mode), and timing against a tiny local
HTTP server that answers 200 or 500."""

import http.server
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import instance  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
import run  # noqa: E402
import scenarios  # noqa: E402
from report import ERROR, INFO, MISS, OK, Row  # noqa: E402


@pytest.mark.parametrize(("values", "p", "expected"), [
    ([1, 2, 3, 4], 50, 2.5),
    ([1, 2, 3, 4], 95, 3.85),
    ([4, 1, 3, 2], 0, 1),
    ([4, 1, 3, 2], 100, 4),
    ([7], 99, 7),
    (list(range(1, 101)), 99, 99.01),
])
def test_percentile_interpolates_between_ranks(values, p, expected):
    assert measure.percentile(values, p) == pytest.approx(expected)


def test_percentile_refuses_nothing_and_out_of_range():
    with pytest.raises(ValueError):
        measure.percentile([], 50)
    with pytest.raises(ValueError):
        measure.percentile([1], 101)


def page_row(p95, errors=()):
    return Row(name="asset list", kind="page", value=p95, unit="ms", limit=100, p95=p95, errors=list(errors))


def test_targets_met_missed_informative():
    assert page_row(99.9).evaluate().status == OK
    assert page_row(100).evaluate().status == OK
    assert page_row(100.1).evaluate().status == MISS
    verify = Row(name="audit verify", kind="command", value=90_000, op=">=", limit=100_000, unit="events/s")
    assert verify.evaluate().status == MISS
    assert verify.evaluate().target == ">= 100,000 events/s"
    assert Row(name="throughput", kind="throughput", value=12.0).evaluate().status == INFO


def test_a_non_200_is_an_error_whatever_the_time():
    row = page_row(5.0, errors=["HTTP 500"]).evaluate()
    assert row.status == ERROR
    # A target row with no measurement at all is an error too, never a silent pass.
    assert Row(name="xlsx", kind="export", value=None, limit=15, unit="s").evaluate().status == ERROR


def test_sample_counts_every_non_200():
    sample = measure.Sample(times_ms=[1, 2, 3], statuses=[200, 302, 500], errors=["ConnectTimeout"])
    assert sample.failures == ["HTTP 302", "HTTP 500", "ConnectTimeout"]
    assert sample.summary()["p50_ms"] == 2


def test_exit_code_quick_fails_only_on_errors():
    missed = [page_row(150).evaluate(), page_row(50).evaluate()]
    assert report.exit_code(missed, "quick") == (0, [])
    code, reasons = report.exit_code([*missed, page_row(10, ["HTTP 500"] * 3).evaluate()], "quick")
    assert code == 1
    assert reasons == ["error: asset list: HTTP 500 ×3"]


def test_exit_code_full_fails_on_a_missed_target_and_says_which():
    code, reasons = report.exit_code([page_row(150).evaluate(), page_row(50).evaluate()], "full")
    assert code == 1
    assert reasons == ["missed: asset list: 150 ms, target <= 100 ms"]
    assert report.exit_code([page_row(50).evaluate()], "full") == (0, [])


def test_table_is_aligned_with_japanese_names():
    rows = [Row(name="asset list, search 「議会」", kind="page", value=42.0, unit="ms", limit=100, n=10, p50=30,
                p95=42, p99=50).evaluate(),
            Row(name="tick", kind="command", value=31.0, unit="s", limit=30, n=1).evaluate(),
            Row(name="API /assets/", kind="api", errors=["HTTP 500"], limit=100).evaluate()]
    lines = report.table(rows).splitlines()
    # The result column starts at the same terminal column on every line (wide characters count two).
    starts = {report.width(line[: line.rindex(mark)]) for line, mark in zip(lines[2:], ["✓", "✗", "✗ ERROR"],
                                                                              strict=True)}
    assert len(starts) == 1
    assert "✗ ERROR HTTP 500" in lines[4]


def test_api_list_paths_are_get_routes_without_parameters():
    schema = {"paths": {
        "/api/v1/assets/": {"get": {}, "post": {}},
        "/api/v1/assets/{id}/": {"get": {}},
        "/api/v1/auth/token/": {"post": {}},
        "/api/v1/schema/": {"get": {}},
        "/api/v1/assets/export.xlsx": {"get": {}},
        "/api/v1/me/": {"get": {}},
    }}
    assert scenarios.api_list_paths(schema) == ["/api/v1/assets/", "/api/v1/me/"]


def test_loadgen_line_is_the_last_json_line():
    out = "assets: 1000\nLOADGEN {\"body_id\": 3, \"asset_id_first\": 9}\n"
    assert instance.parse_loadgen_line(out) == {"body_id": 3, "asset_id_first": 9}
    with pytest.raises(instance.PrepareError):
        instance.parse_loadgen_line("done\n")


@pytest.fixture
def tiny_server():
    """Answers 200 on /ok and 500 on anything else."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status = 200 if self.path == "/ok" else 500
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"hi")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_timing_and_throughput_against_a_server(tiny_server):
    session = measure.new_session()
    good = measure.time_requests(session, tiny_server + "/ok", n=5, warmup=1)
    assert good.statuses == [200] * 5 and not good.failures and len(good.times_ms) == 5
    bad = measure.time_requests(session, tiny_server + "/broken", n=3, warmup=0)
    assert bad.failures == ["HTTP 500"] * 3
    rate = measure.throughput(session, tiny_server + "/ok", clients=2, seconds=0.3)
    assert rate.ok > 0 and not rate.failures and rate.per_second > 0
    assert measure.throughput(session, tiny_server + "/broken", clients=2, seconds=0.2).ok == 0


def fake_engine(rows):
    def bench_engine(engine, scale, seed, log):
        return [Row(**r).evaluate() for r in rows], {"wall_seconds": 1.0}

    return bench_engine


@pytest.mark.parametrize(("scale", "rows", "code"), [
    ("quick", [{"name": "dashboard", "kind": "page", "value": 150, "limit": 100, "unit": "ms"}], 0),
    ("full", [{"name": "dashboard", "kind": "page", "value": 150, "limit": 100, "unit": "ms"}], 1),
    ("full", [{"name": "dashboard", "kind": "page", "value": 50, "limit": 100, "unit": "ms"}], 0),
    ("quick", [{"name": "dashboard", "kind": "page", "value": 50, "limit": 100, "unit": "ms",
                "errors": ["HTTP 500"]}], 1),
])
def test_main_exit_code(monkeypatch, capsys, scale, rows, code):
    monkeypatch.setattr(run, "bench_engine", fake_engine(rows))
    monkeypatch.setattr(run, "git_info", lambda repo: {"commit": "0" * 40, "dirty": False})
    assert run.main(["--scale", scale, "--engine", "sqlite", "--no-json"]) == code
    out, err = capsys.readouterr()
    assert "dashboard" in out
    assert ("FAILED" in err) == bool(code)


def test_main_writes_json_with_machine_and_commit(monkeypatch, tmp_path):
    monkeypatch.setattr(run, "bench_engine", fake_engine(
        [{"name": "tick", "kind": "command", "value": 3.0, "limit": 30, "unit": "s"}]))
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    monkeypatch.setattr(run, "git_info", lambda repo: {"commit": "a" * 40, "dirty": False})
    monkeypatch.setattr(run.instance, "REPO", tmp_path.parent)
    assert run.main(["--scale", "quick", "--engine", "postgres"]) == 0
    (written,) = tmp_path.glob("*-quick-postgres.json")
    import json

    document = json.loads(written.read_text())
    assert document["git"]["commit"] == "a" * 40
    assert document["machine"]["cpus"] >= 1
    assert document["rows"][0]["status"] == "ok"


def test_a_slow_page_stops_after_its_budget_with_enough_samples(tiny_server):
    session = measure.new_session()
    sample = measure.time_requests(session, tiny_server + "/ok", n=1000, warmup=0, budget_s=0)
    assert len(sample.times_ms) == measure.MIN_SAMPLES
    assert len(measure.time_requests(session, tiny_server + "/ok", n=7, warmup=0).times_ms) == 7


class FakePrepared:
    """`prepared.run` of instance.Prepared: the start-up run (--body 0) and the full run, with set durations."""

    def __init__(self, startup_s, full_s, checked=1_000_000):
        self.durations = {True: startup_s, False: full_s}
        self.checked = checked

    def run(self, *args, check=True, timeout=None):
        import subprocess
        import time

        startup = "--body" in args
        time.sleep(self.durations[startup])
        out = f"OK: {0 if startup else self.checked} events in 1 chain(s) verified"
        return subprocess.CompletedProcess(args, 0, stdout=out, stderr="")


def test_audit_verify_rate_takes_off_the_start_up():
    row = scenarios.audit_verify(FakePrepared(startup_s=0.1, full_s=0.6)).evaluate()
    assert 1_700_000 < row.value < 2_100_000  # 1,000,000 events in about 0.5 s of checking
    assert row.status == OK


def test_audit_verify_rate_when_the_start_up_is_most_of_the_time():
    # A start-up measured longer than the whole run (noise) must not give an absurd rate.
    row = scenarios.audit_verify(FakePrepared(startup_s=0.3, full_s=0.2, checked=10_000)).evaluate()
    assert row.value < 60_000
    assert "mostly start-up" in row.detail


def test_every_other_page_the_probe_lists_is_timed_and_a_failing_one_is_an_error(tiny_server):
    ctx = scenarios.Context(base_url=tiny_server, session=measure.new_session(), scale=scenarios.SCALES["quick"],
                            probe={"other_pages": [["/ok", "/ok"], ["media:medium-detail (id 7)", "/broken"]]},
                            server=None, prepared=None)
    rows = [row.evaluate() for row in scenarios.other_pages(ctx)]
    assert [row.name for row in rows] == ["page /ok", "page media:medium-detail (id 7)"]
    assert rows[0].status == OK and rows[0].n == scenarios.SCALES["quick"].other_requests
    assert rows[1].status == ERROR

"""The benchmark of issue 8: `make bench` (full) and `make bench-quick` (CI).

    .venv/bin/python bench/run.py --scale quick|full [--engine sqlite|postgres] [--seed 1]

For each engine: a loadgen database at the scale, gunicorn with 2 workers in production settings, logged in
as bench-admin; pages and API lists (p50/p95/p99), throughput, exports, `tejun audit verify`, `tejun tick`,
worker memory. One table per engine, JSON under bench/results/. Exit 1 on any error (a non-200, a crash);
in full mode also on a missed target. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

import instance
import scenarios
from report import Row, exit_code, git_info, machine_info, table, write_json

RESULTS = Path(__file__).resolve().parent / "results"


def probe(prepared, pdf_rows: int) -> dict:
    source = (Path(__file__).resolve().parent / "probe.py").read_text()
    prepared.env["BENCH_PDF_ROWS"] = str(pdf_rows)
    try:
        result = prepared.run("shell", "-c", source)
    finally:
        del prepared.env["BENCH_PDF_ROWS"]
    for line in result.stdout.splitlines():
        if line.startswith("PROBE "):
            return json.loads(line[len("PROBE "):])
    raise instance.PrepareError("probe printed no PROBE line:\n" + result.stdout[-2000:] + result.stderr[-2000:])


def db_version(prepared) -> str:
    if prepared.engine == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(prepared.env["DATABASE_URL"]) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].join(["PostgreSQL ", ""])


def _guard(name: str, step) -> list[Row]:
    """A scenario that crashes is an error row, and the others still run."""
    try:
        rows = step()
        return rows if isinstance(rows, list) else [rows]
    except Exception as exc:  # the table must show the failure, not stop
        traceback.print_exc()
        return [Row(name=name, kind="error", errors=[f"{type(exc).__name__}: {str(exc)[:200]}"])]


def bench_engine(engine: str, scale: str, seed: int, log) -> tuple[list[Row], dict]:
    meta: dict = {"engine": engine, "scale": scale, "seed": seed}
    started = time.monotonic()
    rows: list[Row] = []
    try:
        with instance.prepared_database(engine, scale, seed=seed) as prepared:
            meta["prepare_seconds"] = round(time.monotonic() - started, 1)
            meta["loadgen"] = prepared.info
            meta["probe"] = probe(prepared, scenarios.SCALES[scale].pdf_rows)
            meta["db_version"] = db_version(prepared)
            log(f"{engine}: prepared in {meta['prepare_seconds']} s; {meta['probe']['assets_in_use']:,} assets in use, "
                f"{meta['probe']['audit_events']:,} audit events")
            with instance.gunicorn(prepared, workers=2) as server:
                ctx = scenarios.Context(base_url=server.base_url, session=scenarios.admin_session(server.base_url),
                                        probe=meta["probe"], scale=scenarios.SCALES[scale], server=server,
                                        prepared=prepared)
                for name, step in [("pages", scenarios.pages), ("other pages", scenarios.other_pages),
                                   ("API lists", scenarios.api_lists),
                                   ("throughput", scenarios.throughputs), ("exports", scenarios.exports)]:
                    step_started = time.monotonic()
                    rows += _guard(name, lambda step=step: step(ctx))
                    log(f"{engine}: {name} done in {time.monotonic() - step_started:.0f} s")
                rows += _guard("worker RSS", lambda: scenarios.worker_rss(ctx))
                meta["gunicorn_log_tail"] = server.log_tail(2000)
            # The commands after the server: they would otherwise compete with it for the two cores.
            rows += _guard("audit verify", lambda: scenarios.audit_verify(prepared))
            rows += _guard("tick", lambda: scenarios.tick(prepared))
    except Exception as exc:
        traceback.print_exc()
        rows.append(Row(name=f"{engine}: run", kind="error", errors=[f"{type(exc).__name__}: {str(exc)[:300]}"]))
    meta["wall_seconds"] = round(time.monotonic() - started, 1)
    return [row.evaluate() for row in rows], meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=instance.SCALES, default="quick")
    parser.add_argument("--engine", choices=instance.ENGINES, default=None, help="one engine (default: both)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-json", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    engines = [args.engine] if args.engine else list(instance.ENGINES)
    git = git_info(instance.REPO)
    code, reasons = 0, []
    for engine in engines:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        rows, meta = bench_engine(engine, args.scale, args.seed, log=lambda m: print(m, file=sys.stderr, flush=True))
        title = (f"Tejun bench — {engine}, {args.scale} scale, commit {git['commit'][:10]}"
                 f"{' (dirty tree)' if git['dirty'] else ''}, {meta['wall_seconds']:.0f} s")
        print(table(rows, title) + "\n", flush=True)
        if not args.no_json:
            path = RESULTS / f"{stamp}-{args.scale}-{engine}.json"
            write_json(path, {"started_at": stamp, "machine": machine_info(meta.get("db_version", "")),
                              "git": git, **meta}, rows)
            print(f"written: {path.relative_to(instance.REPO)}", file=sys.stderr)
        engine_code, engine_reasons = exit_code(rows, args.scale)
        code = max(code, engine_code)
        reasons += [f"{engine}: {reason}" for reason in engine_reasons]
    if reasons:
        print("FAILED:\n  " + "\n  ".join(reasons), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())

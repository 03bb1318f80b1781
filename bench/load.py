"""Load run (issue 8, part 4): simulated users on a loadgen database served by gunicorn (2 workers), then a check
that every transition that answered success is in the database, in the audit chain and the transition log.

    .venv/bin/python bench/load.py                          # 50 users, 60 s, SQLite then PostgreSQL, quick data
    .venv/bin/python bench/load.py --users 10 --seconds 15  # the short mode (CI)

Prints one table per engine and writes bench/results/<UTC>-load-<engine>.json. Exits 1 on any error
(5xx, connection error, an unexpected status), any mismatch with the database, or a failed `audit verify`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import instance  # noqa: E402
import load_check  # noqa: E402
from load_users import LOGIN_TIMEOUT, PASSWORD, TIMEOUT, Clock, SimUser, Tally  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
BENCH_USERS = 50  # loadgen's bench-user-001 … bench-user-050
APPROVER = "bench-admin"
LOGIN_KINDS = ("page login", "login")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=50, help="simulated users (default 50; one in ten approves)")
    p.add_argument("--seconds", type=float, default=60, help="how long the users keep going (default 60)")
    p.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--scale", choices=list(instance.SCALES), default="quick")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = p.parse_args(argv)
    if args.users < 2:
        p.error("--users must be at least 2 (one approver, one member of staff)")
    if args.users - approvers_for(args.users) > BENCH_USERS:
        p.error(f"at most {BENCH_USERS} staff users exist (bench-user-001 … bench-user-{BENCH_USERS:03d})")
    return args


def approvers_for(users: int) -> int:
    return max(1, round(users / 10))


def logins(users: int, info: dict | None = None) -> list[tuple[str, bool]]:
    """(login id, approver?) per simulated user: a tenth are bench-admin sessions, the rest staff.

    The login ids come from loadgen's LOADGEN line when it names them."""
    named = (info or {}).get("logins", {})
    admin = named.get("admin", APPROVER)
    staff = named.get("load_users") or [f"bench-user-{i:03d}" for i in range(1, BENCH_USERS + 1)]
    approvers = approvers_for(users)
    if users - approvers > len(staff):
        raise instance.PrepareError(f"{users - approvers} staff users wanted, the database has {len(staff)}")
    return [(admin, True)] * approvers + [(login_id, False) for login_id in staff[: users - approvers]]


def percentile(values: list[float], q: float) -> float:
    """Nearest rank: the value below which q of the values lie."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 1)))  # ceil(q * n)
    return ordered[min(rank, len(ordered)) - 1]


def summarise(tally: Tally, seconds: float) -> dict:
    by_kind = defaultdict(list)
    for s in tally.samples:
        by_kind[s.kind].append(s)
    kinds = {}
    for kind in sorted(by_kind):
        samples = by_kind[kind]
        ms = [s.ms for s in samples if s.outcome != "error"]
        kinds[kind] = {
            "requests": len(samples),
            "errors": sum(s.outcome == "error" for s in samples),
            "conflicts": sum(s.outcome == "conflict" for s in samples),
            "p50_ms": round(percentile(ms, 0.50), 1), "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1), "max_ms": round(max(ms, default=0), 1),
        }
    # "all" and the throughput are the measured period's: the logins before it are shown on their own rows.
    measured = [s for s in tally.samples if s.kind not in LOGIN_KINDS]
    all_ms = [s.ms for s in measured if s.outcome != "error"]
    return {
        "requests": len(tally.samples),
        "errors": sum(k["errors"] for k in kinds.values()),
        "conflicts_expected": sum(k["conflicts"] for k in kinds.values()),
        "measured_requests": len(measured),
        "throughput_rps": round(len(measured) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(all_ms, 0.50), 1), "p95_ms": round(percentile(all_ms, 0.95), 1),
        "p99_ms": round(percentile(all_ms, 0.99), 1),
        "kinds": kinds,
    }


def run_users(base_url: str, users: int, seconds: float, seed: int, info: dict) -> tuple[Tally, float, float]:
    """Logins first (spread over two seconds), then `seconds` of reads and transitions.

    Returns the merged tally, the logins' duration and the measured period's duration."""
    began = time.monotonic()
    clock = Clock(users, seconds)
    password = info.get("password", PASSWORD)
    threads = [SimUser(base_url, login_id, approver, clock, seed * 1000 + i, password=password)
               for i, (login_id, approver) in enumerate(logins(users, info))]
    for t in threads:
        t.start()
        time.sleep(0.04)  # not one burst of fifty password checks
    for t in threads:
        t.join(timeout=2 * LOGIN_TIMEOUT + 60 + seconds + 2 * TIMEOUT)
    ended = time.monotonic()
    merged = Tally()
    for t in threads:
        if t.is_alive():
            merged.errors.append(f"{t.name}: still running after the deadline (a request hangs)")
        merged.samples += t.tally.samples
        merged.successes += t.tally.successes
        merged.conflicts += t.tally.conflicts
        merged.errors += t.tally.errors
    if not clock.started:  # the barrier broke: no measured period
        return merged, ended - began, 0.0
    return merged, clock.started - began, ended - clock.started


def shell(prepared, spec: dict) -> dict:
    return load_check.parse_output(prepared.run("shell", "-c", load_check.facts_script(spec)).stdout)


def run_engine(engine: str, args) -> dict:
    wall = time.monotonic()
    print(f"load: {engine}: preparing a {args.scale} loadgen database …", flush=True)
    with instance.prepared_database(engine, args.scale, seed=args.seed) as prepared:
        prepared_s = time.monotonic() - wall
        with instance.gunicorn(prepared, workers=args.workers) as server:
            baseline = shell(prepared, load_check.baseline_spec())
            print(f"load: {engine}: {args.users} users for {args.seconds:g} s on {server.base_url} …", flush=True)
            load_before = os.getloadavg()  # other work on the machine shows in the latencies: kept with them
            tally, login_s, elapsed = run_users(server.base_url, args.users, args.seconds, args.seed, prepared.info)
            rss = server.rss_mb()
            load_after = os.getloadavg()
            log_tail = server.log_tail(6000) if tally.errors else ""
        facts = shell(prepared, load_check.facts_spec(tally.successes, baseline))
        problems, per_kind = load_check.check(tally.successes, facts)
        verify = prepared.run("audit", "verify", check=False)
    summary = summarise(tally, elapsed)
    clean, conflicted = load_check.conflicts_left_nothing(tally.successes, tally.conflicts, facts)
    return {
        "engine": engine, "scale": args.scale, "users": args.users, "seconds": args.seconds,
        "approver_sessions": approvers_for(args.users), "workers": args.workers,
        "logins_s": round(login_s, 1), "elapsed_s": round(elapsed, 1), "prepare_s": round(prepared_s, 1),
        "wall_s": round(time.monotonic() - wall, 1),
        **summary,
        "transitions": per_kind,
        "conflicted_objects": conflicted, "conflicted_objects_clean": clean,
        "problems": problems,
        "error_samples": tally.errors[:50],
        "audit_verify": {"ok": verify.returncode == 0, "output": (verify.stdout + verify.stderr).strip()[-2000:]},
        "worker_rss_mb": rss,
        "loadavg_before": [round(x, 2) for x in load_before], "loadavg_after": [round(x, 2) for x in load_after],
        "server_log_tail": log_tail,
        "loadgen": prepared.info,
    }


def failed(result: dict) -> bool:
    return bool(result["errors"] or result["problems"] or not result["audit_verify"]["ok"]
                or result["error_samples"] or result.get("conflicted_objects_clean") != result.get("conflicted_objects"))


def print_result(r: dict) -> None:
    print(f"\n== load on {r['engine']} ({r['scale']} data): {r['users']} users "
          f"({r['approver_sessions']} approver sessions), logins {r['logins_s']} s, then {r['elapsed_s']} s measured, "
          f"gunicorn {r['workers']} workers")
    head = f"{'kind':28} {'requests':>8} {'errors':>6} {'409 ok':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(head)
    print("-" * len(head))
    for kind, k in r["kinds"].items():
        print(f"{kind:28} {k['requests']:8} {k['errors']:6} {k['conflicts']:6} "
              f"{k['p50_ms']:8.1f} {k['p95_ms']:8.1f} {k['p99_ms']:8.1f}")
    print("-" * len(head))
    print(f"{'all but logins':28} {r['measured_requests']:8} {r['errors']:6} {r['conflicts_expected']:6} "
          f"{r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['p99_ms']:8.1f}   {r['throughput_rps']} req/s")
    print(f"\n{'transition':20} {'succeeded':>9} {'in DB':>6} {'audit':>6} {'log':>6}")
    for kind, t in r["transitions"].items():
        log = "-" if t["in_log"] is None else t["in_log"]
        print(f"{kind:20} {t['succeeded']:9} {t['in_db']:6} {t['in_audit']:6} {log:>6}")
    print(f"conflicts (409, expected: another user decided first): {r['conflicts_expected']} on "
          f"{r['conflicted_objects']} requests; left nothing behind on {r['conflicted_objects_clean']} of them")
    print(f"audit verify: {'OK' if r['audit_verify']['ok'] else 'FAILED'} — {r['audit_verify']['output'][-300:]}")
    print(f"worker RSS after the run (MB): {r['worker_rss_mb']}; load average before/after "
          f"{r['loadavg_before'][0]}/{r['loadavg_after'][0]} on {os.cpu_count()} CPUs")
    for line in r["problems"][:30]:
        print(f"MISMATCH: {line}")
    for line in r["error_samples"][:20]:
        print(f"ERROR: {line}")
    if r["server_log_tail"]:
        print("--- gunicorn log (tail) ---\n" + r["server_log_tail"][-3000:])
    print(f"result: {'FAILED' if failed(r) else 'OK'}; wall {r['wall_s']} s (preparing {r['prepare_s']} s)")


def machine() -> dict:
    def git(*a):
        try:
            return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True,  # noqa: S603, S607 - fixed git args
                                  timeout=10).stdout.strip()
        except OSError:
            return ""
    return {"host": platform.node(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "commit": git("rev-parse", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def write_json(result: dict, stamp: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{stamp}-load-{result['engine']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"machine": machine(), **result}, ensure_ascii=False, indent=1))
    tmp.replace(path)
    return path


def main(argv=None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    started = time.monotonic()
    status = 0
    for engine in engines:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        try:
            result = run_engine(engine, args)
        except instance.PrepareError as e:
            print(f"load: {engine}: could not prepare or serve: {e}", file=sys.stderr)
            status = 1
            continue
        print_result(result)
        print(f"written: {write_json(result, stamp).relative_to(REPO)}")
        status |= int(failed(result))
    print(f"\nload: {'FAILED' if status else 'OK'} in {time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())

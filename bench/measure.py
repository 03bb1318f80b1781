"""HTTP timing: a logged-in session, N sequential requests after a warm-up, throughput with K clients."""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass, field

import requests

TIMEOUT = 300  # an xlsx of 100,000 assets may take a while; a hung request still ends the run


class BenchError(RuntimeError):
    """The run cannot go on (login refused, server gone)."""


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0..100) with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be within 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Sample:
    """N timed requests of one URL: milliseconds and status of each."""

    times_ms: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # transport errors (refused, timed out)
    bytes: int = 0

    @property
    def failures(self) -> list[str]:
        bad = [f"HTTP {s}" for s in self.statuses if s != 200]
        return bad + self.errors

    def summary(self) -> dict:
        if not self.times_ms:
            return {"n": 0}
        return {
            "n": len(self.times_ms),
            "p50_ms": round(percentile(self.times_ms, 50), 1),
            "p95_ms": round(percentile(self.times_ms, 95), 1),
            "p99_ms": round(percentile(self.times_ms, 99), 1),
            "max_ms": round(max(self.times_ms), 1),
        }


def new_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "tejun-bench"
    return session


def login(base_url: str, login_id: str, password: str) -> requests.Session:
    """A session logged in through the login form (CSRF token from the form, as a browser does)."""
    session = new_session()
    page = session.get(base_url + "/login/", timeout=30)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or not match:
        raise BenchError(f"login page: HTTP {page.status_code}, CSRF token {'found' if match else 'missing'}")
    answer = session.post(
        base_url + "/login/",
        data={"csrfmiddlewaretoken": match.group(1), "username": login_id, "password": password, "next": "/"},
        headers={"Referer": base_url + "/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise BenchError(f"login as {login_id} refused: HTTP {answer.status_code}")
    return session


def clone(session: requests.Session) -> requests.Session:
    """Another connection with the same cookies (one per concurrent client)."""
    other = new_session()
    other.cookies.update(session.cookies)
    return other


def get(session: requests.Session, url: str) -> tuple[float, int, int]:
    """One GET, body read in full: (ms, status, bytes). Redirects are not followed: a 302 is a failure."""
    started = time.perf_counter()
    response = session.get(url, allow_redirects=False, timeout=TIMEOUT)
    size = len(response.content)
    return (time.perf_counter() - started) * 1000, response.status_code, size


MIN_SAMPLES = 5


def time_requests(session: requests.Session, url: str, n: int, warmup: int = 2,
                  budget_s: float | None = None) -> Sample:
    """n timed GETs after `warmup` untimed ones. With a budget, stops early once it is spent and at least
    MIN_SAMPLES are in: a page that takes seconds is far over its target after five, and fifty of them
    would hold the run for many minutes (Sample.summary's n says how many were timed)."""
    sample = Sample()
    for _ in range(warmup):
        try:
            get(session, url)
        except requests.RequestException:
            pass  # counted below, in the timed requests
    started = time.monotonic()
    for _ in range(n):
        if budget_s is not None and time.monotonic() - started > budget_s and len(sample.times_ms) >= MIN_SAMPLES:
            break
        try:
            ms, status, size = get(session, url)
        except requests.RequestException as exc:
            sample.errors.append(type(exc).__name__)
            continue
        sample.times_ms.append(ms)
        sample.statuses.append(status)
        sample.bytes = size
    return sample


@dataclass
class Throughput:
    clients: int
    seconds: float
    ok: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def throughput(session: requests.Session, url: str, clients: int = 4, seconds: float = 5.0) -> Throughput:
    """Requests per second answered 200 with `clients` threads, each on its own connection, for `seconds`."""
    result = Throughput(clients=clients, seconds=seconds)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(own: requests.Session) -> None:
        while time.monotonic() < stop:
            try:
                _ms, status, _size = get(own, url)
            except requests.RequestException as exc:
                failure = type(exc).__name__
            else:
                failure = None if status == 200 else f"HTTP {status}"
            with lock:
                if failure:
                    result.failures.append(failure)
                else:
                    result.ok += 1

    threads = [threading.Thread(target=client, args=(clone(session),)) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result

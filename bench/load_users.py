"""Simulated users for the load run: one thread each, with its own HTTP session (cookie jar, CSRF token).

Staff (bench-user-NNN) read pages and API lists, file carry-out requests and report incidents through the
real forms, and take out or withdraw their own requests through the API. Approvers (bench-admin, several
sessions at once) approve pending carry-outs and confirm assets through the API; two approvers deciding the
same request at once is expected, and the loser's 409 is counted as a conflict, not an error.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from load_check import Success

PASSWORD = "bench-password-2026"  # noqa: S105 - loadgen's password for its bench users (a loadgen DB is never production)
TOKYO = ZoneInfo("Asia/Tokyo")  # the app's TIME_ZONE: "today" for out_date is Japan's today
TIMEOUT = 60
# Every login checks a PBKDF2 hash (Django's 1,000,000 iterations, about 0.5 s of CPU): fifty at once queue on
# two sync workers for tens of seconds on a busy machine. They happen before the measured period and are shown
# on their own row; a login only fails the run when it gets no answer at all within this.
LOGIN_TIMEOUT = 300
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Sample:
    kind: str
    status: int  # 0: no answer (connection error, timeout)
    ms: float
    outcome: str  # "ok", "conflict" (expected 409 of a concurrent decision) or "error"


@dataclass
class Tally:
    """What one user saw; merged after the run (no locks while it runs)."""

    samples: list[Sample] = field(default_factory=list)
    successes: list[Success] = field(default_factory=list)
    conflicts: list[tuple[str, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Clock:
    """Everyone logs in first; the measured period starts when the last login is done (a barrier)."""

    def __init__(self, users: int, seconds: float):
        self.seconds = seconds
        self.started = self.deadline = 0.0
        self.barrier = threading.Barrier(users, action=self._start)

    def _start(self):
        self.started = time.monotonic()
        self.deadline = self.started + self.seconds


class SimUser(threading.Thread):
    def __init__(self, base_url: str, login_id: str, approver: bool, clock: Clock, seed: int,
                 think: tuple[float, float] = (0.2, 1.0), password: str = PASSWORD):
        super().__init__(name=login_id, daemon=True)
        self.base = base_url.rstrip("/")
        self.login_id = login_id
        self.approver = approver
        self.clock = clock
        self.rng = random.Random(seed)
        self.think = think
        self.password = password
        self.tally = Tally()
        self.http = requests.Session()
        self.asset_ids: list[int] = []
        self.incident_ids: list[int] = []
        self.search_terms: list[str] = []
        self.my_carry_outs: list[int] = []  # filed in this run, still open for take_out / withdraw

    # ------------------------------------------------------------------ HTTP with recording

    def call(self, kind: str, method: str, path: str, expect=(200,), conflict=(), timeout=TIMEOUT, **kw):
        """One request, recorded. Returns the response, or None when there was no answer."""
        started = time.perf_counter()
        try:
            r = self.http.request(method, self.base + path, timeout=timeout, allow_redirects=False, **kw)
        except requests.RequestException as e:
            ms = (time.perf_counter() - started) * 1000
            self.tally.samples.append(Sample(kind, 0, ms, "error"))
            self.tally.errors.append(f"{self.login_id} {method} {path}: {type(e).__name__}: {e}")
            return None
        ms = (time.perf_counter() - started) * 1000
        if r.status_code in expect:
            outcome = "ok"
        elif r.status_code in conflict:
            outcome = "conflict"
        else:
            outcome = "error"
            self.tally.errors.append(f"{self.login_id} {method} {path} -> {r.status_code}: {r.text[:300]!r}")
        self.tally.samples.append(Sample(kind, r.status_code, ms, outcome))
        return r

    def csrf(self) -> str:
        return self.http.cookies.get("csrftoken", "")

    def api_post(self, kind: str, path: str, data: dict, conflict=()):
        return self.call(kind, "POST", path, json=data, conflict=conflict,
                         headers={"X-CSRFToken": self.csrf(), "Referer": self.base + "/"})

    def form_post(self, kind: str, path: str, form_html: str, data: dict, timeout=TIMEOUT):
        m = CSRF_FIELD.search(form_html)
        token = m.group(1) if m else self.csrf()
        return self.call(kind, "POST", path, expect=(302,), data={"csrfmiddlewaretoken": token, **data},
                         headers={"Referer": self.base + path}, timeout=timeout)

    # ------------------------------------------------------------------ the session

    def run(self):
        try:
            logged_in = self.login()
        except Exception as e:  # a bug in the script must show, not end a thread silently
            logged_in = False
            self.tally.errors.append(f"{self.login_id}: load script failed: {type(e).__name__}: {e}")
        try:
            self.clock.barrier.wait(timeout=2 * LOGIN_TIMEOUT + 60)
        except threading.BrokenBarrierError:
            self.tally.errors.append(f"{self.login_id}: the logins did not all finish in time")
            return
        if not logged_in:
            return
        try:
            self.warm_up()
            while time.monotonic() < self.clock.deadline:
                self.step()
                pause = self.rng.uniform(*self.think)
                time.sleep(max(0.0, min(pause, self.clock.deadline - time.monotonic())))
        except Exception as e:
            self.tally.errors.append(f"{self.login_id}: load script failed: {type(e).__name__}: {e}")

    def login(self) -> bool:
        r = self.call("page login", "GET", "/login/", timeout=LOGIN_TIMEOUT)
        if r is None or r.status_code != 200:
            return False
        r = self.form_post("login", "/login/", r.text, {"username": self.login_id, "password": self.password},
                           timeout=LOGIN_TIMEOUT)
        if r is None or r.status_code != 302 or "/login/" in r.headers.get("Location", ""):
            if r is not None and r.status_code == 200:
                self.tally.errors.append(f"{self.login_id}: login refused (form shown again)")
            return False
        location = r.headers.get("Location", "")
        if "second-factor" in location or "password" in location:
            self.tally.errors.append(f"{self.login_id}: login redirected to {location} (second factor / expiry)")
            return False
        return True

    def warm_up(self):
        """Ids and words to use later: what a user sees first anyway."""
        r = self.call("api assets", "GET", "/api/v1/assets/?page=1")
        if r is not None and r.status_code == 200:
            rows = r.json().get("results", [])
            self.asset_ids = [a["id"] for a in rows if a.get("status") != "disposed"]
            self.search_terms = [a["name"][:2] for a in rows if a.get("name")]
        if self.approver:
            self.read_incident_ids()

    def read_incident_ids(self):
        r = self.call("api incidents", "GET", "/api/v1/incidents/")
        if r is not None and r.status_code == 200:
            self.incident_ids = [i["id"] for i in r.json().get("results", [])] or self.incident_ids

    def step(self):
        actions = APPROVER_ACTIONS if self.approver else STAFF_ACTIONS
        names, weights = zip(*actions, strict=True)
        getattr(self, "do_" + self.rng.choices(names, weights)[0])()

    # ------------------------------------------------------------------ reads

    def do_tasks(self):
        self.call("page tasks", "GET", "/tasks/")

    def do_dashboard(self):
        self.call("page dashboard", "GET", "/dashboard/")

    def do_assets(self):
        variant = self.rng.random()
        if variant < 0.4:
            self.call("page assets", "GET", "/assets/")
        elif variant < 0.6:
            self.call("page assets filtered", "GET", "/assets/?status=in_use&confidentiality_min=2")
        elif variant < 0.85:
            term = self.rng.choice(self.search_terms) if self.search_terms else "システム"
            self.call("page assets search", "GET", "/assets/", params={"q": term})
        else:
            self.call("page assets last", "GET", "/assets/?page=999999")  # get_page: the last page

    def do_asset_detail(self):
        if self.asset_ids:
            self.call("page asset detail", "GET", f"/assets/{self.rng.choice(self.asset_ids)}/")
        else:
            self.do_assets()

    def do_media(self):
        self.call("page media", "GET", "/media/register/")

    def do_carry_outs(self):
        self.call("page carry-outs", "GET", "/media/carry-outs/")

    def do_incidents(self):
        self.call("page incidents", "GET", "/incidents/")

    def do_incident_detail(self):
        if self.incident_ids:
            self.call("page incident detail", "GET", f"/incidents/{self.rng.choice(self.incident_ids)}/")
        else:
            self.do_incidents()

    def do_api(self):
        path = self.rng.choice(["assets", "carry-outs", "incidents", "media", "dashboard"])
        r = self.call(f"api {path}", "GET", f"/api/v1/{path}/")
        if path == "assets" and r is not None and r.status_code == 200 and not self.asset_ids:
            self.asset_ids = [a["id"] for a in r.json().get("results", []) if a.get("status") != "disposed"]

    # ------------------------------------------------------------------ staff transitions

    def do_file_carry_out(self):
        r = self.call("page carry-out form", "GET", "/media/carry-outs/new/")
        if r is None or r.status_code != 200:
            return
        today = datetime.now(TOKYO).date()
        data = {"data_description": f"{self.login_id} 会議資料（負荷試験）", "confidentiality": "2",
                "purpose": "委員会での説明に使うため", "destination": "町役場本庁舎 第2会議室",
                "encrypted": "on", "protection_note": "",
                "out_date": today.isoformat(), "due_date": (today + timedelta(days=3)).isoformat(), "medium": ""}
        r = self.form_post("carry_out.create", "/media/carry-outs/new/", r.text, data)
        oid = _id_from(r, r"/media/carry-outs/(\d+)/$")
        if oid is not None:
            self.tally.successes.append(Success("carry_out.create", oid, "submitted"))
            self.my_carry_outs.append(oid)
        elif r is not None and r.status_code == 302:
            self._unexpected("carry_out.create", r)

    def do_report_incident(self):
        r = self.call("page incident form", "GET", "/incidents/report/")
        if r is None or r.status_code != 200:
            return
        kind = self.rng.choice(["malfunction", "failure", "virus", "other"])
        data = {"kind": kind, "description": f"{self.login_id}：画面が固まり操作できません（負荷試験）",
                "location": "総務課 3番のパソコン", "occurred_at": ""}
        r = self.form_post("incident.report", "/incidents/report/", r.text, data)
        oid = _id_from(r, r"/incidents/(\d+)/$")
        if oid is not None:
            self.tally.successes.append(Success("incident.report", oid, "reported"))
            self.incident_ids.append(oid)
        elif r is not None and r.status_code == 302:
            self._unexpected("incident.report", r)

    def do_own_carry_out(self):
        """Look at one of my requests and take it out (approved) or, now and then, withdraw it."""
        if not self.my_carry_outs:
            return self.do_file_carry_out()
        oid = self.rng.choice(self.my_carry_outs)
        r = self.call("api carry-out detail", "GET", f"/api/v1/carry-outs/{oid}/")
        if r is None or r.status_code != 200:
            return
        available = r.json().get("available_transitions", [])
        if "take_out" in available:
            name = "take_out"
        elif "withdraw" in available and self.rng.random() < 0.3:
            name = "withdraw"
        else:
            return
        r = self.api_post(f"carry_out.{name}", f"/api/v1/carry-outs/{oid}/{name}/", {"comment": ""})
        if r is not None and r.status_code == 200:
            body = r.json()
            self.tally.successes.append(Success(f"carry_out.{name}", body["id"], body["state"]))
            self.my_carry_outs.remove(oid)  # taken out or withdrawn: nothing more to do on it here

    # ------------------------------------------------------------------ approver transitions

    def do_approve(self):
        r = self.call("api carry-outs pending", "GET", "/api/v1/carry-outs/?state=submitted")
        if r is None or r.status_code != 200:
            return
        pending = [c["id"] for c in r.json().get("results", []) if "approve" in c.get("available_transitions", [])]
        if not pending:
            return
        # Among the first few: several approvers reach for the same request, as on a real morning.
        oid = self.rng.choice(pending[:3])
        r = self.api_post("carry_out.approve", f"/api/v1/carry-outs/{oid}/approve/", {"comment": "承認します"},
                          conflict=(409,))
        if r is None:
            return
        if r.status_code == 200:
            body = r.json()
            self.tally.successes.append(Success("carry_out.approve", body["id"], body["state"]))
        elif r.status_code == 409:
            self.tally.conflicts.append(("carry_out.approve", oid))

    def do_confirm_asset(self):
        if not self.asset_ids:
            return self.do_api()
        oid = self.rng.choice(self.asset_ids)
        r = self.api_post("asset.confirm", f"/api/v1/assets/{oid}/confirm/", {})
        if r is not None and r.status_code == 200:
            body = r.json()
            self.tally.successes.append(Success("asset.confirm", body["id"], body.get("confirmed_on") or ""))

    def do_refresh_incidents(self):
        self.read_incident_ids()

    def _unexpected(self, kind, r):
        self.tally.errors.append(f"{self.login_id} {kind}: redirected to {r.headers.get('Location')!r}, not the new object")


def _id_from(r, pattern: str) -> int | None:
    if r is None or r.status_code != 302:
        return None
    m = re.search(pattern, r.headers.get("Location", "").split("?")[0])
    return int(m.group(1)) if m else None


# (action, weight): about one step in six is a transition for staff, one in two for approvers.
STAFF_ACTIONS = [
    ("tasks", 12), ("dashboard", 8), ("assets", 12), ("asset_detail", 10), ("media", 6), ("carry_outs", 5),
    ("incidents", 6), ("incident_detail", 3), ("api", 14),
    ("file_carry_out", 7), ("report_incident", 3), ("own_carry_out", 6),
]
APPROVER_ACTIONS = [
    ("approve", 30), ("confirm_asset", 12), ("tasks", 8), ("dashboard", 5), ("carry_outs", 5), ("incidents", 5),
    ("incident_detail", 8), ("refresh_incidents", 2), ("assets", 6), ("asset_detail", 6), ("api", 8),
]

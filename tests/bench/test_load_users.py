"""A simulated user of the load run against a tiny stand-in server: what it records as a success (object id and
state, from the redirect or the JSON), as an expected conflict (409 on a decision) and as an error."""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from load_check import Success  # noqa: E402
from load_users import Clock, SimUser  # noqa: E402

FORM = '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="form-token"></form>'


class Fake(BaseHTTPRequestHandler):
    approvals = 0

    def log_message(self, *args):
        pass

    def send(self, status, body="", location=None, content_type="text/html", cookie=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if location:
            self.send_header("Location", location)
        if cookie:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        routes = {
            "/login/": lambda: self.send(200, FORM, cookie="csrftoken=cookie-token; Path=/"),
            "/media/carry-outs/new/": lambda: self.send(200, FORM),
            "/api/v1/carry-outs/?state=submitted": lambda: self.send(
                200, json.dumps({"results": [{"id": 5, "available_transitions": ["approve"]}]}),
                content_type="application/json"),
            "/tasks/": lambda: self.send(500, "<h1>Server Error</h1>"),
        }
        routes.get(self.path, lambda: self.send(404))()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if self.path.startswith("/api/"):
            if self.headers.get("X-CSRFToken") != "cookie-token":  # as Django's CSRF check would refuse
                return self.send(403, '{"detail": "CSRF"}', content_type="application/json")
            Fake.approvals += 1
            if Fake.approvals == 1:
                return self.send(409, '{"code": "wrong_state"}', content_type="application/json")
            return self.send(200, json.dumps({"id": 5, "state": "approved"}), content_type="application/json")
        form = parse_qs(body)
        if form.get("csrfmiddlewaretoken") != ["form-token"]:
            return self.send(403, "CSRF")
        if self.path == "/login/":
            return self.send(302, location="/tasks/")
        if self.path == "/media/carry-outs/new/":
            assert form["out_date"] and form["confidentiality"] == ["2"]
            return self.send(302, location="/media/carry-outs/77/")
        self.send(404)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Fake)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Fake.approvals = 0
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_successes_conflicts_and_errors_are_told_apart(server):
    user = SimUser(server, "bench-user-001", approver=True, clock=Clock(1, 1), seed=1)
    assert user.login()
    user.do_file_carry_out()
    user.do_approve()  # 409: another approver was first
    user.do_approve()  # 200
    user.do_tasks()  # 500
    t = user.tally
    assert t.successes == [Success("carry_out.create", 77, "submitted"), Success("carry_out.approve", 5, "approved")]
    assert t.conflicts == [("carry_out.approve", 5)]
    assert [(s.kind, s.status, s.outcome) for s in t.samples if s.kind in ("carry_out.approve", "page tasks")] == [
        ("carry_out.approve", 409, "conflict"), ("carry_out.approve", 200, "ok"), ("page tasks", 500, "error")]
    assert len(t.errors) == 1 and "GET /tasks/ -> 500" in t.errors[0]
    assert user.my_carry_outs == [77]


def test_no_answer_is_an_error(server):
    user = SimUser(server.rsplit(":", 1)[0] + ":9", "bench-user-002", approver=False, clock=Clock(1, 1), seed=2)
    assert not user.login()
    assert user.tally.samples[0].status == 0 and user.tally.samples[0].outcome == "error"
    assert "ConnectionError" in user.tally.errors[0]

"""Where a page's time goes: run inside the app against a bench database (kept with TEJUN_BENCH_KEEP=1),

    DATABASE_URL=... TEJUN_VAR_DIR=... BENCH_PATHS="/assets/ /tasks/" \\
        .venv/bin/python manage.py shell -c "$(cat bench/queries.py)"

For each path, as bench-admin through Django's test client (no HTTP, no gunicorn): the time, the number of
SQL queries, the time spent in SQL, and the slowest queries with their SQL and, for those over 20 ms, the
database's plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL). BENCH_SQL_CHARS (default 600) cuts
the SQL shown. Not part of the timed run: capturing queries slows every query a little."""

import os
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tejun.orgs.models import User

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(login_id="bench-admin"))
for path in os.environ.get("BENCH_PATHS", "/tasks/ /dashboard/ /assets/").split():
    client.get(path)  # warm-up: templates, caches
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        total = (time.perf_counter() - started) * 1000
    timed = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    sql_ms = sum(float(q["time"]) for q in timed) * 1000
    print(f"{path}  HTTP {response.status_code}  {total:.0f} ms  {len(timed)} queries  SQL {sql_ms:.0f} ms")
    for query in timed[:3]:
        ms = float(query["time"]) * 1000
        print(f"    {ms:7.1f} ms  {query['sql'][:int(os.environ.get('BENCH_SQL_CHARS', '600'))]}")
        if ms > 20 and query["sql"].lstrip().upper().startswith("SELECT"):
            explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            try:
                with connection.cursor() as cursor:
                    cursor.execute(explain + query["sql"])
                    plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
            except Exception as exc:  # the logged SQL is quoted for reading, not always runnable
                plan = [f"(no plan: {exc})"]
            for line in plan[:12]:
                print(f"              plan: {line}")

"""Counting the SQL queries of one request, and naming them by shape so a report stays short."""

import re
from collections import Counter

from django.db import connection, transaction

# Transaction bookkeeping is not a query of the page: ATOMIC blocks add these around the real ones.
_BOOKKEEPING = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN|COMMIT)\b", re.I)
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b|%s|\?")


def shape(sql: str) -> str:
    """The query with its literals blanked: the same query for another row has the same shape."""
    s = _LITERALS.sub("?", sql)
    s = re.sub(r"\((?:\s*\?\s*,)+\s*\?\s*\)", "(?…)", s)  # IN (?, ?, ?) lists of any length
    s = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", s.strip(), count=1, flags=re.S)  # columns
    return re.sub(r"\s+", " ", s).strip()


def ask(client, url: str):
    """GET `url` inside a rolled-back savepoint (so every request sees the same world); returns the response
    and the SQL of its queries (transaction bookkeeping left out)."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    # execute_wrapper, not connection.queries_log: that log is a bounded deque (9,000 entries), and a count
    # taken from its length stops counting once it is full.
    with transaction.atomic():
        with connection.execute_wrapper(record):
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # a streamed body's queries run while it is read
        transaction.set_rollback(True)
    return response, [sql for sql in seen if not _BOOKKEEPING.match(sql)]


def summary(queries: list, limit: int = 40) -> str:
    """Queries grouped by shape, the most repeated first."""
    counts = Counter(shape(q) for q in queries)
    lines = [f"    {n}× {s[:400]}" for s, n in counts.most_common(limit)]
    return "\n".join(lines)

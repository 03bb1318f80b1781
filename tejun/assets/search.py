"""The asset list's text search, served by an index (issue 8: 100,000 assets).

The meaning is the list's, unchanged: every word (up to five) must occur, as typed or in NFKC form, in the
name, 所属, 業務, 保存場所 or 管理番号, case-insensitively as Django's icontains does on the database (Latin
letters on SQLite; UPPER() on PostgreSQL), `%` and `_` literally. Both engines search one text per asset: the
five columns upper-cased and joined by a line feed, which no word contains (words are split on whitespace), so a
word found in it lies inside one column.

PostgreSQL: the text is a stored generated column `search_text` of assets_asset (added by migration 0004, not a
model field: the ORM and the loadgen's COPY never write it), with a pg_trgm GIN index; a word is
`search_text LIKE UPPER('%word%')`, the expression Django's icontains uses, so the index serves words of 3 or
more characters and shorter ones read the one column instead of five. A later migration that changes the type of
one of the five columns must drop the column first and call install() again (PostgreSQL refuses to alter a
column a generated column uses).

SQLite: an FTS5 table assets_asset_search (trigram tokenizer, case-sensitive over the upper-cased text, which is
exactly LIKE's ASCII-only case folding) kept by triggers on assets_asset (insert, update of the five columns,
delete), so the services, the imports, bulk inserts and plain SQL are all seen. A word of 3 or more characters
is a phrase of the index; a shorter one is the trigrams that begin with it (looked up in the index's
vocabulary: the text ends with two line feeds, so every character begins a trigram); a short word that begins
too many trigrams is looked for in the index's text row by row. Found ids are looked up in a narrow index
(id, body_id, status, number), not in the wide rows; a page sorted by number of a word found in many assets
walks the number index instead (_Found). Django rebuilds a table to alter it on SQLite, which drops its triggers
and indexes: install() runs after every migrate (apps.py) and puts back what is missing.
"""

# ruff: noqa: S608  (SQL built from this module's constant names; words always go in as parameters)

import logging
import string
from functools import reduce
from operator import and_, or_

from django.db import connections, transaction
from django.db.models import BooleanField, Expression, F, Lookup, Q, TextField, Value
from django.db.models.expressions import Col

from .models import Asset

log = logging.getLogger(__name__)

TABLE = Asset._meta.db_table
COLUMNS = ("name", "department", "business", "location", "number")

# PostgreSQL
PG_COLUMN = "search_text"
PG_INDEX = "asset_search_trgm"

# SQLite
FTS = "assets_asset_search"
VOCAB = "assets_asset_search_vocab"
IDS_INDEX = "asset_search_ids"
TRIGGERS = ("assets_asset_search_insert", "assets_asset_search_update", "assets_asset_search_delete")
SHORT_TERMS_MAX = 30   # a short word beginning more trigrams than this is looked for row by row
WALK_ABOVE = 3000      # found in more assets than this (about): a page walks the number index (_Found)
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)  # SQLite's upper(), LIKE's folding
_LAST = "\U0010ffff"


# ---------------------------------------------------------------- installing (migration 0004, post_migrate)

def _sqlite_text(row: str) -> str:
    joined = " || char(10) || ".join(f"{row}{c}" for c in COLUMNS)
    return f"upper({joined} || char(10, 10))"


def _sqlite_triggers() -> list[str]:
    insert, update, delete = TRIGGERS
    return [
        f"CREATE TRIGGER IF NOT EXISTS {insert} AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, {_sqlite_text('new.')}); END",
        f"CREATE TRIGGER IF NOT EXISTS {update} AFTER UPDATE OF id, {', '.join(COLUMNS)} ON {TABLE} BEGIN "
        f"DELETE FROM {FTS} WHERE rowid = old.id; "
        f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, {_sqlite_text('new.')}); END",
        f"CREATE TRIGGER IF NOT EXISTS {delete} AFTER DELETE ON {TABLE} BEGIN "
        f"DELETE FROM {FTS} WHERE rowid = old.id; END",
    ]


def _sqlite_names(cursor, kind: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {row[0] for row in cursor.fetchall()}


def _pg_has(cursor, sql: str, params) -> bool:
    cursor.execute(sql, params)
    return cursor.fetchone() is not None


def install(connection) -> None:
    """Create what the search needs on this database, or what is missing of it; fill the index when made.
    The planner's statistics are refreshed where something was made (the ids index is only chosen with them)."""
    made = False
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fresh = FTS not in _sqlite_names(cursor, "table")
            if fresh:
                cursor.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5(text, tokenize = 'trigram case_sensitive 1')")
                cursor.execute(f"CREATE VIRTUAL TABLE {VOCAB} USING fts5vocab({FTS}, 'row')")
            if fresh or set(TRIGGERS) - _sqlite_names(cursor, "trigger"):
                # New, or the table was rebuilt without its triggers (rows may have changed meanwhile): refill.
                for sql in _sqlite_triggers():
                    cursor.execute(sql)
                cursor.execute(f"DELETE FROM {FTS}")
                cursor.execute(f"INSERT INTO {FTS}(rowid, text) SELECT id, {_sqlite_text('')} FROM {TABLE}")
            if IDS_INDEX not in _sqlite_names(cursor, "index"):
                cursor.execute(f"CREATE INDEX {IDS_INDEX} ON {TABLE} (id, body_id, status, number)")
                made = True
        elif connection.vendor == "postgresql":
            if not _pg_has(cursor, "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                                   "AND column_name = %s AND table_schema = current_schema()", [TABLE, PG_COLUMN]):
                joined = " || E'\\n' || ".join(COLUMNS)
                cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN {PG_COLUMN} text "
                               f"GENERATED ALWAYS AS (upper({joined})) STORED")
                made = True
            if not _pg_has(cursor, "SELECT 1 FROM pg_indexes WHERE indexname = %s AND schemaname = current_schema()",
                           [PG_INDEX]):
                try:
                    with transaction.atomic(using=connection.alias):  # a savepoint inside the migration
                        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                        cursor.execute(f"CREATE INDEX {PG_INDEX} ON {TABLE} USING gin ({PG_COLUMN} gin_trgm_ops)")
                except Exception as exc:  # no pg_trgm here: the search stays right, reading one column per asset
                    log.warning("asset search: no trigram index (%s); install pg_trgm and run migrate again", exc)
        if made:
            cursor.execute(f"ANALYZE {TABLE}")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {VOCAB}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS}")
            cursor.execute(f"DROP INDEX IF EXISTS {IDS_INDEX}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}")


def repair(connection) -> None:
    """After a migrate: put back what a table rebuild dropped, only where the search was installed."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            installed = FTS in _sqlite_names(cursor, "table")
        elif connection.vendor == "postgresql":
            installed = _pg_has(cursor, "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                                        "AND column_name = %s AND table_schema = current_schema()",
                                [TABLE, PG_COLUMN])
        else:
            installed = False
    if installed:
        install(connection)


# ---------------------------------------------------------------- searching

class _SearchText(Expression):
    """PostgreSQL's search_text column of the query's assets_asset (whatever alias the table has there)."""

    output_field = TextField()
    _field = TextField()
    _field.set_attributes_from_name(PG_COLUMN)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return Col(query.get_initial_alias(), self._field, output_field=self.output_field)


class _LikeUpper(Lookup):
    """lhs LIKE UPPER(pattern): the right-hand side of Django's icontains on PostgreSQL."""

    lookup_name = "like_upper"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE UPPER({rhs})", (*lhs_params, *rhs_params)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _sample(form: str) -> list[str]:
    """The first, middle and last trigrams of a form of 3 or more characters."""
    grams = [form[i:i + 3] for i in range(len(form) - 2)]
    return list(dict.fromkeys([grams[0], grams[len(grams) // 2], grams[-1]]))


def _vocabulary(connection, forms: list[str]) -> dict[str, dict[str, int]]:
    """In one query, from the index's vocabulary, {trigram: assets having it} for each upper-cased form: the
    trigrams beginning with a short form (at most SHORT_TERMS_MAX + 1: more means "too many"), the first,
    middle and last trigrams of a longer one (enough to tell about how many assets may have it)."""
    parts, params = [], []
    for i, form in enumerate(forms):
        if len(form) < 3:
            parts.append(f"SELECT * FROM (SELECT {i}, term, doc FROM {VOCAB} WHERE term >= %s AND term <= %s "
                         f"LIMIT {SHORT_TERMS_MAX + 1})")
            params += [form, form + _LAST * (3 - len(form))]
        else:
            for gram in _sample(form):
                parts.append(f"SELECT {i}, term, doc FROM {VOCAB} WHERE term = %s")
                params.append(gram)
    found = {form: {} for form in forms}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for i, term, doc in cursor.fetchall():
            found[forms[i]][term] = doc
    return found


class _Found(Expression):
    """assets_asset.id IN (the ids an FTS query finds).

    SQLite looks every found id up and, for a page, sorts them all: the cost grows with the number found
    (25 ms for 33,000). When many may be found (`many`) and the query is a page sorted by number, the id is
    hidden from the planner (+id): SQLite then walks the body's index in number order and stops after the
    page, testing each id against the found set (a few ms however many are found; at worst one walk of the
    body's index). The count, the exports and other sorts keep the lookup."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, subquery: str, params: list, many: bool = False):
        super().__init__(output_field=BooleanField())
        self.pk, self.subquery, self.params, self.many = F("pk"), subquery, params, many

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk, params = compiler.compile(self.pk)
        query = compiler.query
        page_by_number = (query.high_mark is not None and bool(query.order_by)
                          and str(query.order_by[0]).lstrip("-") == "number")
        walk = "+" if self.many and page_by_number else ""
        return f"{walk}{pk} IN ({self.subquery})", (*params, *self.params)


def _sqlite_filter(connection, words: list[list[str]]) -> Q:
    words = [[v.translate(_ASCII_UPPER) for v in variants] for variants in words]
    vocabulary = _vocabulary(connection, sorted({v for variants in words for v in variants}))
    matches, scans, estimate = [], [], None
    for variants in words:
        if any(len(v) < 3 and len(vocabulary[v]) > SHORT_TERMS_MAX for v in variants):
            scans.append(variants)  # a short word that begins too many trigrams: read the texts
            continue
        phrases, found = [], 0
        for v in variants:
            known = vocabulary[v]
            if len(v) < 3:  # every trigram beginning with it (none: found nowhere)
                phrases += [_phrase(term) for term in sorted(known)]
                found += sum(known.values())
            elif all(gram in known for gram in _sample(v)):  # else no asset has it
                phrases.append(_phrase(v))
                found += min(known.values())
        if not phrases:  # no form of this word is in any asset
            return Q(_Found(f"SELECT rowid FROM {FTS} WHERE 0", []))
        matches.append("(" + " OR ".join(phrases) + ")")
        estimate = found if estimate is None else min(estimate, found)
    many = estimate is None or estimate > WALK_ABOVE
    conditions = []
    if matches:
        conditions.append(Q(_Found(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [" AND ".join(matches)], many)))
    for variants in scans:
        found = " OR ".join(["instr(text, %s) > 0"] * len(variants))
        conditions.append(Q(_Found(f"SELECT rowid FROM {FTS} WHERE {found}", list(variants), many)))
    return reduce(and_, conditions)


def _postgresql_filter(connection, words: list[list[str]]) -> Q:
    like = connection.ops.prep_for_like_query
    return reduce(and_, (reduce(or_, (Q(_LikeUpper(_SearchText(), Value(f"%{like(v)}%"))) for v in variants))
                         for variants in words))


def _plain_filter(words: list[list[str]]) -> Q:
    """Without an index (another engine): the five columns one by one."""
    return reduce(and_, (reduce(or_, (Q(**{f"{c}__icontains": v}) for v in variants for c in COLUMNS))
                         for variants in words))


def word_filter(words: list[list[str]], using: str = "default") -> Q:
    """Assets in which every word occurs (in one of its forms) somewhere. `words`: each word's forms."""
    words = [sorted({v for v in variants if v}) for variants in words]
    words = [variants for variants in words if variants]
    if not words:
        return Q()
    connection = connections[using]
    if connection.vendor == "sqlite":
        return _sqlite_filter(connection, words)
    if connection.vendor == "postgresql":
        return _postgresql_filter(connection, words)
    return _plain_filter(words)

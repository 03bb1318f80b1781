"""Plain INSERTs for the million audit rows: Django's bulk_create spends most of its time preparing values.

PostgreSQL gets COPY; SQLite gets executemany. Values go through each field's own get_db_prep_save, so the
stored text is what the ORM would have written (the hash is computed from the same Python values)."""

import json

from django.db import connection


def _converters(model, columns):
    convs = []
    for name in columns:
        field = model._meta.get_field(name)
        internal = field.get_internal_type()
        if internal == "JSONField":
            convs.append(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
        elif internal == "DateTimeField" and connection.vendor != "postgresql":
            convs.append(lambda v, f=field: f.get_db_prep_save(v, connection))
        else:
            convs.append(None)
    return convs


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert `rows` (tuples in `columns` order, attnames) into `model`'s table in the current transaction."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    convs = _converters(model, columns)
    todo = [(i, c) for i, c in enumerate(convs) if c is not None]

    def prepared():
        for row in rows:
            if todo:
                row = list(row)
                for i, conv in todo:
                    row[i] = conv(row[i])
            yield row

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in prepared():
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608  (names from model metadata)
            cursor.executemany(sql, list(prepared()))

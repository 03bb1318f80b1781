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


def insert_rows(model, columns: list[str], rows: list[tuple], *, prepared: bool = False) -> None:
    """Insert `rows` (tuples in `columns` order, attnames) into `model`'s table in the current transaction."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    convs = [None] * len(columns) if prepared else _converters(model, columns)
    todo = [(i, c) for i, c in enumerate(convs) if c is not None]

    def ready():
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
                for row in ready():
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608  (names from model metadata)
            cursor.executemany(sql, list(ready()))


def _row_converter(model):
    """(columns, convert(obj) -> row) for every concrete field but the primary key."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    sqlite = connection.vendor != "postgresql"
    getters = []
    for f in fields:
        internal = f.get_internal_type()
        attname = f.attname
        if internal == "JSONField":
            getters.append(lambda o, a=attname: None if getattr(o, a) is None
                           else json.dumps(getattr(o, a), ensure_ascii=False))
        elif internal in ("FileField", "ImageField"):
            getters.append(lambda o, a=attname: getattr(o, a).name or "")
        elif internal == "DateTimeField" and sqlite:
            getters.append(lambda o, f=f: f.get_db_prep_save(getattr(o, f.attname), connection))
        elif internal == "DateField" and sqlite:
            getters.append(lambda o, a=attname: None if getattr(o, a) is None else getattr(o, a).isoformat())
        else:
            getters.append(lambda o, a=attname: getattr(o, a))
    return [f.attname for f in fields], lambda o: tuple(get(o) for get in getters)


def insert_objects(model, objs, *, key: str | None = None, body=None, batch: int = 20_000) -> None:
    """Insert unsaved instances without bulk_create's per-value preparation; with `key` (a field unique in the
    body), read the new ids back and set them on the instances."""
    columns, convert = _row_converter(model)
    for i in range(0, len(objs), batch):
        insert_rows(model, columns, [convert(o) for o in objs[i:i + batch]], prepared=True)
    if key:
        ids = dict(model.objects.filter(body=body).values_list(key, "pk"))
        for o in objs:
            o.pk = ids[getattr(o, key)]
            o._state.adding = False

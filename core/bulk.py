"""Writing many new rows at once, for loads (grow_data) and the search index's rebuild.

insert() writes model instances as bulk_create writes them: the same columns, each value through
its field's pre_save() and get_db_prep_save(), on PostgreSQL one array per column (UNNEST), and
the new primary keys read back (RETURNING) and set on the instances. What it leaves out is
bulk_create's compiling of every value on its own, as a possible expression with a placeholder of
its own: for hundreds of thousands of rows that took longer than building them. Rows it cannot
write so (see can_insert) go through bulk_create.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import AutoField
from django.db.models.expressions import DatabaseDefault

BATCH_SIZE = 5000


def create(model, rows: list, using: str = DEFAULT_DB_ALIAS, batch_size: int = BATCH_SIZE) -> list:
    """Write new rows of `model`: insert() where it can, bulk_create where it cannot."""
    if rows and can_insert(model, rows, using):
        insert(model, rows, using, batch_size)
    elif rows:
        model.objects.using(using).bulk_create(rows, batch_size=batch_size)
    return rows


def can_insert(model, rows: list, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether insert() writes these rows as bulk_create would: new rows of a model of one table
    with a generated key, each value given (no database default left to fill)."""
    db = connections[using]
    opts = model._meta
    if opts.parents or opts.private_fields or not isinstance(opts.pk, AutoField):
        return False
    if not all(_as_parameter(f, db) for f in opts.concrete_fields):
        return False
    defaulted = [f.attname for f in opts.concrete_fields if f.has_db_default()]
    return all(
        row.pk is None
        and not any(isinstance(getattr(row, name), DatabaseDefault) for name in defaulted)
        for row in rows
    )


def _as_parameter(field, db) -> bool:
    """Whether the field's values go as parameters of its type (on PostgreSQL in an array)."""
    if field.generated:
        return False
    if hasattr(field, "get_placeholder"):
        # Such as the search index's grams, "%s::tsvector": the array's cast does the same.
        return field.get_placeholder(None, None, db) in ("%s", f"%s::{field.db_type(db)}")
    if db.vendor != "postgresql":
        return True
    return (field.target_field if field.is_relation else field).get_internal_type() in db.data_types


def insert(model, rows: list, using: str = DEFAULT_DB_ALIAS, batch_size: int = BATCH_SIZE):
    """Write new rows of `model` (see can_insert) and give each its primary key."""
    # The connection itself: each use of django.db.connection looks it up for the thread.
    db = connections[using]
    opts = model._meta
    fields = [f for f in opts.concrete_fields if f is not opts.pk]
    refer(model, rows)
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # Names from the models, quoted; every value goes as a parameter.
    start = f"INSERT INTO {quote(opts.db_table)} ({columns}) "  # noqa: S608
    returning = f" RETURNING {quote(opts.pk.column)}"
    unnest = db.vendor == "postgresql"
    if unnest:
        # A handful of parameters rather than one per value: psycopg reads a statement's text
        # for its parameters in Python, which took longer than writing the rows.
        arrays = ", ".join(f"(%s)::{f.db_type(db).split('(')[0]}[]" for f in fields)
        unnested = f"SELECT * FROM UNNEST({arrays})"  # noqa: S608 - types from the models
        size = batch_size
    else:
        row_values = "(" + ", ".join(["%s"] * len(fields)) + ")"
        size = min(batch_size, max(db.ops.bulk_batch_size(fields, rows), 1))
    # Not the cursor DEBUG asks for, which keeps the text of every statement with its values
    # (on SQLite quoted by a query of its own): thousands of values per statement here.
    db.ensure_connection()
    with db.make_cursor(db.create_cursor()) as cursor:
        for first in range(0, len(rows), size):
            batch = rows[first : first + size]
            values = [
                [f.get_db_prep_save(f.pre_save(row, True), db) for row in batch] for f in fields
            ]
            if unnest:
                cursor.execute(start + unnested + returning, values)
            else:
                rows_sql = ", ".join([row_values] * len(batch))
                params = [value for one_row in zip(*values, strict=True) for value in one_row]
                cursor.execute(start + "VALUES " + rows_sql + returning, params)
            for row, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                row.pk = pk
                row._state.adding = False
                row._state.db = db.alias


def refer(model, rows: list) -> None:
    """A foreign key given as a row written since it was assigned takes that row's key now,
    as bulk_create (and save) would take it."""
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    for row in rows:
        for relation in relations:
            target = relation.get_cached_value(row, None)
            if target is None:
                continue
            if target.pk is None:
                raise ValueError(
                    f"{model._meta.label}.{relation.name} refers to a row not yet written."
                )
            if getattr(row, relation.attname) is None:
                setattr(row, relation.attname, getattr(target, relation.target_field.attname))

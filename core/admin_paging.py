"""Paging for the admin's change lists over large tables (docs/performance.md).

Django's change list counts its rows on every page load to draw the page links, and with
``show_full_result_count`` (the default) counts the whole table a second time. At a large city's
size (200,000 meetings, 60,000 officers …) those counts read every row of the table on every
click, while the page itself reads 100 rows through an index.

``LargeTablePaginator`` counts the way a person paging through the list needs:

- A whole table (no WHERE: a superuser's unfiltered list) is counted from PostgreSQL's own
  statistics, the figure its planner uses: ``pg_class.reltuples`` scaled to the table's current
  size. Small or never-analysed tables are counted exactly, since that is cheap and an estimate
  there would be visibly wrong.
- A filtered list (a liaison officer's districts, a filter, a search) is counted exactly up to
  ``exact_count_limit`` rows, by counting a LIMITed subquery, so the count stops early. Past the
  limit the planner's estimate for the query is used, never less than what was counted, so the
  page links still reach most of the list.
- Any other database counts exactly, as Django's Paginator does.

An estimate can be off by the rows added or removed since PostgreSQL last analysed the table;
that is the price of not reading the table. Pages past the true end are empty rather than an
error, and autovacuum keeps the statistics close.

These lists filter by a district, council or group with ``ScopedRelatedListFilter``, which lives
with the district scope it follows (districts/admin_scope.py).
"""

import json

from django.contrib.admin.options import ShowFacets
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


class LargeTablePaginator(Paginator):
    """A Paginator whose count avoids reading a whole large table on PostgreSQL."""

    # Below this many rows an exact count costs a few milliseconds: count exactly.
    estimate_threshold = 10_000
    # A filtered list is counted exactly up to this many rows.
    exact_count_limit = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        if is_whole_table(queryset):
            estimate = table_row_estimate(queryset)
            if estimate is not None and estimate >= self.estimate_threshold:
                return estimate
            return super().count
        counted = queryset.order_by()[: self.exact_count_limit + 1].count()
        if counted <= self.exact_count_limit:
            return counted
        return max(counted, query_row_estimate(queryset))


def is_whole_table(queryset: QuerySet) -> bool:
    """Whether counting the queryset means counting every row of its model's table."""
    query = queryset.query
    return not (
        query.where
        or query.is_sliced
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or queryset.model._meta.proxy
        or queryset.model._meta.parents
    )


def table_row_estimate(queryset: QuerySet) -> int | None:
    """The planner's row count for the model's table, or None when it has none yet.

    The rows per page measured by the last ANALYZE, times the pages the table has now: the
    planner's own estimate, which follows a table that grew since it was last analysed.
    ``reltuples`` is -1 for a table never vacuumed or analysed.
    """
    connection = connections[queryset.db]
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT CASE
                WHEN c.reltuples < 0 THEN NULL
                WHEN c.relpages = 0 THEN c.reltuples
                ELSE c.reltuples / c.relpages
                    * (pg_relation_size(c.oid) / current_setting('block_size')::integer)
            END::bigint
            FROM pg_class c
            WHERE c.oid = to_regclass(%s)
            """,
            [table],
        )
        row = cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])


def query_row_estimate(queryset: QuerySet) -> int:
    """The planner's estimate of the rows the queryset returns (EXPLAIN, nothing executed)."""
    connection = connections[queryset.db]
    sql, params = queryset.order_by().query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        # The SQL is the ORM's own, with its parameters passed separately.
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)  # noqa: S608
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class LargeTableAdminMixin:
    """Change-list settings for a model whose table grows with the city's history.

    Counts with LargeTablePaginator, and does not count the unfiltered list a second time
    ("99 results (Show all)" instead of "99 results (200,000 total)"). Facet counts — one count
    per filter choice over the whole list — are left out: on hundreds of thousands of rows they
    take seconds, and the filters themselves stay.
    """

    paginator = LargeTablePaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER

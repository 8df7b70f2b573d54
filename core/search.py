"""Site-wide search: one index of every published record, matched by character bigrams.

Japanese is written without spaces, so a word such as 防災 has to be found inside 自主防災会 or
防災訓練を実施した. Both sides go through core.text.fold() (widths, kana, ヶ, kanji numerals), are
cut into words at spaces and punctuation, and each word into overlapping pairs of characters
(bigrams) plus its last character alone:

    防災訓練  →  防災 災訓 訓練 練

A searched word matches where its bigrams stand next to each other, in order (a phrase query); a
word of one character matches any token that starts with it (a prefix query). Every word of the
query must match. Both databases index the tokens the same way:

- PostgreSQL: SearchEntry.grams is a tsvector written literally (no parser, no stemming) with a
  GIN index; a query is a tsquery of phrases (<->) and prefixes (:*).
- SQLite: grams is the tokens as text, mirrored by triggers into an FTS5 table
  (core_searchentry_fts, external content, the "ascii" tokenizer, which keeps every non-ASCII
  character inside a token); a query is an FTS5 MATCH of phrases and prefixes.

What goes in the index. Each app says, in its own search.py, which kinds of record it offers
(register()): how to read the published records of that kind as Documents, and which tables feed
them. Only published records become entries: unpublished groups and meetings, draft plans and
undecided grants are never written to the index, so they cannot appear in results, counts or
excerpts.

Keeping it current. Records change through forms, the admin, services that call
QuerySet.update(), bulk loads and cascading deletes; model signals see only some of these (and
core.cache explains why the project does not listen to post_delete). So the database itself
notes every change: a trigger on each feeding table writes the kind and id of the record to
refresh into core_searchchange, for INSERT, UPDATE and DELETE alike. apply_changes() reads that
queue and rewrites those entries; it runs when a transaction that wrote to a public table
commits (core.cache notices such writes at the cursor) and before every search, so a search
never misses a change, including one made in its own transaction or outside any. Loads of
many records (seed_demo, grow_data) rebuild the whole index at the end instead
(rebuild_search_index).
"""

import html
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.safestring import SafeString, mark_safe

from . import bulk
from .text import fold, fold_mapped, words

logger = logging.getLogger(__name__)

# Limits: what one query and one document may hold.
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 8
MAX_WORD_CHARS = 30
# PostgreSQL keeps positions up to 16,383 and at most 256 per lexeme; later ones are dropped
# (a phrase starting beyond them is not found, a single bigram still is).
MAX_TOKENS = 16_000
# How many changes one pass of apply_changes() reads at a time.
CHANGE_BATCH = 2_000


# Tokens ----------------------------------------------------------------------------------------


def _word_tokens(word: str) -> list[str]:
    if len(word) == 1:
        return [word]
    return [word[at : at + 2] for at in range(len(word) - 1)] + [word[-1]]


def tokens(text: str) -> list[str]:
    """The index tokens of a text, in order: each word's bigrams, then its last character."""
    found: list[str] = []
    for word in words(fold(text)):
        found.extend(_word_tokens(word))
        if len(found) >= MAX_TOKENS:
            return found[:MAX_TOKENS]
    return found


def query_words(query: str) -> list[str]:
    """The folded words of what was typed: cut to a sane length, each once, in order."""
    found: list[str] = []
    for word in words(fold((query or "")[:MAX_QUERY_CHARS])):
        word = word[:MAX_WORD_CHARS]
        if word not in found:
            found.append(word)
    return found[:MAX_QUERY_WORDS]


def _phrase(word: str) -> list[str]:
    """The bigrams a word of two characters or more must match, next to each other."""
    return [word[at : at + 2] for at in range(len(word) - 1)]


def tsvector_literal(text_tokens: Sequence[str]) -> str:
    positions: dict[str, list[str]] = {}
    for position, token in enumerate(text_tokens, start=1):
        at = positions.get(token)
        if at is None:
            positions[token] = [str(position)]
        elif len(at) < 256:
            at.append(str(position))
    # Quoted all at once, as no token holds a space: a rebuild writes millions of tokens.
    quoted = _pg_quote(" ".join(positions)).split(" ")
    return " ".join(
        [f"'{token}':{','.join(at)}" for token, at in zip(quoted, positions.values(), strict=True)]
    )


def tsquery_literal(query: Sequence[str]) -> str:
    parts = []
    for word in query:
        if len(word) == 1:
            parts.append(f"'{_pg_quote(word)}':*")
        else:
            parts.append("(" + " <-> ".join(f"'{_pg_quote(gram)}'" for gram in _phrase(word)) + ")")
    return " & ".join(parts)


def fts5_query(query: Sequence[str]) -> str:
    parts = []
    for word in query:
        if len(word) == 1:
            parts.append(f'"{word}"*')
        else:
            parts.append('"' + " ".join(_phrase(word)) + '"')
    return " AND ".join(parts)


def _pg_quote(token: str) -> str:
    # Tokens are made of letters, digits and marks only; quote anyway, as tsvector input wants.
    return token.replace("\\", "\\\\").replace("'", "''")


# The registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A published record as the index holds it."""

    object_id: int
    title: str
    url: str
    body: str = ""
    # Said under the title in results: the district, the date …
    context: str = ""
    district_ids: tuple[int, ...] = ()
    # Meetings: newest first within their kind.
    sorted_at: datetime | None = None
    fiscal_year: int | None = None
    # The order within a kind otherwise (a kana reading, where there is one).
    reading: str = ""
    # Indexed but not shown: a reading, a school's other name …
    extra: str = ""


@dataclass(frozen=True)
class Feed:
    """A table whose rows feed a kind: `select` gives the ids of the records of that kind to
    refresh when a row changes, with `{row}` standing for the changed row (NEW or OLD)."""

    model: str  # "app_label.ModelName"; a many-to-many table as "app_label.Model.field"
    select: str


@dataclass(frozen=True)
class Kind:
    key: str
    label: object  # a lazily translated plural, such as _("Meetings")
    documents: Callable[[Iterable[int] | None], Iterable[Document]]
    feeds: tuple[Feed, ...] = field(default_factory=tuple)
    # "-sorted_at" (newest first) or "reading".
    order: str = "reading"


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.key] = kind


def _table_of(label: str) -> str:
    app_label, model_name, *m2m = label.split(".")
    model = apps.get_model(app_label, model_name)
    if m2m:
        return model._meta.get_field(m2m[0]).remote_field.through._meta.db_table
    return model._meta.db_table


# Database objects: the queue triggers, the FTS5 table, the GIN index -------------------------


def _trigger_name(kind: str, table: str, suffix: str = "") -> str:
    return f"search_{kind}_{table}{suffix}"[:60]


def install_database_objects(using: str = DEFAULT_DB_ALIAS) -> None:
    """Create (again) the triggers that fill the change queue, and the full-text index.

    Run after every migrate (a post_migrate receiver): SQLite drops a table's triggers when a
    migration rebuilds the table, and the feeds are declared in code, not in migrations.
    """
    connection = connections[using]
    statements: list[str] = []
    if connection.vendor == "postgresql":
        statements.append(
            "CREATE INDEX IF NOT EXISTS core_searchentry_grams_gin "
            "ON core_searchentry USING gin (grams)"
        )
        for kind in KINDS.values():
            for feed in kind.feeds:
                table = _table_of(feed.model)
                name = _trigger_name(kind.key, table)
                new = feed.select.format(row="NEW")
                old = feed.select.format(row="OLD")
                statements += [
                    f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO core_searchchange (kind, object_id)
      SELECT '{kind.key}', object_id FROM ({new}) AS changed WHERE object_id IS NOT NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO core_searchchange (kind, object_id)
      SELECT '{kind.key}', object_id FROM ({old}) AS changed WHERE object_id IS NOT NULL;
  END IF;
  RETURN NULL;
END $$""",  # noqa: S608 (feeds are declared in code, no input reaches this)
                    f"DROP TRIGGER IF EXISTS {name} ON {table}",
                    f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {name}()",
                ]
    elif connection.vendor == "sqlite":
        statements += [
            "CREATE VIRTUAL TABLE IF NOT EXISTS core_searchentry_fts USING fts5("
            "grams, content='core_searchentry', content_rowid='id', tokenize='ascii')",
            "DROP TRIGGER IF EXISTS core_searchentry_fts_insert",
            "CREATE TRIGGER core_searchentry_fts_insert AFTER INSERT ON core_searchentry BEGIN "
            "INSERT INTO core_searchentry_fts (rowid, grams) VALUES (NEW.id, NEW.grams); END",
            "DROP TRIGGER IF EXISTS core_searchentry_fts_delete",
            "CREATE TRIGGER core_searchentry_fts_delete AFTER DELETE ON core_searchentry BEGIN "
            "INSERT INTO core_searchentry_fts (core_searchentry_fts, rowid, grams) "
            "VALUES ('delete', OLD.id, OLD.grams); END",
            "DROP TRIGGER IF EXISTS core_searchentry_fts_update",
            "CREATE TRIGGER core_searchentry_fts_update AFTER UPDATE ON core_searchentry BEGIN "
            "INSERT INTO core_searchentry_fts (core_searchentry_fts, rowid, grams) "
            "VALUES ('delete', OLD.id, OLD.grams); "
            "INSERT INTO core_searchentry_fts (rowid, grams) VALUES (NEW.id, NEW.grams); END",
        ]
        for kind in KINDS.values():
            for feed in kind.feeds:
                table = _table_of(feed.model)
                for event, rows in (
                    ("INSERT", ("NEW",)),
                    ("UPDATE", ("NEW", "OLD")),
                    ("DELETE", ("OLD",)),
                ):
                    name = _trigger_name(kind.key, table, f"_{event[0].lower()}")
                    # Feeds are declared in code; no input reaches these statements.
                    inserts = " ".join(
                        "INSERT INTO core_searchchange (kind, object_id) "  # noqa: S608
                        f"SELECT '{kind.key}', object_id FROM ({feed.select.format(row=row)}) "
                        "WHERE object_id IS NOT NULL;"
                        for row in rows
                    )
                    statements += [
                        f"DROP TRIGGER IF EXISTS {name}",
                        f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {inserts} END",
                    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# While migrate runs, the index's own tables may not exist yet: writes made by data migrations
# are not applied on commit (they are queued once the triggers exist, and applied later).
_migrating = False


def migrating(sender=None, **kwargs) -> None:
    """The pre_migrate receiver."""
    global _migrating
    _migrating = True


def installed(sender=None, *, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The post_migrate receiver: once per migrate, when the core app's turn comes."""
    global _migrating
    if sender is not None and sender.label != "core":
        return
    _migrating = False
    install_database_objects(using)


# Writing the index ---------------------------------------------------------------------------


def _entries(kind: Kind, documents: Iterable[Document]):
    from .models import SearchEntry

    entries, links = [], []
    for document in documents:
        text_tokens = tokens(" ".join((document.title, document.extra, document.body)))
        entry = SearchEntry(
            kind=kind.key,
            object_id=document.object_id,
            title=document.title[:300],
            context=document.context[:300],
            url=document.url,
            body=document.body[:20_000],
            sorted_at=document.sorted_at,
            fiscal_year=document.fiscal_year,
            reading=document.reading[:300],
            grams=text_tokens,
        )
        entries.append(entry)
        links.append(document.district_ids)
    return entries, links


def _write(kind: Kind, documents: Iterable[Document], using: str, batch: int = 500) -> int:
    from .models import SearchEntry, SearchEntryDistrict

    written = 0
    pending: list[Document] = []

    def flush():
        nonlocal written
        entries, links = _entries(kind, pending)
        bulk.create(SearchEntry, entries, using)
        # The entries have their primary keys now, on PostgreSQL and SQLite alike (RETURNING).
        district_links = [
            SearchEntryDistrict(entry_id=entry.pk, district_id=district_id)
            for entry, district_ids in zip(entries, links, strict=True)
            for district_id in set(district_ids)
        ]
        bulk.create(SearchEntryDistrict, district_links, using)
        written += len(entries)
        pending.clear()

    for document in documents:
        pending.append(document)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return written


def refresh(kind_key: str, object_ids: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> None:
    """Rewrite the entries of these records: written again if published, gone if not."""
    from .models import SearchEntry

    kind = KINDS[kind_key]
    ids = sorted(set(object_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with transaction.atomic(using=using):
            SearchEntry.objects.using(using).filter(kind=kind.key, object_id__in=chunk).delete()
            _write(kind, kind.documents(chunk), using)


def apply_changes(using: str = DEFAULT_DB_ALIAS) -> int:
    """Bring the entries of every record noted in the change queue up to date; how many.

    With nothing queued this is one query reading the first entry of the primary key's index,
    so every search can afford it (the queue table is emptied often, and a sequential scan of
    it would read every page its deleted rows left behind until the next vacuum).
    """
    from .models import SearchChange

    connection = connections[using]
    queue = SearchChange.objects.using(using).order_by("pk")
    if queue.values_list("pk", flat=True).first() is None:
        return 0
    applied = 0
    while True:
        with transaction.atomic(using=using):
            # One process at a time: two applying the same change would write it twice.
            _lock(connection)
            changes = list(queue.values_list("pk", "kind", "object_id")[:CHANGE_BATCH])
            if not changes:
                return applied
            by_kind: dict[str, set[int]] = defaultdict(set)
            for _pk, kind, object_id in changes:
                if kind in KINDS:
                    by_kind[kind].add(object_id)
            for kind, ids in by_kind.items():
                refresh(kind, ids, using)
            # Exactly the changes read: one committed meanwhile with a lower id is left for
            # the next pass, not dropped unapplied.
            SearchChange.objects.using(using).filter(pk__in=[pk for pk, *_ in changes]).delete()
            applied += len(changes)
        if len(changes) < CHANGE_BATCH:
            return applied


_LOCK_KEY = 0x6B796F646F  # "kyodo"


def _lock(connection) -> None:
    """The index's writers one at a time (PostgreSQL; SQLite writes one at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def records_written(using: str) -> None:
    """Called by core.cache for every write to a public table: apply the queue on commit."""
    connection = connections[using]
    if _migrating:
        return
    if connection.in_atomic_block and not any(
        getattr(entry[1], "search_apply", False) for entry in connection.run_on_commit
    ):
        connection.on_commit(_on_commit_apply(using), robust=True)


def _on_commit_apply(using: str):
    def apply():
        apply_changes(using)

    apply.search_apply = True
    return apply


def rebuild(using: str = DEFAULT_DB_ALIAS, stdout=None) -> dict[str, int]:
    """Write every entry again from the records; how many of each kind."""
    from .models import SearchChange, SearchEntry, SearchEntryDistrict

    counts = {}
    with transaction.atomic(using=using):
        _lock(connections[using])
        SearchChange.objects.using(using).all().delete()
        SearchEntryDistrict.objects.using(using).all().delete()
        SearchEntry.objects.using(using).all().delete()
        for kind in KINDS.values():
            counts[kind.key] = _write(kind, kind.documents(None), using, batch=1000)
            if stdout is not None:
                stdout.write(f"{kind.key}: {counts[kind.key]}")
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_searchentry_fts (core_searchentry_fts) VALUES ('optimize')"
            )
    return counts


# Reading the index ---------------------------------------------------------------------------


def matching(query: Sequence[str], using: str = DEFAULT_DB_ALIAS):
    """The entries matching every word of a folded query (see query_words)."""
    from .models import SearchEntry

    try:
        apply_changes(using)
    except Exception:
        # A record that cannot be written to the index must not stop every search: the search
        # answers from the index as it is, and the change stays queued.
        logger.exception("Could not bring the search index up to date.")
    return SearchEntry.objects.using(using).filter(grams__matches=list(query))


# How far each kind is counted: beyond this, "100+" (and no page past the hundredth result).
# Counting stops early so that a common word costs a hundred rows per kind, whatever the size of
# the city; a resident with more than a hundred results narrows the search rather than reading on.
COUNT_CAP = 100


def entries_for(query: Sequence[str], *, district_id: int | None = None):
    """The entries matching a folded query, of one district if given."""
    entries = matching(query)
    if district_id is not None:
        entries = entries.filter(districts__district_id=district_id)
    return entries


def in_kind_order(entries, kind: str):
    """A kind's entries in its order: newest first (meetings), or by reading. Each order is an
    index (SearchEntry.Meta.indexes), so the first matches of a common word are read off it."""
    if KINDS[kind].order == "-sorted_at":
        return entries.order_by("-sorted_at", "-pk")
    return entries.order_by("reading", "title", "pk")


# A query of this many bigrams or more is looked up once, all kinds together, before the
# kinds are read one by one: a long phrase (a group's name) matches few entries, and the full-text
# index answers it in one pass instead of one per kind.
RARE_BIGRAMS = 4
# How many matches that pass reads at most: more, and the kinds are read one by one after all.
RARE_MATCHES = 200


def _bigram_count(query: Sequence[str]) -> int:
    return sum(max(1, len(word) - 1) for word in query)


def first_matches(
    entries,
    kinds: Sequence[str],
    query: Sequence[str] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> dict[str, list[int]]:
    """The ids of the first COUNT_CAP + 1 matches of each kind, in the kind's order.

    A long query (RARE_BIGRAMS) is first read in one pass over every kind; when it matches
    fewer than RARE_MATCHES entries, that is the whole answer, put in order here. Otherwise, and
    for short queries, one query reads each kind's first matches in the kind's order.

    How many there are (up to the cap) is the count shown; the first few are the ones listed.
    Each kind's matches are read in the kind's order: PostgreSQL then walks that order's index
    for a common word (防災 is in every other record: a hundred matches are found in a few
    hundred rows) and takes the full-text index for a rare one. Unordered, a LIMIT made it
    prefer a sequential scan, which for a rare word reads the whole table.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    if _bigram_count(query) >= RARE_BIGRAMS:
        limited = (
            entries.filter(kind__in=list(kinds))
            .order_by()
            .values("pk", "kind", "sorted_at", "reading", "title")[: RARE_MATCHES + 1]
        )
        sql, params = limited.query.get_compiler(using).as_sql()
        pk = f"rare.{quote('pk')}"
        with connection.cursor() as cursor:
            # Each match numbered in both orders, by the database (its collation, as below).
            cursor.execute(
                f"SELECT {pk}, rare.kind, "  # noqa: S608
                "ROW_NUMBER() OVER (PARTITION BY rare.kind "
                f"ORDER BY rare.sorted_at DESC, {pk} DESC), "
                "ROW_NUMBER() OVER (PARTITION BY rare.kind "
                f"ORDER BY rare.reading, rare.title, {pk}) "
                f"FROM ({sql}) AS rare",
                params,
            )
            rows = cursor.fetchall()
        if len(rows) <= RARE_MATCHES:
            by_kind: dict[str, list] = {key: [] for key in kinds}
            for entry_pk, kind, newest, by_reading in rows:
                place = newest if KINDS[kind].order == "-sorted_at" else by_reading
                by_kind[kind].append((place, entry_pk))
            return {
                key: [entry_pk for _place, entry_pk in sorted(found)][: COUNT_CAP + 1]
                for key, found in by_kind.items()
            }
    parts, params = [], []
    for index, key in enumerate(kinds):
        limited = in_kind_order(entries.filter(kind=key), key).values(
            "pk", "kind", "sorted_at", "reading", "title"
        )[: COUNT_CAP + 1]
        sql, part_params = limited.query.get_compiler(using).as_sql()
        alias = f"first_{index}"
        if KINDS[key].order == "-sorted_at":
            order = f"{alias}.sorted_at DESC, {alias}.{quote('pk')} DESC"
        else:
            order = f"{alias}.reading, {alias}.title, {alias}.{quote('pk')}"
        # UNION ALL keeps no order: each row carries its place in its kind's order.
        parts.append(
            f"SELECT {alias}.{quote('pk')}, {alias}.kind, "  # noqa: S608
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS place FROM ({sql}) AS {alias}"
        )
        params.extend(part_params)
    found: dict[str, list] = {key: [] for key in kinds}
    if not parts:
        return found
    with connection.cursor() as cursor:
        # Compiled from querysets above; the words are parameters.
        cursor.execute(" UNION ALL ".join(parts), params)
        for pk, kind, place in cursor.fetchall():
            found[kind].append((place, pk))
    return {key: [pk for _place, pk in sorted(rows)] for key, rows in found.items()}


def entries_by_id(ids: Sequence[int], using: str = DEFAULT_DB_ALIAS) -> dict:
    """The entries to show, with what a result shows, by id (none: no query)."""
    from .models import SearchEntry

    if not ids:
        return {}
    return (
        SearchEntry.objects.using(using)
        .only("kind", "title", "url", "context", "body", "sorted_at", "fiscal_year")
        .in_bulk(list(ids))
    )


def matching_ids(kind: str, query: str):
    """The ids of the records of one kind that match what was typed (a subquery), or None
    when nothing searchable was typed."""
    found = query_words(query)
    if not found:
        return None
    return matching(found).filter(kind=kind).values("object_id")


# Excerpts --------------------------------------------------------------------------------------

EXCERPT_CHARS = 90


def excerpt(text: str, query: Sequence[str], width: int = EXCERPT_CHARS) -> SafeString:
    """A short passage of `text` around the first match, the matched words marked with <mark>.

    Matching is on folded text; the marks are placed on the text as written, through the map
    fold_mapped() keeps from each folded character to where it came from. Only the stretch of
    text around the first match is mapped: minutes run to thousands of characters.
    """
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return mark_safe("")
    # What the passage can take: a third of its width before the first match, the rest after
    # (all of a text that fits).
    offset = _first_match_at(text, query) if len(text) > width else 0
    start = max(0, offset - width // 3 - 1)
    segment = text[start : offset + _SCAN_STEP + _SCAN_OVERLAP + width]
    folded, sources = fold_mapped(segment)
    spans: list[tuple[int, int]] = []
    for word in query:
        found = folded.find(word)
        while found != -1:
            end = found + len(word) - 1
            spans.append((sources[found], sources[end] + 1))
            found = folded.find(word, found + len(word))
    spans.sort()
    first = spans[0][0] if spans else offset - start
    begin = max(0, first - width // 3)
    finish = min(len(segment), begin + width)
    begin = max(0, min(begin, finish - width))
    pieces, at = [], begin
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, at), min(span_end, finish)
        if span_start >= span_end:
            continue
        pieces.append(html.escape(segment[at:span_start]))
        pieces.append(f"<mark>{html.escape(segment[span_start:span_end])}</mark>")
        at = span_end
    pieces.append(html.escape(segment[at:finish]))
    before = "…" if start + begin > 0 else ""
    after = "…" if start + finish < len(text) else ""
    # Every piece of the text went through html.escape above; only the marks are markup.
    return mark_safe(before + "".join(pieces) + after)  # noqa: S308


# excerpt() looks for the first match in overlapping stretches, folded the fast way; a word of
# the query (at most MAX_WORD_CHARS folded) fits inside the overlap.
_SCAN_STEP = 60
_SCAN_OVERLAP = 40


def _first_match_at(text: str, query: Sequence[str]) -> int:
    """Where the stretch holding the first match starts (0 when nothing matches)."""
    for start in range(0, len(text), _SCAN_STEP):
        folded = fold(text[start : start + _SCAN_STEP + _SCAN_OVERLAP])
        if any(word in folded for word in query):
            return start
    return 0

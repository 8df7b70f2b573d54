"""Import of the city's 「通学区域一覧」: the whole table of areas, from a CSV or XLSX file.

The file describes every district's areas. `plan_import` reads it and compares it with the areas
stored: what would be added, changed (moved to another district, or its name or reading
rewritten) and removed, and every row that is wrong, by its row number. Nothing is written until
`apply_import` is called with the same file and the fingerprint of the plan the user saw; it plans
again under a lock and writes only when the file is still good and the plan is still the same.
"""

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.fields import kana_validator
from core.text import fold, normalize, normalize_kana

from .models import Area, District

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CHOME = 99
MAX_BANCHI = 99_999

# The columns, each with the headers it is known by (compared after fold(), spaces removed).
COLUMNS = {
    "district": (
        "小学校区",
        "小学校区名",
        "校区",
        "校区名",
        "学区",
        "学校区",
        "通学区域",
        "小学校",
        "学校",
        "学校名",
        "district",
        "school",
    ),
    "town": ("町名", "町", "town"),
    "town_kana": (
        "町名かな",
        "町名よみ",
        "町名ふりがな",
        "かな",
        "よみ",
        "ふりがな",
        "town_kana",
        "kana",
        "reading",
    ),
    "chome": ("丁目", "chome"),
    "banchi_from": ("番地から", "番地(から)", "番地始", "banchi_from", "from"),
    "banchi_to": ("番地まで", "番地(まで)", "番地終", "banchi_to", "to"),
}
COLUMN_LABELS = {
    "district": gettext_lazy("小学校区 (district)"),
    "town": gettext_lazy("町名 (town)"),
    "town_kana": gettext_lazy("町名かな (town reading)"),
    "chome": gettext_lazy("丁目 (chōme)"),
    "banchi_from": gettext_lazy("番地から (from 番地)"),
    "banchi_to": gettext_lazy("番地まで (to 番地)"),
}
_HEADERS = {
    fold(name).replace(" ", ""): column for column, names in COLUMNS.items() for name in names
}
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old Excel format (.xls)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHOME_IN_TOWN = re.compile(r"[0-9〇一二三四五六七八九十]+丁目$")
_SCHOOL_OWNER = re.compile(r"^.+?[都道府県市区町村]立")


class ImportFileError(Exception):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class Problem:
    row: int | None  # the row number in the file (the header is row 1); None for the whole file
    message: str


@dataclass(frozen=True)
class ImportRow:
    row: int
    district: District
    town: str
    town_kana: str
    chome: int | None
    banchi_from: int | None
    banchi_to: int | None

    @property
    def key(self) -> tuple:
        return (fold(self.town), self.chome, self.banchi_from, self.banchi_to)

    def as_area(self) -> Area:
        return Area(
            district=self.district,
            town=self.town,
            town_kana=self.town_kana,
            town_key=fold(self.town),
            chome=self.chome,
            banchi_from=self.banchi_from,
            banchi_to=self.banchi_to,
        )

    @property
    def label(self) -> str:
        return self.as_area().label


@dataclass(frozen=True)
class Change:
    area: Area  # as stored
    from_district: District
    row: ImportRow  # as the file has it

    @property
    def moved(self) -> bool:
        return self.from_district.pk != self.row.district.pk


@dataclass
class ImportPlan:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    added: list[ImportRow] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Area] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def fingerprint(self) -> str:
        """What applying the plan would do, as a digest: the confirm step must match it."""
        # The stored side too: an area someone moved after the check is a different change.
        parts = [f"+{row.district.pk}:{row.key}:{row.town}:{row.town_kana}" for row in self.added]
        parts += [
            f"~{c.area.pk}:{c.from_district.pk}:{c.area.town}:{c.area.town_kana}"
            f"→{c.row.district.pk}:{c.row.town}:{c.row.town_kana}"
            for c in self.changed
        ]
        parts += [f"-{area.pk}:{area.district_id}" for area in self.removed]
        return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()


# Reading the file ---------------------------------------------------------------------------


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_table(content: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the file's first sheet, each with its row number, cells as text."""
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB. Split it or remove what is not the table.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if content.startswith(_OLE_MAGIC):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as .xlsx or as CSV and upload it again.")
        )
    rows = _xlsx_rows(content) if content.startswith(_XLSX_MAGIC) else _csv_rows(content)
    table = []
    for number, cells in rows:
        cells = ["" if cell is None else _cell_text(cell) for cell in cells]
        if any(cells):
            table.append((number, cells))
        if len(table) > MAX_ROWS + 1:
            raise ImportFileError(
                _("The file has more than %(count)s rows; the table cannot be that long.")
                % {"count": f"{MAX_ROWS:,}"}
            )
    if not table:
        raise ImportFileError(_("The file is empty."))
    return table


def _cell_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return normalize(str(cell))


def _csv_rows(content: bytes):
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            _(
                "The file is neither a CSV file in UTF-8 or Shift_JIS nor an Excel (.xlsx) file. "
                "Save the table as CSV or .xlsx and upload it again."
            )
        )
    if _CONTROL.search(text):
        raise ImportFileError(
            _(
                "The file is not a table in text (CSV) or Excel (.xlsx). "
                "Save the table as CSV or .xlsx and upload it again."
            )
        )
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from error
    return enumerate(rows, start=1)


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append((number, list(values)))
                if number > MAX_ROWS * 2:
                    break
        finally:
            workbook.close()
    except Exception as error:  # noqa: BLE001 - a broken workbook raises anything from zipfile to lxml
        raise ImportFileError(
            _("The Excel file is damaged or not an .xlsx workbook. Save it again and upload it.")
        ) from error
    return rows


# Checking the rows --------------------------------------------------------------------------


def _header_columns(number: int, cells: list[str]) -> tuple[dict[str, int], list[Problem]]:
    positions: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(cells):
        column = _HEADERS.get(fold(cell).replace(" ", ""))
        if column is None:
            continue  # a column the import does not use, such as 備考
        if column in positions:
            problems.append(
                Problem(number, _("The column %(column)s appears twice.") % {"column": cell})
            )
        positions[column] = index
    missing = [str(COLUMN_LABELS[column]) for column in COLUMNS if column not in positions]
    if missing:
        problems.append(
            Problem(
                None,
                _(
                    "The first row must name the columns. Missing: %(missing)s. "
                    "Use the headers 小学校区, 町名, 町名かな, 丁目, 番地から, 番地まで "
                    "(or district, town, town_kana, chome, banchi_from, banchi_to)."
                )
                % {"missing": "、".join(missing)},
            )
        )
    return positions, problems


class _Districts:
    """Districts by what a table may call them: name, address name (slug) or school."""

    def __init__(self):
        self.by_key: dict[str, set[District]] = defaultdict(set)
        for district in District.objects.only("pk", "name", "slug", "school_name"):
            names = {district.name, district.slug}
            if district.school_name:
                names |= {district.school_name, _SCHOOL_OWNER.sub("", district.school_name)}
            for name in names:
                if name:
                    self.by_key[fold(name)].add(district)

    def find(self, text: str) -> tuple[District | None, str | None]:
        found = self.by_key.get(fold(text), set())
        if len(found) == 1:
            return next(iter(found)), None
        if found:
            return None, _("「%(name)s」 names more than one district; use its address name.") % {
                "name": text
            }
        return None, _("Unknown district 「%(name)s」.") % {"name": text}


def _number(text: str, suffixes: tuple[str, ...]) -> int | None:
    """「2」「２」「二」「2丁目」「十二番地」 → the number; "" → None; anything else: ValueError."""
    value = normalize(text).replace(" ", "")
    for suffix in suffixes:
        value = value.removesuffix(suffix)
    if not value:
        return None
    folded = fold(value)
    if not folded.isdigit():
        raise ValueError(text)
    return int(folded)


def _check_row(number: int, cells: list[str], positions, width: int, districts: _Districts):
    """The row as an ImportRow, or the list of what is wrong with it (none for a row that has
    text only in columns the import does not use, such as a note)."""
    problems = []

    def cell(column: str) -> str:
        index = positions[column]
        return cells[index].strip() if index < len(cells) else ""

    if not any(cell(column) for column in positions):
        return None, []
    district_text = cell("district")
    district = None
    if not district_text:
        problems.append(_("The district is missing."))
    else:
        district, problem = districts.find(district_text)
        if problem:
            problems.append(problem)
    town = cell("town")
    if not town:
        problems.append(_("The town (町名) is missing."))
    elif len(town) > Area._meta.get_field("town").max_length:
        problems.append(_("The town (町名) is too long."))
    elif _CHOME_IN_TOWN.search(town):
        problems.append(
            _("Write the town 「%(town)s」 without its 丁目, and the 丁目 in its own column.")
            % {"town": town}
        )
    kana = normalize_kana(cell("town_kana"))
    if not kana:
        problems.append(_("The town's reading (町名かな) is missing."))
    elif not re.fullmatch(kana_validator.regex, kana) or len(kana) > 120:
        problems.append(
            _("The town's reading 「%(kana)s」 must be in hiragana or katakana.") % {"kana": kana}
        )
    chome = banchi_from = banchi_to = None
    try:
        chome = _number(cell("chome"), ("丁目", "丁"))
        if chome is not None and not 1 <= chome <= MAX_CHOME:
            raise ValueError
    except ValueError:
        problems.append(
            _("丁目 「%(value)s」 is not a number of 丁目 (such as 2, ２, 二 or 2丁目).")
            % {"value": cell("chome")}
        )
    for column, label in (("banchi_from", "番地から"), ("banchi_to", "番地まで")):
        try:
            value = _number(cell(column), ("番地", "番"))
            if value is not None and not 1 <= value <= MAX_BANCHI:
                raise ValueError
        except ValueError:
            problems.append(
                _("%(column)s 「%(value)s」 is not a number of 番地.")
                % {"column": label, "value": cell(column)}
            )
            continue
        if column == "banchi_from":
            banchi_from = value
        else:
            banchi_to = value
    if banchi_to is not None and banchi_from is None and cell("banchi_from") == "":
        problems.append(_("番地まで is given without 番地から."))
    if banchi_from is not None and banchi_to is not None and banchi_to < banchi_from:
        problems.append(
            _("The range of 番地 ends (%(end)s) before it starts (%(start)s).")
            % {"start": banchi_from, "end": banchi_to}
        )
    if any(cells[width:]):
        problems.append(_("The row has more cells than the first row has columns."))
    if problems:
        return None, problems
    return ImportRow(number, district, town, kana, chome, banchi_from, banchi_to), []


def _check_table(rows: list[ImportRow]) -> list[Problem]:
    """Rows of the file that claim one address twice, and towns read two ways."""
    problems = []
    by_town: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        by_town[fold(row.town)].append(row)
    for town_rows in by_town.values():
        first = town_rows[0]
        for row in town_rows[1:]:
            if row.town_kana != first.town_kana:
                problems.append(
                    Problem(
                        row.row,
                        _(
                            "「%(town)s」 is read 「%(kana)s」 here "
                            "but 「%(first)s」 in row %(other)s."
                        )
                        % {
                            "town": row.town,
                            "kana": row.town_kana,
                            "first": first.town_kana,
                            "other": first.row,
                        },
                    )
                )
        areas = [(row, row.as_area()) for row in town_rows]
        for index, (row, area) in enumerate(areas):
            for earlier, earlier_area in areas[:index]:
                if not area.overlaps(earlier_area):
                    continue
                if earlier.district.pk != row.district.pk:
                    message = _(
                        "%(area)s is claimed by two districts: %(district)s here and "
                        "%(other_district)s in row %(other)s."
                    )
                elif earlier.key == row.key:
                    message = _("%(area)s is listed twice: here and in row %(other)s.")
                else:
                    message = _(
                        "%(area)s overlaps %(other_area)s in row %(other)s: "
                        "the ranges of 番地 meet."
                    )
                problems.append(
                    Problem(
                        row.row,
                        message
                        % {
                            "area": area.label,
                            "district": row.district.name,
                            "other_district": earlier.district.name,
                            "other_area": earlier_area.label,
                            "other": earlier.row,
                        },
                    )
                )
                break
    return problems


def _compare(plan: ImportPlan) -> None:
    """Fill the plan's added, changed, removed and unchanged from the areas stored."""
    stored: dict[tuple, list[Area]] = defaultdict(list)
    for area in Area.objects.select_related("district").order_by("pk"):
        stored[(area.town_key, area.chome, area.banchi_from, area.banchi_to)].append(area)
    for row in plan.rows:
        matches = stored.get(row.key)
        if not matches:
            plan.added.append(row)
            continue
        area = matches.pop(0)
        if (
            area.district_id != row.district.pk
            or area.town != row.town
            or area.town_kana != row.town_kana
        ):
            plan.changed.append(Change(area, area.district, row))
        else:
            plan.unchanged += 1
    plan.removed = sorted(
        (area for areas in stored.values() for area in areas),
        key=lambda area: (area.town_kana, area.town, area.chome or 0, area.banchi_from or 0),
    )


def plan_import(content: bytes) -> ImportPlan:
    """Read the file and say what importing it would do, or what is wrong with it."""
    plan = ImportPlan()
    try:
        table = read_table(content)
    except ImportFileError as error:
        plan.problems.append(Problem(None, str(error)))
        return plan
    (header_number, header), body = table[0], table[1:]
    positions, problems = _header_columns(header_number, header)
    if problems:
        plan.problems += problems
        return plan
    if not body:
        plan.problems.append(Problem(None, _("The file has the column names but no rows.")))
        return plan
    districts = _Districts()
    for number, cells in body:
        row, row_problems = _check_row(number, cells, positions, len(header), districts)
        plan.problems += [Problem(number, message) for message in row_problems]
        if row is not None:
            plan.rows.append(row)
    plan.problems += _check_table(plan.rows)
    plan.problems.sort(key=lambda problem: problem.row or 0)
    if plan.is_valid:
        _compare(plan)
    return plan


# Writing ------------------------------------------------------------------------------------


class PlanChanged(Exception):
    """The areas stored changed since the plan was shown: show the new plan instead."""

    def __init__(self, plan: ImportPlan):
        super().__init__("The import plan changed.")
        self.plan = plan


@transaction.atomic
def apply_import(*, content: bytes, expected_fingerprint: str, by) -> ImportPlan:
    """Import the file: add, change and remove areas as planned, in one transaction, with a
    history entry on each district concerned. Raises PlanChanged when the file is no longer good
    or its plan differs from the one shown (`expected_fingerprint`)."""
    # Two imports at once would each plan against what the other is replacing: the second waits.
    list(District.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    plan = plan_import(content)
    if not plan.is_valid or plan.fingerprint != expected_fingerprint:
        raise PlanChanged(plan)
    if not plan.has_changes:
        return plan
    Area.objects.filter(pk__in=[area.pk for area in plan.removed]).delete()
    for change in plan.changed:
        change.area.district = change.row.district
        change.area.town = change.row.town
        change.area.town_kana = change.row.town_kana
        change.area.town_key = fold(change.row.town)
    Area.objects.bulk_update(
        [change.area for change in plan.changed], ["district", "town", "town_kana", "town_key"]
    )
    Area.objects.bulk_create([row.as_area() for row in plan.added])
    _log(plan, by)
    return plan


def _log(plan: ImportPlan, by) -> None:
    """One history entry per district whose areas changed, in the admin's own message format."""
    with translation.override(None):  # stored untranslated, as Django's own messages
        name = str(Area._meta.verbose_name)
        fields = [str(Area._meta.get_field(f).verbose_name) for f in ("town", "town_kana")]
    messages: dict[int, list] = defaultdict(list)
    for row in plan.added:
        messages[row.district.pk].append({"added": {"name": name, "object": row.label}})
    for change in plan.changed:
        label = change.row.label
        if change.moved:
            messages[change.row.district.pk].append({"added": {"name": name, "object": label}})
            messages[change.from_district.pk].append({"deleted": {"name": name, "object": label}})
        else:
            messages[change.row.district.pk].append(
                {"changed": {"name": name, "object": label, "fields": fields}}
            )
    for area in plan.removed:
        messages[area.district_id].append({"deleted": {"name": name, "object": area.label}})
    districts = District.objects.in_bulk(list(messages))
    content_type = ContentType.objects.get_for_model(District)
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=by.pk,
            content_type=content_type,
            object_id=str(pk),
            object_repr=str(districts[pk])[:200],
            action_flag=CHANGE,
            change_message=json.dumps(message, ensure_ascii=False),
        )
        for pk, message in messages.items()
    )

"""The districts, groups, people and accounts of the demo city, read from demo/data.

districts.toml, areas.toml, groups.toml, names.toml, posts.toml and accounts.toml hold the text
and the figures; here each row becomes
the tuple the seeding reads, with its kinds and stages checked against the models' (a misspelt
kind or an unknown field name stops the load and names the row).
"""

import datetime as dt
from typing import NamedTuple

from core import roles
from demo.load import built, listed, read, typed
from districts.models import CouncilStage, DistrictKind
from organizations.models import OfficerRole, OrganizationKind


class Name(NamedTuple):
    name: str
    kana: str  # its reading


class Place(NamedTuple):
    """An elementary school, or an association's area that is not a numbered 丁目."""

    name: str
    kana: str
    code: str  # romaji


class Hub(NamedTuple):
    name: str
    address: str
    phone: str


class DistrictSeed(NamedTuple):
    slug: str
    base: str  # the place name its groups are named after: 桜台
    base_kana: str
    kind: DistrictKind
    schools: tuple[Place, ...]  # elementary schools
    chome: int  # numbered blocks (丁目) that each have their own association
    areas: tuple[Place, ...]  # other association areas
    association: Name  # what its associations are called: 自治会, 町内会, 行政区
    hub: Hub
    council: Name | None  # None: no council yet
    stage: CouncilStage
    formed_on: dt.date | None  # council founded, or its preparatory body started
    population: int  # on 2022-04-01
    growth: float  # per year
    aging: float  # share aged 65 and over on 2022-04-01
    household_size: float
    joining_rate: float  # share of households that belong to an association
    summary: str


class GroupSpec(NamedTuple):
    name: str
    kana: str
    kind: OrganizationKind
    code: str  # romaji, for the demo website and e-mail address
    fields: tuple[str, ...]
    description: str
    districts: tuple[str, ...] = ()
    member_households: int | None = None


class JuniorHigh(NamedTuple):
    name: str
    kana: str
    code: str
    districts: tuple[str, ...]  # the districts it serves


class FireCompany(NamedTuple):
    """A company (分団) of the city's volunteer fire brigade."""

    number: str
    kana: str
    districts: tuple[str, ...]


_districts = read("districts")
_groups = read("groups")
_names = read("names")
CITY: str = _districts["city"]["name"]
CITY_KANA: str = _districts["city"]["kana"]
SCHOOL_PREFIX = Name(**_districts["city"]["school_prefix"])  # みどり野市立
DISTRICT_SUFFIX = {
    DistrictKind(kind): Name(**pair) for kind, pair in _districts["district_suffix"].items()
}
ASSOCIATIONS = {key: Name(**pair) for key, pair in _districts["associations"].items()}
GYOSEIKU = ASSOCIATIONS["gyoseiku"]
CHOME = tuple((block["numeral"], block["kana"]) for block in _districts["chome"])
DISTRICTS = listed(
    "districts",
    "district",
    lambda row: typed(DistrictSeed, row | {"association": ASSOCIATIONS[row["association"]]}),
    "slug",
)
JUNIOR_HIGHS = listed("districts", "junior_high", JuniorHigh, "code")
FIRE_COMPANIES = listed("districts", "fire_company", FireCompany, "number")


def _groups_of(key: str) -> tuple[GroupSpec, ...]:
    if isinstance(_groups[key], dict):
        return (built(f"demo/data/groups.toml [{key}]", GroupSpec, _groups[key]),)
    return listed("groups", key, GroupSpec, "code")


CORE_GROUPS = _groups_of("core")
(CHILDREN_COUNCIL,) = _groups_of("children_council")
(WOMEN_GROUP,) = _groups_of("women_group")
VOLUNTEER_GROUPS = _groups_of("volunteer")
OTHER_GROUPS = _groups_of("other")
BUSINESS_GROUPS = _groups_of("business")
# Groups that are not tied to one district's name.
CITY_GROUPS = _groups_of("city")
# Groups whose names reached the city written by hand, in full-width digits and letters. The admin's
# search and the public directory find them whichever way the name is typed: 「桜台2丁目」,
# 「桜台二丁目」 or 「桜台２丁目」; 「NPO」, 「npo」 or 「ＮＰＯ」.
GROUPS_AS_WRITTEN = _groups_of("as_written")
SENIOR_CLUBS = tuple(Name(**club) for club in _groups["senior_clubs"])
ASSOCIATION_FIELDS = tuple(_groups["association_fields"])
_kinds = _groups["kinds"]
ANNUAL_KINDS, COUNCIL_MEMBER_KINDS, LOOSE_KINDS = (
    frozenset(map(OrganizationKind, _kinds[key])) for key in ("annual", "council_member", "loose")
)
ONLINE_SHARE, FIRST_FOUNDED = (
    {OrganizationKind(kind): value for kind, value in _kinds[key].items()}
    for key in ("online_share", "first_founded")
)
ASSOCIATION_TEXTS = tuple(_groups["texts"]["association"])
# The groups of each school, fire company, association area and senior club.
(SCHOOL,), (PTA,), (FIRE_COMPANY,), (CHILDREN,), (SENIOR_CLUB,) = (
    _groups_of(key) for key in ("school", "pta", "fire_company", "children", "senior_club")
)

FAMILY_NAMES = tuple((name["name"], name["kana"], name["romaji"]) for name in _names["family"])
GIVEN_NAMES = tuple(Name(**name) for name in _names["given"])


class Split(NamedTuple):
    """Part of a 丁目 split between districts by 番地."""

    chome: int
    banchi_from: int
    banchi_to: int | None  # None: to the end
    district: str  # slug


class Town(NamedTuple):
    district: str  # slug
    town: str
    kana: str
    chome: tuple[int, ...] = ()  # empty: the whole town
    split: tuple[Split, ...] = ()  # parts of a 丁目 split between districts


# The 通学区域一覧: which 町丁目 (and, where a 丁目 is split, which 番地) belong to each district.
TOWNS = listed("areas", "town", Town, "town")


# --- Officers' posts and the demo's accounts (posts.toml, accounts.toml) -----------------------


def _posts(rows: list[dict]) -> tuple[tuple[str, str], ...]:
    return tuple((OfficerRole(post["role"]), post.get("title", "")) for post in rows)


_post_table = read("posts")
GROUP_POSTS = {OrganizationKind(kind): _posts(rows) for kind, rows in _post_table["group"].items()}
COUNCIL_POSTS = {
    CouncilStage(stage): _posts(rows) for stage, rows in _post_table["council"].items()
}
# The one post of a group of a kind without posts above (its head), "other" for any kind.
HEAD_POSTS = {kind: _posts([post]) for kind, post in _post_table["head"].items()}

ROLE_GROUPS = {roles.COORDINATORS, roles.LIAISON, roles.GRANT_OFFICERS, roles.GRANT_APPROVERS}


class Account(NamedTuple):
    username: str
    last_name: str
    first_name: str
    role: str = ""  # group name; empty for the administrator
    is_staff: bool = False
    is_superuser: bool = False
    label: str = ""
    district: str = ""  # the council a coordinator works for
    phone: str = ""  # a liaison officer's public number
    email: str = ""  # the local part of their city address, where it is not the username


class Assignment(NamedTuple):
    """A liaison officer looks after a district from `start` to `end` (None: still)."""

    username: str
    district: str
    start: dt.date
    end: dt.date | None


def _account(row: dict) -> Account:
    account = typed(Account, row)
    if account.role and account.role not in ROLE_GROUPS:
        raise ValueError(f"{account.role!r} is not a role group")
    return account


DEMO_ACCOUNTS = listed("accounts", "account", _account, "username")
# City staff who are liaison officers but have no demo login.
LIAISON_STAFF = listed("accounts", "liaison_staff", _account, "username")
# The coordinators of the grant's other councils, whose accounts cannot sign in.
COUNCIL_COORDINATORS = listed("accounts", "council_coordinator", _account, "username")
# The council each coordinator works for, by username.
COORDINATED_DISTRICTS = {
    account.username: account.district
    for account in DEMO_ACCOUNTS + COUNCIL_COORDINATORS
    if account.district
}
LIAISON_ASSIGNMENTS = listed("accounts", "liaison_assignment", Assignment, "username")
# English names by slug or Japanese name (english.toml); where the districts lie (map.toml).
ENGLISH_NAMES: dict[str, dict[str, str]] = read("english")
_map = read("map")
MAP_CENTRE = (_map["centre"]["longitude"], _map["centre"]["latitude"])
MAP_SITES = {slug: (site["east"], site["north"]) for slug, site in _map["sites"].items()}
MAP_OUTLINE = tuple((point["east"], point["north"]) for point in _map["outline"])

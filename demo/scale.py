"""The large city that grow_data adds, read from demo/data/scale.toml (its comments say what
each table holds); states are checked against the workflow's."""

from demo.load import read
from plans.models import InitiativeStatus, PlanStage
from subsidies.models import VersionStatus
from subsidies.states import State

_scale = read("scale")
PLACES: dict[str, dict[str, str]] = _scale["places"]  # firsts, endings, sides, neighbourhoods
MIX: dict = _scale["city"]  # stages, kinds, meetings, plans, schools, associations
DISTRICT: dict = _scale["district"]
TEXTS: dict = _scale["grant"]["texts"]
SIZE: dict = _scale["size"]  # large: the rows of a large city; named: the scales by name
PLAN_TEXTS: dict = _scale["plans"]  # titles, vision_close, issue_sources
# How the initiatives of a plan stand by its stage: (status, weight).
ENTRY_STATUSES = {
    PlanStage(stage): tuple((InitiativeStatus(status), weight) for status, weight in mix.items())
    for stage, mix in _scale["plans"]["statuses"].items()
}
# Whether a decided application went through a change: (outcome, weight), "" for none; the
# statuses of versions 1 and 2 by how it went.
CHANGES = tuple(_scale["grant"]["changes"]["decided"].items())
VERSION_STATUSES = {
    change: tuple(map(VersionStatus, statuses))
    for change, statuses in _scale["grant"]["changes"]["version_statuses"].items()
}
# The steps of an application's history by name: action, pause and the texts of the comment.
STEPS: dict[str, dict] = _scale["grant"]["steps"]


def _states(weights: dict[str, int]) -> tuple[tuple[State, int], ...]:
    return tuple((State(state), weight) for state, weight in weights.items())


# How the open applications stand by the year's age, and how the closed ones closed.
OLD_STATES, LAST_YEAR_STATES, THIS_YEAR_STATES = (
    _states(_scale["grant"][age]) for age in ("old_years", "last_year", "this_year")
)
CLOSED_PATHS = tuple(
    ((State(row["state"]), row["after"]), row["weight"]) for row in _scale["grant"]["closed"]
)

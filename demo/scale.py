"""The large city that grow_data adds, read from demo/data/scale.toml (its comments say what
each table holds); states are checked against the workflow's."""

from demo.load import read
from subsidies.states import State

_scale = read("scale")
PLACES: dict[str, dict[str, str]] = _scale["places"]  # firsts, endings, sides, neighbourhoods
MIX: dict = _scale["city"]  # stages, kinds, meetings, plans, schools
DISTRICT: dict = _scale["district"]
MEETINGS: dict = _scale["meetings"]
TEXTS: dict = _scale["grant"]["texts"]


def _states(weights: dict[str, int]) -> tuple[tuple[State, int], ...]:
    return tuple((State(state), weight) for state, weight in weights.items())


# How the open applications stand by the year's age, and how the closed ones closed.
OLD_STATES, LAST_YEAR_STATES, THIS_YEAR_STATES = (
    _states(_scale["grant"][age]) for age in ("old_years", "last_year", "this_year")
)
CLOSED_PATHS = tuple(
    ((State(row["state"]), row["after"]), row["weight"]) for row in _scale["grant"]["closed"]
)

"""Read the demo city's data files (demo/data/*.toml), each once per process, into named tuples."""

import enum
import random
import tomllib
import types
import typing
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def read(name: str) -> dict:
    """The parsed contents of demo/data/<name>.toml."""
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def built(where: str, build, row: dict):
    """One row of a data file built into its tuple; a bad row stops the load and says where.

    `build` is a named tuple's class (the row is read by `typed`) or a function of the row.
    """
    try:
        return typed(build, dict(row)) if isinstance(build, type) else build(dict(row))
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"{where}: {error!r}") from error


def typed(kind: type, row: dict):
    """A row as the named tuple `kind`, each value read as its field's annotation says.

    A list becomes a tuple, a table the named tuple its field is annotated with, and a value of
    a model's choices (DistrictKind, PlanStage, …) is checked against them. A field the row
    leaves out takes its default, or is empty: () for a tuple, None where None is allowed. A
    name the tuple does not have stops the load.
    """
    hints = typing.get_type_hints(kind)
    unknown = sorted(set(row) - set(kind._fields))
    if unknown:
        raise TypeError(f"{kind.__name__} has no field {', '.join(unknown)}")
    values = {name: _as(hints[name], value) for name, value in row.items()}
    for name in set(kind._fields) - set(row) - set(kind._field_defaults):
        if typing.get_origin(hints[name]) is tuple:
            values[name] = ()
        elif type(None) in typing.get_args(hints[name]):
            values[name] = None
    return kind(**values)  # a field still missing stops the load with its name


def _as(hint, value):
    """One value of a row as the annotation `hint` says."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if value is None:
        return None
    if origin in (types.UnionType, typing.Union):  # X | None
        return _as(next(arg for arg in args if arg is not type(None)), value)
    if origin is tuple and args[-1] is Ellipsis:
        return tuple(_as(args[0], item) for item in value)
    if isinstance(hint, type) and issubclass(hint, tuple) and isinstance(value, dict):
        return typed(hint, value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    return value


def listed(name: str, table: str, kind, label: str) -> tuple:
    """The rows of the array `table` in demo/data/<name>.toml, each named by its `label` field."""
    return tuple(
        built(f"demo/data/{name}.toml [[{table}]] {row.get(label)}", kind, row)
        for row in read(name)[table]
    )


def keyed(name: str, kind) -> dict:
    """The tables of demo/data/<name>.toml by their keys."""
    return {
        key: built(f"demo/data/{name}.toml [{key}]", kind, row) for key, row in read(name).items()
    }


def demo_random(name: str) -> random.Random:
    """A generator with a fixed seed, so every run of seed_demo builds the same data."""
    return random.Random(f"kyodo-demo-{name}")  # noqa: S311 - repeatable, not secret

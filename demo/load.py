"""Read the demo city's data files (demo/data/*.toml), each once per process."""

import random
import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def read(name: str) -> dict:
    """The parsed contents of demo/data/<name>.toml."""
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def built(where: str, build, row: dict):
    """One row of a data file built into its tuple; a bad row stops the load and says where."""
    try:
        return build(dict(row))
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"{where}: {error!r}") from error


def demo_random(name: str) -> random.Random:
    """A generator with a fixed seed, so every run of seed_demo builds the same data."""
    return random.Random(f"kyodo-demo-{name}")  # noqa: S311 - repeatable, not secret

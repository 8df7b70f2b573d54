"""Grow the database to a large city's size, for trying the portal at scale.

    manage.py grow_data --scale large            # 400 districts, 200,000 meetings, …
    manage.py grow_data --scale small --seed 7   # 1/100 of that
    manage.py grow_data --scale 0.05

The rows come from `_scale`; see its docstring for how the volumes fit the models' rules.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ._scale import LARGE, SLUG_PREFIX, Targets, at, grow, parse_scale


class Command(BaseCommand):
    help = (
        f"Add a new set of districts (slugs {SLUG_PREFIX}0001 …) with their councils, groups, "
        "officers, plans, meetings and grant history, at a large city's scale or a fraction of "
        "it. Additive: the existing data stays as it is (program years the program already has "
        "keep their rules). Runs once: a second run refuses and changes nothing. The same --seed "
        "and --as-of build the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="small",
            help=(
                "large (districts {districts:,}, groups {organizations:,}, officers "
                "{officers:,}, meetings {meetings:,}, plans {plans:,}, applications "
                "{applications:,}, budget lines {budget_lines:,}), small (1/100 of large) or "
                "a factor such as 0.05. Default: small."
            )
            .format(**LARGE)
            .replace("%", "%%"),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of the random choices (default 1)."
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            metavar="DATE",
            help="The day the history runs up to, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, **options):
        try:
            factor = parse_scale(options["scale"])
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        today = timezone.localdate()
        as_of = options["as_of"] or today
        if as_of > today:
            raise CommandError("--as-of cannot be in the future.")
        now = min(at(as_of, 17), timezone.now())
        targets = Targets.scaled(factor)
        started = time.monotonic()
        verbose = options["verbosity"] > 0

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {message}")

        writer = grow(targets, seed=options["seed"], as_of=as_of, now=now, progress=progress)
        if not verbose:
            return
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Grew the database at scale {factor:g} in {seconds:.1f} s.")
        )
        self.stdout.write("  Rows added per model:")
        for model, count in writer.counts.items():
            if count:
                self.stdout.write(f"    {model._meta.label:<44} {count:>9,}")
        self.stdout.write(f"    {'total':<44} {writer.counts.total():>9,}")

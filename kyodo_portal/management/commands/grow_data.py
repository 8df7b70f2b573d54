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

from demo.scale import SIZE

from ._scale import LARGE, SLUG_PREFIX, ScaleError, Targets, at, grow, parse_scale


class Command(BaseCommand):
    help = (
        "Add a new set of districts (slugs "
        f"{SLUG_PREFIX}0001 …) with their councils, groups, officers, plans, meetings and "
        "grant history, at a large city's scale or a fraction of it. Each council that "
        "receives the grant has one open application per program year from its first year "
        "(平成元年度 at the earliest); the rest of the applications target are applications "
        "withdrawn or rejected earlier in the same year. Additive: the existing "
        "data stays as it is (program years the program already has keep their rules; their "
        "budget grows by the new districts' allocations). Runs once: a second run refuses "
        "with a message and changes nothing. The same --seed and --as-of build the same rows."
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
        now = min(at(as_of, 17), timezone.now()) if as_of == today else at(as_of, 17)
        targets = Targets.scaled(factor)
        started = time.monotonic()
        verbose = options["verbosity"] > 0

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {message}")

        try:
            writer = grow(targets, seed=options["seed"], as_of=as_of, now=now, progress=progress)
        except ScaleError as problem:
            raise CommandError(str(problem)) from problem
        if not verbose:
            return
        seconds = time.monotonic() - started
        written = {model._meta.label: count for model, count in writer.counts.items()}
        self.stdout.write(
            self.style.SUCCESS(f"Grew the database at scale {factor:g} in {seconds:.1f} s.")
        )
        self.stdout.write(f"  {'target':<14} {'wanted':>9} {'written':>9}")
        for name, label in SIZE["models"].items():
            self.stdout.write(
                f"  {name:<14} {getattr(targets, name):>9,} {written.get(label, 0):>9,}"
            )
        self.stdout.write("  Rows added per model:")
        for label, count in written.items():
            if count:
                self.stdout.write(f"    {label:<44} {count:>9,}")
        self.stdout.write(f"    {'total':<44} {sum(written.values()):>9,}")

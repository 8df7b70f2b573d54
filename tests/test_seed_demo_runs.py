"""Runs of `manage.py seed_demo` on an empty database: quiet, in a later year, and with the
services' notices kept off the console. The seeded city itself is tested in test_seed_demo.py."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.dates import fiscal_year
from districts.models import Council, CouncilStage
from plans.models import Meeting, Plan, PlanStage
from tests.test_seed_demo import counts, meeting_day, seed


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The grant attachments are real files: keep them out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_quiet_with_verbosity_zero(db):
    out = io.StringIO()
    call_command("seed_demo", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_plans_follow_the_calendar(db, monkeypatch):
    """Run in a later year, the demo still has plans in force and meetings ahead."""
    later = dt.date(2031, 2, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    seed()
    first = counts()
    seed()
    assert counts() == first
    fy = fiscal_year(later)
    for council in Council.objects.filter(stage__in=[CouncilStage.ESTABLISHED, CouncilStage.MODEL]):
        plan = Plan.objects.get(district=council.district_id, stage=PlanStage.ADOPTED)
        assert plan.covers(fy)
        assert plan.reviews.filter(fiscal_year=fy - 1).exists()
    days = [meeting_day(meeting) for meeting in Meeting.objects.all()]
    assert max(days) > later and fiscal_year(max(days)) == fy + 1
    assert min(days) >= dt.date(fy - 2, 4, 1)
    for row in Plan.objects.all():
        row.full_clean()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_grant_notices_stay_off_the_console(settings, capsys):
    """The services e-mail after each commit; the seed keeps those notices in memory."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    mail.outbox = []
    output = seed()
    printed = capsys.readouterr().out
    assert "Subject:" not in printed and "Subject:" not in output
    assert len(mail.outbox) >= 20  # the notices were written, to the in-memory box

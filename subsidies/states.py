"""The states of a grant application and the groups of them the workflow implies.

The workflow (workflow.py) moves an application between these states; its table and the groups
below are read by the models' querysets, the services and the pages alike. Kept apart from
workflow.py only so that the models can read them without importing the workflow (which reads
the grant policy, which reads the models).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """The application's states (DESIGN.md section 5); workflow.TRANSITIONS moves between them."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RECOMMENDED = "recommended", _("Recommended")
    APPROVED = "approved", _("Approved")
    CHANGE_REQUESTED = "change_requested", _("Change requested")
    PAID = "paid", _("Paid")
    REPORTED = "reported", _("Reported")
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    SETTLED = "settled", _("Settled")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


# An application in any other state holds the council's place for the year.
CLOSED_STATES = (State.REJECTED, State.WITHDRAWN)
# States in which the city has decided a grant: the public sees these applications' figures.
DECIDED_STATES = (
    State.APPROVED,
    State.CHANGE_REQUESTED,
    State.PAID,
    State.REPORTED,
    State.REPORT_RETURNED,
    State.REPORT_ACCEPTED,
    State.SETTLED,
    State.CANCELLED,
)
# A grant in force: decided and not cancelled. The year's budget must cover these grants and
# the public totals add them up; a cancelled grant is still shown, but no longer counted.
IN_FORCE_STATES = tuple(state for state in DECIDED_STATES if state != State.CANCELLED)
# A decided grant whose money is concluded: the amount confirmed (settled), or the grant cancelled
# with the amount to return. The refund (返還) is known, and public, from then on.
CONCLUDED_STATES = (State.SETTLED, State.CANCELLED)
# The coordinator edits the application only in these states.
EDITABLE_STATES = (State.DRAFT, State.RETURNED)
# The coordinator edits the report only in these states.
REPORT_EDITABLE_STATES = (State.PAID, State.REPORT_RETURNED)

"""E-mail to whoever must act next after a move in the workflow (queued after commit)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from core import mail
from core.names import person_name
from core.tasks import send_email

from . import policy, workflow
from .models import ApplicationEvent, State

# Final states nobody acts on: the council hears the outcome, the officers hear of a withdrawal.
OUTCOME_RECIPIENTS = {
    State.REJECTED: (policy.COORDINATOR,),
    State.SETTLED: (policy.COORDINATOR,),
    State.CANCELLED: (policy.COORDINATOR, policy.OFFICER),
    State.WITHDRAWN: (policy.OFFICER,),
}


def recipient_roles(event: ApplicationEvent) -> tuple[str, ...]:
    """Who hears of this move: the roles that act next, or those the outcome concerns."""
    state = State(event.to_state)
    if state == State.WITHDRAWN and event.from_state == State.DRAFT:
        return ()  # the city never received a draft, so its withdrawal is no news to anyone
    if state in OUTCOME_RECIPIENTS:
        return OUTCOME_RECIPIENTS[state]
    waiting = workflow.waiting_for(state)
    if state in (State.APPROVED, State.PAID):
        # The council works next, the officers pay: both hear of a decision or a payment.
        return tuple(dict.fromkeys([policy.COORDINATOR, *waiting]))
    return tuple(waiting)


@task()
def notify(event_id: int) -> int:
    """Queue the notice of one history entry, a message per recipient in their language;
    returns how many. Grant staff who take the weekly digest hear of it there instead."""
    event = ApplicationEvent.objects.select_related(
        "application__council", "application__program_year__program", "actor"
    ).get(pk=event_id)
    application = event.application
    # One message per address, so no one sees the others' addresses. The actor already knows.
    # That also keeps a recommendation (four eyes) from asking its recommender to decide it;
    # later moves, such as a change request, reach every approver.
    recipients: dict[str, tuple] = {}
    for role in recipient_roles(event):
        holders = policy.holders(role, application).exclude(email="").exclude(pk=event.actor_id)
        for user in holders.order_by("email", "pk"):
            recipients.setdefault(user.email, (user, role))
    preferences = mail.settings_of(user for user, _ in recipients.values())
    queued = 0
    for address, (user, role) in recipients.items():
        chosen = preferences[user.pk]
        if chosen.weekly_digest and not policy.ROLES[role].of_council:
            continue
        with mail.in_language_of(chosen):
            subject, body = message(event, role)
        send_email.enqueue(subject=subject, body=body, to=address)
        queued += 1
    return queued


def message(event: ApplicationEvent, role: str) -> tuple[str, str]:
    """The notice's subject and body for a holder of `role`, in the active language."""
    application = event.application
    state = State(event.to_state).label
    subject = _("[Kyodo Portal] %(council)s: %(state)s") % {
        "council": application.council.name,
        "state": state,
    }
    lines = [
        _("The grant application of %(council)s for %(year)s is now “%(state)s”.")
        % {
            "council": application.council.name,
            "year": application.program_year,
            "state": state,
        },
        _("By: %(name)s") % {"name": person_name(event.actor)},
    ]
    if event.comment:
        lines += ["", event.comment]
    if event.reasons:
        lines += ["", *(f"・{text}" for text in event.reasons.values())]
    page = reverse(policy.ROLES[role].page, args=[application.pk])
    return subject, "\n".join([*lines, "", settings.SITE_URL.rstrip("/") + page])

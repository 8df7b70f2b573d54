"""E-mail to whoever must act next after a move in the workflow (queued after commit)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

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
    """Queue the notice of one history entry, a message per recipient; returns how many."""
    event = ApplicationEvent.objects.select_related(
        "application__council", "application__program_year__program", "actor"
    ).get(pk=event_id)
    application = event.application
    messages = []
    sent_to: set[str] = set()
    with translation.override(settings.LANGUAGE_CODE):
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
        for role in recipient_roles(event):
            page = reverse(policy.ROLES[role].page, args=[application.pk])
            link = settings.SITE_URL.rstrip("/") + page
            body = "\n".join([*lines, "", link])
            # One message per recipient, so no one sees the others' addresses. The actor already
            # knows. That also keeps a recommendation (four eyes) from asking its recommender to
            # decide it; later moves, such as a change request, reach every approver.
            for address in policy.addresses(role, application, besides=event.actor_id):
                if address not in sent_to:
                    sent_to.add(address)
                    messages.append({"subject": subject, "body": body, "to": address})
    for message in messages:
        send_email.enqueue(**message)
    return len(messages)

"""The one path by which a page takes a workflow action (subsidies.actions)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from core.forms import add_service_errors

from .. import workflow
from ..actions import ACTIONS, taken_by_councils
from ..forms import ActionForm
from ..models import Application


@dataclass
class Attempt:
    """What became of the request: a response when it is over, else the form to show again."""

    response: HttpResponse | None = None
    transition: workflow.Transition | None = None
    form: ActionForm | None = None
    facts: dict | None = None


def act(
    request,
    application: Application,
    action: str,
    *,
    councils: bool,
    data,
    back: HttpResponse,
    facts: Callable[[Application, str], dict] | None = None,
) -> Attempt:
    """Take `action` on the application with the form bound to `data` (None: only show it).

    An action of the other audience's pages is a 404; one the workflow does not allow this user
    now, or that the service refuses outright, goes `back` with the reason; once taken, `back`
    with the action's message. A refusal of the form's data stays beside its fields.
    """
    entry = ACTIONS.get(action)
    if entry is None or taken_by_councils(action) != councils:
        raise Http404
    try:
        transition = workflow.transition_for(action, application, request.user)
    except workflow.ActionNotAllowed as refused:
        messages.error(request, str(refused))
        return Attempt(response=back)
    known = facts(application, action) if facts else {}
    form = entry.form(data, application=application, transition=transition, facts=known)
    if form.is_bound and form.is_valid():
        try:
            entry.service(application=application, by=request.user, **form.arguments())
        except workflow.ActionNotAllowed as refused:
            messages.error(request, str(refused))
            return Attempt(response=back)
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, str(entry.done_message))
            return Attempt(response=back)
    return Attempt(transition=transition, form=form, facts=known)

"""The grant's forms: the coordinator's steps and the workflow actions' forms."""

from django import forms


class ActionForm(forms.Form):
    """A workflow action's form: what the action's service needs besides the application and user.

    subsidies.actions names the service each form feeds; `arguments()` turns the cleaned data
    into that service's keyword arguments.
    """

    def __init__(self, *args, application, transition, facts=None, **kwargs):
        self.application = application
        self.transition = transition
        self.facts = facts or {}
        super().__init__(*args, **kwargs)

    def arguments(self) -> dict:
        return dict(self.cleaned_data)

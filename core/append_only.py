"""Rows that are only ever added: a history stays as it was written."""

from django.core.exceptions import ValidationError
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused as a single row's are."""

    def update(self, **kwargs):
        raise ValidationError(self.model.changed_refusal)

    def delete(self):
        raise ValidationError(self.model.deleted_refusal)


class AppendOnlyModel(models.Model):
    """A row saved once, then never changed or deleted.

    Each model says in changed_refusal and deleted_refusal why, in its own words. The row still
    goes with the parent it cascades from: the deletion collector does not pass through here.
    """

    changed_refusal = ""
    deleted_refusal = ""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(self.changed_refusal)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(self.deleted_refusal)

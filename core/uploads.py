"""Uploaded files: the type is read from the content, never from the name.

A stored upload is named at random, with the extension of the type its content shows, and is
never served from MEDIA_URL: public pages send it through views that check the record is public,
the staff admin through a view that checks the user's district scope (``admin:stored_file``,
which is what ``.url`` of an UploadField gives). Every file goes out through file_response, with
the type from its content, ``nosniff`` and a policy that lets nothing in it run.
"""

import os
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The first bytes of each type accepted somewhere on the portal.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
TYPE_LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG"}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
# Shown in the browser; everything else (PDF included) is downloaded, never rendered on the
# portal's origin.
INLINE_KINDS = frozenset({"png", "jpeg"})
# Whatever a file holds, nothing in it may run, load or be framed.
FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


def sniff(file) -> str | None:
    """The accepted type the file's first bytes show, or None."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def wrong_type_error(kinds: tuple[str, ...]) -> ValidationError:
    return ValidationError(
        _("This file is not a %(types)s file. Choose a %(types)s file."),
        code="file_type",
        params={"types": "・".join(TYPE_LABELS[kind] for kind in kinds)},
    )


@deconstructible
class FileTypeValidator:
    """Refuse files larger than `max_bytes` or whose content is not one of `kinds`."""

    def __init__(self, *, kinds: tuple[str, ...], max_bytes: int):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file) -> None:
        if getattr(file, "_committed", False):
            # Already stored, so checked when it was uploaded: saving the record again must
            # not read the file back from storage.
            return
        if file.size > self.max_bytes:
            raise ValidationError(
                _("The file is %(size)s. Choose a file of %(limit)s or less."),
                code="file_too_large",
                params={
                    "size": filesizeformat(file.size),
                    "limit": filesizeformat(self.max_bytes),
                },
            )
        if sniff(file) not in self.kinds:
            raise wrong_type_error(self.kinds)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, FileTypeValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )


validate_pdf_document = FileTypeValidator(kinds=("pdf",), max_bytes=10 * 1024 * 1024)


@deconstructible
class RandomName:
    """upload_to that stores a file under a random name in `folder`.

    Stored names reveal nothing and cannot be guessed. The extension is the one UploadField
    gives the name from the file's content (.pdf, .png, .jpg); any other is dropped, so the
    name the client sent never reaches the storage.
    """

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()
        if extension not in EXTENSIONS.values():
            extension = ""
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and self.folder == other.folder


class StoredUpload(FieldFile):
    """A stored upload: named by the type of its content, reached through the staff view."""

    def save(self, name, content, save=True):
        # Validation has refused other content before a form saves; this also holds for code
        # that saves a record without validating it. The client's name is dropped here.
        kind = sniff(content)
        if kind not in self.field.accepted_kinds:
            raise wrong_type_error(self.field.accepted_kinds)
        super().save(f"upload{EXTENSIONS[kind]}", content, save)

    save.alters_data = True

    @property
    def url(self) -> str:
        """The staff admin's download of this file, which checks the user's district scope.

        Never MEDIA_URL: nothing serves the media folder. Public pages link to their own
        views (council_bylaws, plan_document, meeting_attachment, grants:attachment).
        """
        self._require_file()
        if self.instance.pk is None:
            return ""
        opts = self.instance._meta
        return reverse(
            "admin:stored_file",
            args=[opts.app_label, opts.model_name, self.instance.pk, self.field.name],
        )


class UploadField(models.FileField):
    """A FileField whose files are named by their content's type and served only by views.

    The accepted types are those of its FileTypeValidator; a file of any other type is never
    stored.
    """

    attr_class = StoredUpload

    @property
    def accepted_kinds(self) -> tuple[str, ...]:
        for validator in self.validators:
            if isinstance(validator, FileTypeValidator):
                return validator.kinds
        return tuple(SIGNATURES)


def file_response(field_file, *, download_name: str, public: bool = False):
    """Send a stored upload with the type its content shows, or 404 when it is gone.

    The name shown to the browser is the record's title, not the stored random name. Images
    are shown in the browser, anything else is downloaded. `public` is for public records
    only; any other download is marked for no cache to keep.
    """
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    kind = sniff(handle)
    extension = EXTENSIONS.get(kind, "")
    name = download_name if download_name.lower().endswith(extension) else download_name + extension
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
        as_attachment=kind not in INLINE_KINDS,
        filename=name,
    )
    # Also set by SecurityMiddleware and the CSP middleware (which leaves a policy already
    # set alone): the file carries them whatever serves it.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    if not public:
        patch_cache_control(response, private=True, no_store=True)
    return response

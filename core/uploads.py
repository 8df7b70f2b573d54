"""Checks on uploaded files: the type is read from the content, never from the name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The first bytes of each type accepted somewhere on the portal.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
TYPE_LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG"}


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
            raise ValidationError(
                _("This file is not a %(types)s file. Choose a %(types)s file."),
                code="file_type",
                params={"types": "・".join(TYPE_LABELS[kind] for kind in self.kinds)},
            )

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, FileTypeValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )


validate_pdf_document = FileTypeValidator(kinds=("pdf",), max_bytes=10 * 1024 * 1024)


@deconstructible
class RandomName:
    """upload_to that stores a file under a random name in `folder`, keeping the extension.

    Stored names reveal nothing and cannot be guessed, so a file is reached only through the
    view that checks whether its record is public.
    """

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        import os
        import uuid

        extension = os.path.splitext(filename)[1].lower()[:10]
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and self.folder == other.folder


CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def file_response(field_file, *, download_name: str):
    """Send a stored upload with the type its content shows, or 404 when it is gone.

    The name shown to the browser is the record's title, not the stored random name.
    """
    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    kind = sniff(handle)
    extension = {"jpeg": ".jpg"}.get(kind, f".{kind}") if kind else ""
    name = download_name if download_name.lower().endswith(extension) else download_name + extension
    return FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
        as_attachment=kind is None,
        filename=name,
    )

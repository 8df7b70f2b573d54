"""The application's official documents, printable on A4, and its attached files.

For the council's coordinators and the staff who may review the application. Signed-out
visitors are sent to sign in (the links come in notices); any other signed-in user gets 404, so an
address reveals nothing about whether the application exists.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.uploads import file_response

from ..selectors import documents as selectors

TEMPLATES = {
    "application": "subsidies/print/application.html",
    "decision": "subsidies/print/decision.html",
    "report": "subsidies/print/report.html",
    "settlement": "subsidies/print/settlement.html",
}


@require_safe
def print_view(request, pk: int, document: str):
    """One document as the city files it: 交付申請書, 交付決定通知書, 実績報告書, 額の確定通知書."""
    access = selectors.application_for_documents(request.user, pk)
    content = selectors.document(access, document, version=request.GET.get("version"))
    return render(
        request,
        TEMPLATES[document],
        {
            "access": access,
            "application": access.application,
            "document": content,
            "slug": document,
            "available": selectors.available_documents(
                access.application, for_council=access.for_council
            ),
        },
    )


@require_safe
def attachment(request, pk: int, attachment_pk: int):
    """A file filed with the application or its report, named by its title."""
    attachment = selectors.attachment_for_download(request.user, pk, attachment_pk)
    return file_response(attachment.file, download_name=attachment.title)

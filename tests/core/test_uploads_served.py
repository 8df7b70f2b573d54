"""Uploads: stored under the type their content shows, reached only through views that check
who may see them, and sent so that nothing in them runs on the portal's origin."""

import importlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from core import roles
from core.uploads import FILE_CONTENT_SECURITY_POLICY, RandomName
from plans.models import MeetingAttachment
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    StaffUserFactory,
    SuperUserFactory,
    UserFactory,
)
from tests.plans.factories import PDF, PNG, MeetingAttachmentFactory, MeetingFactory, PlanFactory

pytestmark = pytest.mark.django_db

# What the audit uploaded: a PDF's first bytes, then a page with a script.
POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def district():
    return DistrictFactory(name="桜台小学校区", slug="sakuradai")


@pytest.fixture
def meeting(district):
    return MeetingFactory(district=district, council=CouncilFactory(district=district))


@pytest.fixture
def liaison(district):
    return StaffUserFactory.liaison(district)


def stored_files(media_root) -> list:
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def upload_in_admin(client, meeting, name: str, content: bytes, content_type: str = "text/html"):
    return client.post(
        reverse("admin:plans_meetingattachment_add"),
        {
            "meeting": meeting.pk,
            "title": "議事録",
            "file": SimpleUploadedFile(name, content, content_type),
        },
    )


def file_url(record, field: str) -> str:
    opts = record._meta
    return reverse("admin:stored_file", args=[opts.app_label, opts.model_name, record.pk, field])


def assert_sent_safely(response, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    # The file's own policy, which the CSP middleware leaves as it is.
    assert response["Content-Security-Policy"] == FILE_CONTENT_SECURITY_POLICY
    disposition = response["Content-Disposition"]
    if content_type.startswith("image/"):
        assert disposition.startswith("inline;")
    else:
        assert disposition.startswith("attachment;")


def assert_not_kept(response) -> None:
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


# The stored name ---------------------------------------------------------------------------


def test_the_audit_case_is_stored_as_a_pdf_and_downloaded_as_one(
    client, liaison, meeting, media_root
):
    client.force_login(liaison)

    response = upload_in_admin(client, meeting, "minutes.html", POLYGLOT)

    assert response.status_code == 302
    attachment = MeetingAttachment.objects.get(meeting=meeting, title="議事録")
    assert attachment.file.name.startswith("meetings/attachments/")
    assert attachment.file.name.endswith(".pdf")
    assert "minutes" not in attachment.file.name
    assert [path.suffix for path in stored_files(media_root)] == [".pdf"]

    page = client.get(reverse("admin:plans_meetingattachment_change", args=[attachment.pk]))
    assert "/media/" not in page.text
    assert f'href="{file_url(attachment, "file")}"' in page.text

    download = client.get(file_url(attachment, "file"))
    assert_sent_safely(download, "application/pdf")
    assert_not_kept(download)
    assert b"".join(download.streaming_content) == POLYGLOT

    client.logout()
    public = client.get(f"/meetings/{meeting.pk}/attachments/{attachment.pk}/")
    assert_sent_safely(public, "application/pdf")


@pytest.mark.parametrize("name", ["photo.html", "logo.svg", "setup.exe", "noextension"])
def test_png_content_is_stored_as_png_whatever_its_name(client, liaison, meeting, media_root, name):
    client.force_login(liaison)

    response = upload_in_admin(client, meeting, name, PNG, "application/octet-stream")

    assert response.status_code == 302
    attachment = MeetingAttachment.objects.get(meeting=meeting, title="議事録")
    assert attachment.file.name.endswith(".png")
    assert [path.suffix for path in stored_files(media_root)] == [".png"]
    assert_sent_safely(client.get(file_url(attachment, "file")), "image/png")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("minutes.pdf", b"<html><script>alert(1)</script></html>"),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
)
def test_other_content_is_refused_beside_the_field_and_nothing_is_stored(
    client, liaison, meeting, media_root, name, content
):
    client.force_login(liaison)

    response = upload_in_admin(client, meeting, name, content)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    message = "このファイルはPDF・PNG・JPEGファイルではありません。"
    assert list(errors) == ["file"]
    assert message in str(errors["file"])
    assert message in response.text and 'id="id_file"' in response.text
    assert response.context["adminform"].form["title"].value() == "議事録"  # nothing lost
    assert not MeetingAttachment.objects.filter(meeting=meeting).exists()
    assert stored_files(media_root) == []


def test_a_record_saved_without_validation_still_never_stores_other_content(meeting, media_root):
    attachment = MeetingAttachment(
        meeting=meeting, title="資料", file=ContentFile(b"<html></html>", name="page.html")
    )

    with pytest.raises(ValidationError):
        attachment.save()

    assert stored_files(media_root) == []


def test_a_record_saved_in_code_takes_the_extension_from_the_content(meeting, media_root):
    attachment = MeetingAttachment.objects.create(
        meeting=meeting, title="資料", file=ContentFile(PDF, name="shiryo.html")
    )

    assert attachment.file.name.endswith(".pdf")


def test_random_name_drops_an_extension_that_is_not_an_accepted_type():
    name = RandomName("meetings/attachments")
    assert name(None, "x.html").count(".") == 0
    assert name(None, "x.PNG").endswith(".png")
    assert name(None, "x.jpg").endswith(".jpg")


# Staff are linked to views, never to the media folder ----------------------------------------


def admin_pages(meeting, attachment, plan, council):
    return [
        reverse("admin:plans_meeting_change", args=[meeting.pk]),  # the attachments inline
        reverse("admin:plans_meetingattachment_change", args=[attachment.pk]),
        reverse("admin:plans_meetingattachment_changelist"),
        reverse("admin:plans_plan_change", args=[plan.pk]),
        reverse("admin:districts_council_change", args=[council.pk]),
        reverse("admin:districts_district_change", args=[council.district.pk]),  # council inline
        reverse("admin:districts_council_changelist"),
    ]


@pytest.fixture
def records(meeting, media_root):
    attachment = MeetingAttachmentFactory(meeting=meeting)
    plan = PlanFactory(district=meeting.district, with_document=True)
    council = meeting.council
    council.bylaws.save("bylaws.pdf", ContentFile(PDF))
    return attachment, plan, council


@pytest.mark.parametrize("who", ["superuser", "liaison", "grant officer (read only)"])
def test_admin_pages_never_link_to_the_media_folder(client, liaison, meeting, records, who):
    attachment, plan, council = records
    user = {
        "superuser": lambda: SuperUserFactory(),
        "liaison": lambda: liaison,
        "grant officer (read only)": lambda: StaffUserFactory.grant_officer(),
    }[who]()
    client.force_login(user)
    for url in admin_pages(meeting, attachment, plan, council):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/media/" not in response.text, url
    for record, field in ((attachment, "file"), (plan, "document"), (council, "bylaws")):
        change_page = client.get(
            reverse(
                f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
            )
        )
        assert f'href="{file_url(record, field)}"' in change_page.text


def test_the_meeting_page_links_its_attachments_to_the_download_view(
    client, liaison, meeting, records
):
    attachment, _plan, _council = records
    client.force_login(liaison)
    page = client.get(reverse("admin:plans_meeting_change", args=[meeting.pk]))
    assert f'href="{file_url(attachment, "file")}"' in page.text


# The staff download view -----------------------------------------------------------------


@pytest.mark.parametrize("field", ["file", "document", "bylaws"])
def test_download_answers_only_staff_whose_scope_holds_the_record(
    client, liaison, meeting, records, field
):
    attachment, plan, council = records
    record = {"file": attachment, "document": plan, "bylaws": council}[field]
    url = file_url(record, field)
    other_district = DistrictFactory()
    allowed = {
        "liaison of the district": liaison,
        "grant officer": StaffUserFactory.grant_officer(),
        "superuser": SuperUserFactory(),
    }
    refused = {
        "liaison of another district": StaffUserFactory.liaison(other_district),
        "staff without a role": StaffUserFactory(),
    }
    for who, user in allowed.items():
        client.force_login(user)
        response = client.get(url)
        assert_sent_safely(response, "application/pdf")
        assert_not_kept(response)
        assert b"".join(response.streaming_content).startswith(b"%PDF-"), who
    for who, user in refused.items():
        client.force_login(user)
        assert client.get(url).status_code == 404, who
    # Not staff: sent to sign in as staff, which a coordinator or resident cannot pass.
    client.force_login(UserFactory(groups=[roles.COORDINATORS]))
    coordinator = client.get(url)
    assert coordinator.status_code == 302
    assert coordinator["Location"].startswith(reverse("admin:login"))
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "args",
    [
        ("plans", "meeting", "{meeting}", "title"),  # not a file
        ("plans", "meetingattachment", "{attachment}", "nothing"),  # no such field
        ("plans", "nothing", "{attachment}", "file"),  # no such table
        ("auth", "user", "{user}", "password"),
        ("plans", "meetingattachment", "999999", "file"),  # no such record
    ],
)
def test_download_answers_404_to_anything_but_a_shown_file(client, meeting, records, args):
    attachment, _plan, _council = records
    superuser = SuperUserFactory()
    client.force_login(superuser)
    values = {"meeting": meeting.pk, "attachment": attachment.pk, "user": superuser.pk}
    app_label, model_name, pk, field = args
    url = reverse(
        "admin:stored_file", args=[app_label, model_name, int(pk.format(**values)), field]
    )
    assert client.get(url).status_code == 404


# Public downloads ----------------------------------------------------------------------------


def test_public_downloads_are_sent_safely_and_stay_cacheable(client, meeting, records):
    attachment, plan, council = records
    for url in (
        f"/meetings/{meeting.pk}/attachments/{attachment.pk}/",
        f"/plans/{plan.pk}/document/",
        f"/districts/{council.district.slug}/bylaws/",
    ):
        response = client.get(url)
        assert_sent_safely(response, "application/pdf")
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_a_public_image_is_shown_inline(client, meeting, media_root):
    attachment = MeetingAttachmentFactory(meeting=meeting, image=True)
    response = client.get(f"/meetings/{meeting.pk}/attachments/{attachment.pk}/")
    assert_sent_safely(response, "image/png")


# Nothing serves the media folder -------------------------------------------------------------


def test_no_address_serves_the_media_folder_even_with_debug():
    import kyodo_portal.urls

    try:
        with override_settings(DEBUG=True):
            importlib.reload(kyodo_portal.urls)
            patterns = [str(pattern.pattern) for pattern in kyodo_portal.urls.urlpatterns]
        assert not any("media" in pattern for pattern in patterns), patterns
    finally:
        importlib.reload(kyodo_portal.urls)
        clear_url_caches()


# Files stored before names came from the content ---------------------------------------------


def test_files_stored_under_the_clients_extension_can_be_renamed(meeting, media_root):
    from django.core.management import call_command

    folder = media_root / "meetings" / "attachments"
    folder.mkdir(parents=True)
    (folder / "old.html").write_bytes(POLYGLOT)
    (folder / "page.pdf").write_bytes(b"<html></html>")
    legacy = MeetingAttachmentFactory(meeting=meeting)
    refused = MeetingAttachmentFactory(meeting=meeting)
    current = MeetingAttachmentFactory(meeting=meeting)
    MeetingAttachment.objects.filter(pk=legacy.pk).update(file="meetings/attachments/old.html")
    MeetingAttachment.objects.filter(pk=refused.pk).update(file="meetings/attachments/page.pdf")
    out = io.StringIO()

    call_command("name_uploads_by_type", "--dry-run", stdout=out)

    legacy.refresh_from_db()
    assert legacy.file.name == "meetings/attachments/old.html"
    assert "Would rename 1 files." in out.getvalue()

    call_command("name_uploads_by_type", stdout=out)

    legacy.refresh_from_db()
    assert legacy.file.name.startswith("meetings/attachments/")
    assert legacy.file.name.endswith(".pdf")
    assert (media_root / legacy.file.name).read_bytes() == POLYGLOT
    assert not (folder / "old.html").exists()
    refused.refresh_from_db()
    assert refused.file.name == "meetings/attachments/page.pdf"  # listed, left as it is
    assert "page.pdf: not an accepted type" in out.getvalue()
    name = current.file.name
    current.refresh_from_db()
    assert current.file.name == name

"""Japanese first; English through the switch, remembered in the language cookie."""

import gettext
import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_are_japanese_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = response.content.decode()
    assert '<html lang="ja">' in text
    assert "協働のまちづくりポータル" in text
    assert response["Content-Language"] == "ja"


def test_the_switch_sets_english_and_returns_to_the_same_page(client):
    response = client.get("/i18n/en/", {"next": "/districts/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/districts/?page=2"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    text = client.get("/districts/").content.decode()
    assert '<html lang="en">' in text
    assert "Community Collaboration Portal" in text


def test_the_switch_is_a_link_per_language_marking_the_current_one(client):
    text = client.get("/districts/?page=2").content.decode()
    switch = text.split('<ul class="language-switch"', 1)[1].split("</ul>", 1)[0]
    header = text.split("</header>", 1)[0]
    # Nothing to post, no CSRF token: the header's one form is the site search, a GET form.
    assert header.count("<form") == 1
    assert '<form action="/search/" method="get"' in header
    assert "csrfmiddlewaretoken" not in header
    assert 'href="/i18n/ja/?next=/districts/%3Fpage%3D2" lang="ja" hreflang="ja"' in switch
    assert 'aria-current="true">日本語</a>' in switch
    assert (
        'href="/i18n/en/?next=/districts/%3Fpage%3D2" lang="en" hreflang="en">English</a>' in switch
    )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/districts/").content.decode()
    switch = text.split('<ul class="language-switch"', 1)[1].split("</ul>", 1)[0]
    assert 'hreflang="en" aria-current="true">English</a>' in switch
    assert 'hreflang="ja">日本語</a>' in switch


def test_the_switch_sets_the_cookie_as_djangos_set_language_does(client, settings):
    settings.LANGUAGE_COOKIE_AGE = 3600
    settings.LANGUAGE_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_HTTPONLY = True
    ours = client.get("/i18n/en/", {"next": "/"}).cookies[settings.LANGUAGE_COOKIE_NAME]
    djangos = client.post("/i18n/setlang/", {"language": "en", "next": "/"}).cookies[
        settings.LANGUAGE_COOKIE_NAME
    ]
    assert ours.value == "en"
    for attribute in ("max-age", "path", "domain", "secure", "httponly", "samesite"):
        assert ours[attribute] == djangos[attribute], attribute
    assert ours["max-age"] == 3600
    assert ours["samesite"] == "Lax"


def test_the_switch_back_to_japanese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/i18n/ja/", {"next": "/meetings/"})
    assert response["Location"] == "/meetings/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    assert '<html lang="ja">' in client.get("/meetings/").content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_the_switch_refuses_other_sites_as_next(client, next_url):
    response = client.get("/i18n/en/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_switch_refuses_a_language_the_site_does_not_offer(client):
    response = client.get("/i18n/fr/", {"next": "/"})
    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switch_only_answers_get(client):
    assert client.post("/i18n/en/", {"next": "/"}).status_code == 405


def test_djangos_set_language_still_works(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/districts/"})
    assert response["Location"] == "/districts/"


def test_unknown_language_cookie_falls_back_to_japanese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="ja">' in client.get("/").content.decode()


def test_every_message_is_translated_to_japanese():
    """The catalogue has no empty or fuzzy entries (English would leak into Japanese pages)."""
    po = (settings.BASE_DIR / "locale/ja/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    untranslated = [
        entry
        for entry in entries
        if "#, fuzzy" in entry
        or 'msgstr ""\n\n' in entry + "\n"
        or entry.rstrip().endswith('msgstr ""')
        or entry.rstrip().endswith('msgstr[0] ""')
    ]
    assert untranslated == []


def _po_entries(text: str) -> dict:
    """msgid (or (msgid, 0) for plurals; "context\x04msgid" with a context) -> msgstr."""

    def joined(block: str, keyword: str) -> str | None:
        match = re.search(rf'^{re.escape(keyword)} ((?:".*"\n?)+)', block, re.M)
        if match is None:
            return None
        raw = "".join(re.findall(r'"(.*)"', match.group(1)))
        return raw.encode().decode("unicode_escape").encode("latin-1").decode()

    entries = {}
    for block in text.split("\n\n")[1:]:
        msgid = joined(block, "msgid")
        if not msgid:
            continue
        context = joined(block, "msgctxt")
        if context is not None:
            msgid = f"{context}\x04{msgid}"  # how gettext keys an entry with a context
        if "msgid_plural" in block:
            entries[(msgid, 0)] = joined(block, "msgstr[0]")
        else:
            entries[msgid] = joined(block, "msgstr")
    return entries


def test_compiled_catalogue_matches_the_source():
    """The committed .mo says what the .po says (compilemessages was run after editing)."""
    locale = settings.BASE_DIR / "locale/ja/LC_MESSAGES"
    expected = _po_entries((locale / "django.po").read_text(encoding="utf-8"))
    with (locale / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    stale = {key: value for key, value in expected.items() if compiled.get(key) != value}
    assert stale == {}

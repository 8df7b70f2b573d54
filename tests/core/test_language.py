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
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/districts/"})
    assert response.status_code == 302
    assert response["Location"] == "/districts/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    text = client.get("/districts/").content.decode()
    assert '<html lang="en">' in text
    assert "Community Collaboration Portal" in text
    assert 'value="ja"' in text  # the switch now offers Japanese


def test_the_switch_refuses_other_sites_as_next(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


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
    """msgid (or (msgid, 0) for plurals) -> msgstr, from a .po file's text."""

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

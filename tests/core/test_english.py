"""Japanese records on English pages (core.english) and the template filters that use it."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.english import (
    KanaRow,
    LocalName,
    has_japanese,
    ja_attribute,
    ja_html,
    kana_rows,
    local_name,
    reading_range,
    safe_message,
)
from core.text import gojuon_row

NAMED = LocalName(
    "桜台小学校区", "Sakuradai Elementary School District", "さくらだいしょうがっこうく"
)
UNNAMED = LocalName("本町地区まちづくり協議会", "", "ほんまちちくまちづくりきょうぎかい")
NO_READING = LocalName("本町地区まちづくり協議会", "", "")


def render(source: str, **context) -> str:
    return Template("{% load kyodo %}" + source).render(Context(context))


class TestLocalName:
    def test_japanese_pages_show_the_japanese_name(self):
        with translation.override("ja"):
            for name in (NAMED, UNNAMED, NO_READING):
                assert str(name) == "本町地区まちづくり協議会" or str(name) == "桜台小学校区"
                assert name.text == name.japanese
            assert NAMED.subtitle == "さくらだいしょうがっこうく"

    def test_english_name_where_there_is_one(self):
        with translation.override("en"):
            assert str(NAMED) == "Sakuradai Elementary School District"
            assert NAMED.text == "Sakuradai Elementary School District"
            # The Japanese name under the heading, marked as Japanese.
            assert NAMED.subtitle == '<span lang="ja">桜台小学校区</span>'

    def test_else_the_japanese_name_marked_with_its_reading_in_romaji(self):
        with translation.override("en"):
            assert str(UNNAMED) == (
                '<span lang="ja">本町地区まちづくり協議会</span> '
                "(Hommachi Chiku Machizukuri Kyōgikai)"
            )
            # Where no markup can go, the reading stands for the name.
            assert UNNAMED.text == "Hommachi Chiku Machizukuri Kyōgikai"
            assert UNNAMED.subtitle == ""

    def test_without_a_reading_the_japanese_name_marked(self):
        with translation.override("en"):
            assert str(NO_READING) == '<span lang="ja">本町地区まちづくり協議会</span>'
            assert NO_READING.text == "本町地区まちづくり協議会"

    def test_a_name_in_latin_letters_is_not_marked(self):
        with translation.override("en"):
            assert str(LocalName("NPO Midori", "", "えぬぴーおーみどり")) == "NPO Midori"

    def test_names_are_escaped(self):
        name = LocalName("<b>桜台</b>", "", "さくらだい")
        with translation.override("en"):
            assert str(name) == '<span lang="ja">&lt;b&gt;桜台&lt;/b&gt;</span> (Sakuradai)'
        with translation.override("ja"):
            assert str(name) == "&lt;b&gt;桜台&lt;/b&gt;"
        with translation.override("en"):
            assert str(LocalName("x", "<i>Sakuradai</i>")) == "&lt;i&gt;Sakuradai&lt;/i&gt;"

    def test_in_templates_and_in_blocktranslate(self):
        source = (
            "{% load i18n %}<h1>{{ name }}</h1><title>{{ name.text }}</title>"
            "{% blocktranslate with name=name %}All meetings of {{ name }}{% endblocktranslate %}"
        )
        with translation.override("en"):
            assert render(source, name=UNNAMED) == (
                '<h1><span lang="ja">本町地区まちづくり協議会</span> '
                "(Hommachi Chiku Machizukuri Kyōgikai)</h1>"
                "<title>Hommachi Chiku Machizukuri Kyōgikai</title>"
                'All meetings of <span lang="ja">本町地区まちづくり協議会</span> '
                "(Hommachi Chiku Machizukuri Kyōgikai)"
            )

    def test_from_a_record_or_a_row(self):
        class Record:
            name = "桜台"
            name_en = ""
            name_kana = "さくらだい"

        assert local_name(Record()) == LocalName("桜台", "", "さくらだい")
        assert local_name({"name": "桜台", "name_en": "Sakuradai"}) == LocalName(
            "桜台", "Sakuradai", ""
        )
        assert local_name({"label": "均等割", "label_en": None}, name="label", english="label_en")


class TestJapaneseMarks:
    def test_has_japanese(self):
        assert has_japanese("桜台") and has_japanese("さくら") and has_japanese("サクラ")
        assert not has_japanese("Sakuradai (2026)")
        assert not has_japanese("")
        assert not has_japanese(None)

    def test_only_on_english_pages_and_only_around_japanese(self):
        with translation.override("en"):
            assert ja_html("防災訓練") == '<span lang="ja">防災訓練</span>'
            assert ja_html("Drill") == "Drill"
            assert ja_html("<防災>") == '<span lang="ja">&lt;防災&gt;</span>'
            assert ja_attribute("議事録") == ' lang="ja"'
            assert ja_attribute("Minutes") == ""
            assert ja_html(None) == ""
            # Markup already made safe (a search excerpt's <mark>) is kept, not escaped again.
            assert ja_html(mark_safe("<mark>防災</mark>")) == (
                '<span lang="ja"><mark>防災</mark></span>'
            )
        with translation.override("ja"):
            assert ja_html("防災訓練") == "防災訓練"
            assert ja_attribute("議事録") == ""

    def test_filters(self):
        source = (
            "<p{{ text|ja_lang }}>{{ text }}</p><td>{{ text|ja }}</td>"
            '{{ text|english_or:"Minutes" }}'
        )
        with translation.override("en"):
            assert render(source, text="議事録") == (
                '<p lang="ja">議事録</p><td><span lang="ja">議事録</span></td>Minutes'
            )
            assert render(source, text="Notes") == "<p>Notes</p><td>Notes</td>Notes"
        with translation.override("ja"):
            assert render(source, text="議事録") == "<p>議事録</p><td>議事録</td>議事録"

    def test_messages_with_markup_are_safe_in_the_language_of_the_page(self):
        message = safe_message(_('Enter the <span lang="ja">番地</span> in digits, such as 5.'))
        with translation.override("en"):
            assert render("{{ message }}", message=message) == (
                'Enter the <span lang="ja">番地</span> in digits, such as 5.'
            )
        with translation.override("ja"):
            assert (
                render("{{ message }}", message=message)
                == "番地を数字で入力してください（例：5）。"
            )


class TestKanaIndex:
    def test_rows_in_japanese(self):
        with translation.override("ja"):
            assert [str(row.label) for row in kana_rows()] == list("あかさたなはまやらわ")
            assert KanaRow("か").heading == "か行"

    def test_rows_in_english_say_their_sound_with_the_kana(self):
        with translation.override("en"):
            labels = [str(row.label) for row in kana_rows()]
            assert labels[:3] == [
                'A <span lang="ja">あ</span>',
                'Ka <span lang="ja">か</span>',
                'Sa <span lang="ja">さ</span>',
            ]
            assert labels[-1] == 'Wa <span lang="ja">わ</span>'
            assert KanaRow("か").heading == 'Ka row <span lang="ja">か行</span>'
            assert KanaRow("他").label == "Other" and KanaRow("他").heading == "Other"

    def test_a_row_is_its_kana(self):
        assert KanaRow("さ") == "さ" and KanaRow("さ").kana == "さ"

    @pytest.mark.parametrize(
        "reading",
        ["ぁあ", "あおば", "ゔぃら", "かわ", "ごとう", "さくら", "ぞうし", "たき", "っ", "どて",
         "なか", "のぐち", "はし", "ぽぷら", "まち", "もり", "ゃ", "やま", "よし", "らく", "ろく",
         "ゎ", "わかば", "をの", "んま"],
    )  # fmt: skip
    def test_each_rows_range_holds_the_readings_of_that_row(self, reading):
        first, before = reading_range(gojuon_row(reading))
        if reading.startswith("ゔ"):
            # ゔ is in the あ row but sorts after ん: the directory asks for it by name.
            assert (first, before) == ("ぁ", "か")
            return
        assert reading >= first and (before is None or reading < before)

"""Content in several languages: the shared rules of ``core.multilingual`` (issue #17, item 3)."""

from types import SimpleNamespace

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from echos.core.exceptions import RuleViolation
from echos.core.folding import fold, words
from echos.core.multilingual import (
    TranslationsFormMixin,
    clean_source_language,
    clean_translations,
    every_language,
    export_header,
    export_languages,
    export_row,
    is_translated,
    search_text_of,
    shown,
)

LIMITS = {"title": 200, "description": 20000}


def item(**kw):
    base = {
        "TRANSLATABLE": ("title", "description"),
        "title": "Krebsvorsorge im Dorf",
        "description": "Ein Abend über Früherkennung.",
        "source_language": "de",
        "translations": {"fr": {"title": "Dépistage au village"}},
    }
    base.update(kw)
    return SimpleNamespace(**base)


def test_shown_gives_the_readers_language_when_translated():
    text = shown(item(), "title", "fr")
    assert (text.text, text.language, text.is_fallback) == ("Dépistage au village", "fr", False)
    assert str(text.lang_attr) == ""


def test_shown_falls_back_to_the_source_with_a_marker_and_lang():
    with translation.override("en"):
        text = shown(item(), "description", "fr")
        assert text.text == "Ein Abend über Früherkennung."
        assert text.is_fallback and text.language == "de"
        assert str(text.lang_attr) == ' lang="de"'
        assert "German" in text.marker and "French" in text.marker


def test_shown_in_the_source_language_is_not_a_fallback():
    text = shown(item(), "title", "de")
    assert not text.is_fallback and text.text == "Krebsvorsorge im Dorf"


def test_an_empty_source_is_never_a_fallback():
    assert not shown(item(description=""), "description", "pl").is_fallback


def test_is_translated_needs_every_filled_field():
    assert not is_translated(item(), "fr")
    full = item(translations={"fr": {"title": "a", "description": "b"}})
    assert is_translated(full, "fr")


def test_every_language_lists_source_first():
    assert every_language(item(), "title") == {
        "de": "Krebsvorsorge im Dorf",
        "fr": "Dépistage au village",
    }


def test_export_columns_carry_every_language():
    objs = [item(), item(source_language="pl", translations={})]
    languages = export_languages(objs)
    assert languages == ["de", "fr", "pl"]
    assert export_header(["title"], languages) == ["title [de]", "title [fr]", "title [pl]"]
    assert export_row(objs[0], ["title"], languages) == [
        "Krebsvorsorge im Dorf",
        "Dépistage au village",
        "",
    ]


def test_clean_translations_keeps_filled_texts_only():
    cleaned = clean_translations(
        {"fr": {"title": "  Titre ", "description": ""}, "pl": {"title": ""}}, LIMITS, "de"
    )
    assert cleaned == {"fr": {"title": "Titre"}}


@pytest.mark.parametrize(
    "value, field",
    [
        ({"xx": {"title": "t"}}, "translations.xx"),
        ({"tr": {"title": "t"}}, "translations.tr"),  # a language of a country, not offered
        ({"de": {"title": "t"}}, "translations.de"),  # the source language itself
        ({"fr": {"venue": "t"}}, "translations.fr.venue"),
        ({"fr": {"title": 5}}, "translations.fr.title"),
        ({"fr": {"title": "x" * 201}}, "translations.fr.title"),
        ({"fr": "text"}, "translations.fr"),
        (["fr"], "translations"),
    ],
)
def test_clean_translations_refuses_naming_the_field(value, field):
    with pytest.raises(RuleViolation) as err:
        clean_translations(value, LIMITS, "de")
    assert err.value.field == field


def test_source_language_accepts_country_languages_and_refuses_unknown():
    assert clean_source_language("TR") == "tr"
    assert clean_source_language("no") == "nb"
    assert clean_source_language("") == "en"
    with pytest.raises(RuleViolation) as err:
        clean_source_language("klingon")
    assert err.value.field == "source_language"


def test_search_text_folds_every_language():
    text = search_text_of(item(translations={"el": {"title": "Πρόληψη στο χωριό"}}))
    assert "krebsvorsorge" in text and "fruherkennung" in text and "προληψη" in text
    assert fold("Łódź São Υγεία") == "lodz sao υγεια"
    assert words("Świętokrzyskie, ZDROWIE!") == ["swietokrzyskie", "zdrowie"]


class EventLikeForm(TranslationsFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    translatable_fields = {"title": forms.CharField(label="Title", max_length=200)}

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_translations(instance)


def test_form_collects_translations_by_language():
    form = EventLikeForm(
        {"title": "Abend", "source_language": "de", "tr-fr-title": "Soirée", "tr-pl-title": " "}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["source_language"] == "de"
    assert form.cleaned_translations() == {"fr": {"title": "Soirée"}}


def test_form_shows_existing_translations_and_opens_them():
    form = EventLikeForm(instance=item())
    groups = {g["code"]: g for g in form.translation_groups}
    assert form["tr-fr-title"].value() == "Dépistage au village"
    assert groups["fr"]["open"] and not groups["pl"]["open"]
    assert groups["de"]["is_source"]
    assert len(groups) == 26


def test_form_refuses_an_unknown_source_language():
    form = EventLikeForm({"title": "Abend", "source_language": "xx"})
    assert not form.is_valid() and "source_language" in form.errors


def test_form_puts_a_translation_violation_on_its_field():
    form = EventLikeForm({"title": "Abend", "source_language": "de", "tr-fr-title": "x"})
    assert form.is_valid()
    assert form.add_translation_violation(RuleViolation("too long", "translations.fr.title"))
    assert form.errors["tr-fr-title"] == ["too long"]


@pytest.mark.django_db
def test_fields_template_renders_translations_in_one_fieldset():
    with translation.override("en"):
        html = Template('{% include "_fields.html" %}').render(
            Context({"form": EventLikeForm(instance=item())})
        )
    assert html.count('class="translations"') == 1
    assert '<details class="translation" open>' in html  # French is filled
    assert 'lang="el"' in html
    # the main loop does not repeat the 26 translation fields outside the fieldset
    assert html.index('name="title"') < html.index('class="translations"')
    assert html.count('name="tr-fr-title"') == 1


def test_marker_template_shows_only_for_a_fallback():
    with translation.override("en"):
        tpl = Template(
            '{% load echos_i18n %}{% with t=obj|shown:"description" %}<p{{ t.lang_attr }}>{{ t }}</p>'
            '{% include "core/_shown_marker.html" with shown=t %}{% endwith %}'
        )
        html = tpl.render(Context({"obj": item()}))
        assert '<p lang="de">Ein Abend' in html and "Shown in German" in html
        with translation.override("de"):
            html = tpl.render(Context({"obj": item()}))
        assert "source-language-marker" not in html and 'lang="de"' not in html

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.control_characters import (
    forbidden_character_message,
    guard_text_field,
    reject_forbidden_characters,
    strip_forbidden_characters,
)


@pytest.mark.parametrize(
    "character", ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]
)
def test_control_characters_are_named_by_code_and_place(character):
    code = f"U+{ord(character):04X}"
    assert forbidden_character_message(f"Spotkanie{character}z NGO") == (
        f"Tekst zawiera niedozwolony znak sterujący ({code}) po „Spotkanie”. "
        "Usuń go i zapisz ponownie."
    )


def test_the_place_is_given_by_the_words_just_before_it():
    text = "Pierwszy akapit.\n\nDrugi akapit, w którym jest\tukryty\x07znak."
    assert forbidden_character_message(text) == (
        "Tekst zawiera niedozwolony znak sterujący (U+0007) po „akapit, w którym jest ukryty”. "
        "Usuń go i zapisz ponownie."
    )
    long_word = "Konstantynopolitańczykowianeczka" * 2
    assert f"po „{long_word[-30:]}”" in forbidden_character_message(f"{long_word}\x07")
    assert forbidden_character_message("\x07na początku") == (
        "Tekst zawiera niedozwolony znak sterujący (U+0007) na początku tekstu. "
        "Usuń go i zapisz ponownie."
    )


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def test_non_characters_xml_refuses_are_refused_too(character):
    assert forbidden_character_message(f"a{character}") == (
        f"Tekst zawiera niedozwolony znak specjalny (U+{ord(character):04X}) po „a”. "
        "Usuń go i zapisz ponownie."
    )


def test_tabs_line_ends_and_ordinary_text_are_allowed():
    text = "Żółć\tgęślą\r\njaźń\n„cudzysłów” – półpauza… €\u00a0\u200b\ufffd\U0001f600"
    assert forbidden_character_message(text) == ""
    reject_forbidden_characters(text)
    assert strip_forbidden_characters(text) == text


def test_stripping_removes_only_the_forbidden_characters():
    assert strip_forbidden_characters("a\x00b\x07c\x1bd\x9fe\ufffef\tg\nh") == "abcdef\tg\nh"


def test_stripping_keeps_words_apart_where_the_character_separated_them():
    assert strip_forbidden_characters("jeden\x0bdwa\x0ctrzy\x85cztery\x1fpięć") == (
        "jeden dwa trzy cztery pięć"
    )


def test_a_guarded_field_gives_one_message_also_for_nul():
    field = guard_text_field(forms.CharField())
    with pytest.raises(ValidationError) as raised:
        field.clean("Ala\x00ma kota")
    assert raised.value.messages == [
        "Tekst zawiera niedozwolony znak sterujący (U+0000) po „Ala”. Usuń go i zapisz ponownie."
    ]
    assert field.clean("Ala ma kota") == "Ala ma kota"

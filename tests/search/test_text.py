import unicodedata

import pytest

from search.text import fold, highlight, query_terms, search_text


def test_fold_keeps_length_and_drops_case_diacritics_and_punctuation():
    text = "Wydział Środowiska, Klimatu i Powietrza – ŁÓDŹ!"
    assert fold(text) == "wydzial srodowiska  klimatu i powietrza   lodz "
    assert len(fold(text)) == len(text)


def test_fold_maps_every_character_to_one_folded_character():
    """Every character of the Basic Multilingual Plane, as the one-by-one definition folds it:
    the lowercase of its first decomposed letter or digit, or a space."""

    def fold_one(char):
        if char in "łŁ":
            return "l"
        base = unicodedata.normalize("NFKD", char.lower()[:1] or " ")[:1]
        return base if base.isalnum() else " "

    text = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF)
    assert fold(text) == "".join(fold_one(char) for char in text)


def test_folding_remembers_only_common_characters():
    from search.text import _FOLD

    fold("漢字 ÀÉ")
    size = len(_FOLD)
    fold("".join(chr(code) for code in range(0x4E00, 0x5E00)))  # a run of rare characters
    assert len(_FOLD) == size


def test_search_text_is_space_delimited_words():
    assert search_text("Zestawienie zgłoszonych postulatów", None, "") == (
        " zestawienie zgloszonych postulatow "
    )
    assert search_text(None, "") == ""


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("postulat", ["postulat"]),
        ("postulatów", ["postulat"]),
        ("POSTULATOW", ["postulat"]),
        ("srodowisko", ["srodowisk"]),
        ("organizacji pozarządowych", ["organizacj", "pozarzadow"]),
        ("a i w", []),  # words too short to search for
        ("lokal lokale lokali", ["lokal"]),
        ("' OR 1=1; --", ["or"]),
        ("<script>alert(1)</script>", ["script", "alert"]),
        (
            "jeden dwa trzy cztery pięć sześć siedem osiem dziewięć",
            ["jeden", "dwa", "trzy", "czter", "piec", "szesc", "sied", "osiem"],
        ),  # at most eight terms
    ],
)
def test_query_terms_are_folded_stems(query, terms):
    assert query_terms(query) == terms


def test_every_inflected_form_matches_the_stem_of_any_other():
    forms = ["postulat", "postulaty", "postulatów", "postulatami", "postulacie"]
    for query in forms[:4]:
        (term,) = query_terms(query)
        assert all(f" {term}" in search_text(form) for form in forms[:4]), query


def test_highlight_marks_matches_escapes_html_and_cuts_a_window():
    text = (
        "<b>Wstęp</b> "
        + "słowo " * 100
        + "Omówienie postulatów organizacji w Krakowie. "
        + "koniec " * 100
    )
    snippet = highlight(text, query_terms("postulat krakow"))
    assert "<mark>postulatów</mark>" in snippet
    assert "<mark>Krakowie</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<b>" not in snippet
    assert (
        highlight("<i>x</i> postulat", ["postulat"]) == "&lt;i&gt;x&lt;/i&gt; <mark>postulat</mark>"
    )


def test_numbers_are_highlighted_only_whole():
    assert highlight("Sala C 10, nie 100, 10 czerwca.", ["c 10", "10"]) == (
        "Sala <mark>C 10</mark>, nie 100, <mark>10</mark> czerwca."
    )

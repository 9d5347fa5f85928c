import pytest

from core.slugs import polish_slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Wydział Środowiska, Klimatu i Powietrza", "wydzial-srodowiska-klimatu-i-powietrza"),
        (
            "Wydział Polityki Społecznej, Równości i Zdrowia",
            "wydzial-polityki-spolecznej-rownosci-i-zdrowia",
        ),
        ("ŁÓDŹ, żółć, gęś", "lodz-zolc-ges"),
        (
            "Spotkanie w „Centrum Obywatelskim - ul. Reymonta 20”",
            "spotkanie-w-centrum-obywatelskim-ul-reymonta-20",
        ),
    ],
)
def test_polish_letters_are_transliterated_not_dropped(text, slug):
    assert polish_slugify(text) == slug


def test_max_length_never_leaves_a_trailing_hyphen():
    assert polish_slugify("Wydział Kultury", max_length=8) == "wydzial"

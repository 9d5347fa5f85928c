import pytest
from django import forms
from pytest_django.asserts import assertHTMLEqual

from core.forms import Select

CHOICES = [
    ("", "wszystkie"),
    ("a&b", "A & <b>"),
    (1, "jeden"),
    ("grupa", [("x", "X"), ("y", 'Y"')]),
]


@pytest.mark.parametrize("value", ["", "a&b", "1", 1, "x", None, "nieznana"])
def test_select_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_pole", "aria-describedby": "pole-pomoc", "required": True, "disabled": False}
    assertHTMLEqual(
        Select(choices=CHOICES).render("pole", value, attrs=attrs),
        forms.Select(choices=CHOICES).render("pole", value, attrs=attrs),
    )


def test_select_escapes_labels_values_and_group_names():
    html = Select(choices=[('"><script>', [("<x>", "<i>")])]).render("pole", None)
    assert "<script>" not in html and "<x>" not in html and "<i>" not in html

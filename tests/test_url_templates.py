"""Paths filled into a template reversed once are what reverse() answers, in every language."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from core.url_templates import PathTemplate
from meetings.models import DOCUMENT_PATHS, MEETING_PATH, ROUND_PATH, YEAR_PATH

ARGUMENTS = [
    (YEAR_PATH, {"year": 2019}),
    (MEETING_PATH, {"year": 2024, "slug": "spotkanie-w-sprawie-lokali-2"}),
    (ROUND_PATH, {"year": 2024, "slug": "konsultacje"}),
    (PathTemplate("postulates:detail", "pk"), {"pk": 98765}),
    (PathTemplate("departments:detail", "slug"), {"slug": "wydzial-kultury"}),
    (PathTemplate("organisations:detail", "slug"), {"slug": "fundacja-1"}),
    (PathTemplate("programmes:detail", "slug"), {"slug": "program_2025"}),
    *(
        (template, {"year": 2023, "parent_slug": "spotkanie", "slug": "protokol"})
        for template in DOCUMENT_PATHS.values()
    ),
]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(("template", "arguments"), ARGUMENTS, ids=repr)
def test_a_filled_template_is_the_reversed_path(template, arguments, language):
    with translation.override(language):
        assert template.path(**arguments) == reverse(template.viewname, kwargs=arguments)


def test_the_language_and_the_script_prefix_are_read_at_each_call():
    assert MEETING_PATH.path(year=2024, slug="a") == "/2024/spotkania/a/"
    with translation.override("en"):
        assert MEETING_PATH.path(year=2024, slug="a") == "/en/2024/spotkania/a/"
    set_script_prefix("/archiwum/")
    try:
        assert MEETING_PATH.path(year=2024, slug="a") == "/archiwum/2024/spotkania/a/"
    finally:
        set_script_prefix("/")
    assert MEETING_PATH.path(year=2024, slug="a") == "/2024/spotkania/a/"


@pytest.mark.parametrize("token", ["zwykły token", "a;b,c=d@e:f~g", "50%+ść?#"])
def test_values_are_quoted_as_reverse_quotes_them(token):
    template = PathTemplate("alerts:manage", "token")
    assert template.path(token=token) == reverse("alerts:manage", kwargs={"token": token})


def test_section_of_the_sitemap_without_a_namespace():
    template = PathTemplate("sitemap-section", "section")
    assert template.path(section="spotkania-3") == "/sitemap-spotkania-3.xml"

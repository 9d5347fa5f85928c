"""An English-speaking visitor reads outcomes and areas in English on every page that names
them; editors keep the translations in the admin."""

import json

import pytest
from django.conf import settings
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from postulates.models import Outcome
from tests.factories import OutcomeFactory, PositionFactory, PostulateFactory, PublicTaskAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    area = PublicTaskAreaFactory(
        name="Turystyka i krajoznawstwo", name_en="Tourism and sightseeing"
    )
    outcome = OutcomeFactory(name="częściowo uwzględniony", name_en="partly accepted")
    postulate = PostulateFactory(area=area, content="Więcej szlaków dla rowerów.")
    PositionFactory(postulate=postulate, outcome=outcome)
    return postulate


def test_the_postulate_page_names_outcome_and_area_in_the_page_language(client, answered):
    url = answered.get_absolute_url()  # before an English request leaves English active
    english = client.get(f"/en{url}")
    assertContains(english, '<span class="outcome outcome-uwzgledniony">Partly accepted</span>')
    assertContains(english, ">Tourism and sightseeing</a>")
    assertNotContains(english, "częściowo uwzględniony")

    polish = client.get(url)
    assertContains(
        polish, '<span class="outcome outcome-uwzgledniony">Częściowo uwzględniony</span>'
    )
    assertContains(polish, ">Turystyka i krajoznawstwo</a>")


def test_the_postulate_list_filters_and_the_statistics_use_the_same_english_names(client, answered):
    listing = client.get("/en/postulaty/")
    assertContains(
        listing, '<option value="czesciowo-uwzgledniony">partly accepted</option>', html=True
    )
    assertContains(
        listing,
        '<option value="turystyka-i-krajoznawstwo">Tourism and sightseeing</option>',
        html=True,
    )
    assertContains(
        listing, '<span class="outcome outcome-uwzgledniony">partly accepted</span>', html=True
    )

    by_area = client.get("/en/statystyki/sfery/")
    assertContains(
        by_area,
        '<th scope="row"><a href="/en/postulaty/?sfera=turystyka-i-krajoznawstwo">'
        "Tourism and sightseeing</a></th>",
        html=True,
    )
    assertContains(
        client.get("/en/statystyki/"),
        '<option value="turystyka-i-krajoznawstwo">Tourism and sightseeing</option>',
        html=True,
    )


def test_an_untranslated_name_shows_in_polish_on_english_pages_marked_as_polish(client):
    """An outcome an editor added without an English name: the English page falls back to
    the Polish name, visibly, and marks it lang="pl" so a screen reader pronounces it as
    Polish; the Polish page shows it as it is."""
    postulate = PostulateFactory(area=PublicTaskAreaFactory(name="Rewitalizacja dzielnic"))
    answer = PositionFactory(postulate=postulate, outcome=OutcomeFactory(name="do ponownej oceny"))
    url, organisation_url = postulate.get_absolute_url(), postulate.organisation.get_absolute_url()
    english = client.get(f"/en{url}")
    assertContains(english, '><span lang="pl">Rewitalizacja dzielnic</span></a>')
    assertContains(
        english,
        '<span class="outcome outcome-uwzgledniony"><span lang="pl">Do ponownej oceny</span>'
        "</span>",
    )
    # The postulate list and the organisation's page name it as the postulate page does.
    assertContains(
        client.get("/en/postulaty/"),
        '<span class="outcome outcome-uwzgledniony"><span lang="pl">do ponownej oceny</span>'
        "</span>",
    )
    organisation = client.get(f"/en{organisation_url}")
    assertContains(organisation, '<span lang="pl">do ponownej oceny</span>')

    polish = client.get(url)
    assertContains(polish, ">Rewitalizacja dzielnic</a>")
    assertContains(
        polish, '<span class="outcome outcome-uwzgledniony">Do ponownej oceny</span>', html=True
    )
    assertNotContains(polish, '<span lang="pl">')
    assert answer.outcome.display_name == "do ponownej oceny"


def test_an_editor_translates_an_outcome_in_the_admin_and_english_pages_show_it(
    admin_client, answered
):
    outcome = Outcome.objects.get(slug="czesciowo-uwzgledniony")
    changelist = admin_client.get("/admin/postulates/outcome/")
    assertContains(changelist, '<td class="field-name_en">partly accepted</td>', html=True)

    response = admin_client.post(
        f"/admin/postulates/outcome/{outcome.pk}/change/",
        {
            "name": outcome.name,
            "name_en": "partially accepted",
            "slug": outcome.slug,
            "category": outcome.category,
            "description": "",
            "order": 2,
        },
    )
    assert response.status_code == 302
    assertContains(
        admin_client.get(f"/en{answered.get_absolute_url()}"), ">Partially accepted</span>"
    )


def test_every_outcome_and_area_of_the_archive_has_an_english_name():
    with open(settings.BASE_DIR / "fixtures" / "vocabularies.json", encoding="utf-8") as file:
        records = json.load(file)
    untranslated = [
        record["fields"]["name"] for record in records if not record["fields"]["name_en"]
    ]
    assert len(records) == 39
    assert untranslated == []
    assert {record["model"] for record in records} == {
        "postulates.outcome",
        "postulates.publictaskarea",
    }


def test_english_search_results_name_outcomes_and_areas_as_the_postulate_page_does(
    client, answered
):
    with translation.override("en"):
        position_url = answered.positions.get().get_absolute_url()
    response = client.get("/en/szukaj/", {"q": "uzasadnienie"})
    assertContains(
        response,
        f'<a href="{position_url}">'
        f"Position (partly accepted) on postulate no. {answered.number}</a>",
        html=True,
    )
    assertNotContains(response, "częściowo uwzględniony")
    # The form's filters of the answers, as on the postulate list.
    assertContains(
        response, '<option value="czesciowo-uwzgledniony">partly accepted</option>', html=True
    )
    assertContains(
        response,
        '<option value="turystyka-i-krajoznawstwo">Tourism and sightseeing</option>',
        html=True,
    )
    polish = client.get("/szukaj/", {"q": "uzasadnienie"})
    assertContains(
        polish, f"Stanowisko (częściowo uwzględniony) wobec postulatu nr {answered.number}"
    )

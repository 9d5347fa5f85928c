"""An English-speaking visitor of the demo (the sample data) reads outcomes and areas in
English on postulate pages, as on the real archive: the sample vocabularies carry the English
names the real archive's vocabularies do."""

from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from postulates.models import Outcome, Position, PublicTaskArea

pytestmark = pytest.mark.django_db

SMALL = ["--meetings", "10", "--postulates", "60", "--organisations", "10"]
SMALL += ["--years", "2018-2019", "--seed", "3"]


def test_a_sample_postulate_in_english_names_its_outcome_and_area_in_english(client):
    call_command("generate_sample_data", *SMALL, stdout=StringIO())
    assert all(outcome.name_en for outcome in Outcome.objects.all())
    assert all(area.name_en for area in PublicTaskArea.objects.all())

    answer = (
        Position.objects.published()
        .filter(outcome__name="nieuwzględniony", postulate__status="published")
        .select_related("postulate__area")
        .first()
    )
    url = answer.postulate.get_absolute_url()
    english = client.get(f"/en{url}")
    assert english.status_code == 200
    assertContains(english, ">Not accepted</span>")
    assertContains(english, f">{answer.postulate.area.name_en}</a>")
    assertNotContains(english, "nieuwzględniony")
    assertNotContains(english, f">{answer.postulate.area.name}</a>")
    listing = client.get("/en/postulaty/", {"rozstrzygniecie": "nieuwzgledniony"})
    assertContains(listing, ">not accepted</span>")
    assertNotContains(listing, ">nieuwzględniony</span>")

"""The demo and the benchmarks exercise what a reader follows up: the sample data fills the
list of commitments in each state, the "history in other years" filter, and a few (not most)
answers left "in progress" too long."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from postulates.models import Outcome, Position

pytestmark = pytest.mark.django_db

PAST_YEARS = ["--meetings", "40", "--postulates", "600", "--organisations", "30"]
PAST_YEARS += ["--years", "2018-2020", "--seed", "3"]


@pytest.fixture
def sample():
    call_command("generate_sample_data", *PAST_YEARS, stdout=StringIO())


def test_the_commitment_list_shows_sample_commitments_in_each_past_state(client, sample):
    for state in ("wykonane", "po-terminie", "bez-terminu"):
        response = client.get(reverse("postulates:commitments"), {"stan": state})
        commitments = response.context["commitments"]
        assert commitments, state
        assert {answer.commitment_status for answer in commitments} == {state}


def test_the_history_filter_finds_sample_postulates_linked_across_years(client, sample):
    response = client.get(reverse("postulates:list"), {"historia": "tak"})

    listed = response.context["page_obj"].object_list
    assert listed
    assert all(postulate.has_history for postulate in listed)
    assert 'class="history-marker"' in response.content.decode()


def test_most_old_answers_in_progress_got_their_final_answer(client, sample):
    current = Position.objects.current()
    pending = current.filter(outcome__category=Outcome.Category.PENDING).count()
    answered = current.count()

    response = client.get(reverse("postulates:list"), {"uwaga": "czeka-na-odpowiedz"})

    # Some stale answers to show, far fewer than the outcome weights alone would leave.
    assert 0 < response.context["page_obj"].paginator.count == pending < answered * 0.05

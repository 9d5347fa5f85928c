"""Counts written in words, declined as Polish declines them (1 miejsce, 2–4 miejsca, 5–21
miejsc, 22 miejsca): the change register's count of changes, and the redaction's preview and
the message after it."""

import re

import pytest
import reversion
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from history.admin import done_summary, plan_summary
from history.models import Redaction
from history.redaction import Place, Plan
from tests.editors.test_record_card import at, register_url
from tests.editors.test_redaction import NAME, save
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def result_count(response):
    html = response.content.decode()
    found = re.search(r'<p class="result-count" role="status">(.*?)</p>', html, re.S)
    return " ".join(found.group(1).split())


def test_the_registers_count_of_changes_is_declined(client, world):
    day = timezone.localtime(at(0)).date()
    url = register_url(od=day, do=day)
    made = 0
    shown = {}
    for total in (1, 2, 5, 12, 22):
        for index in range(made, total):
            meeting = MeetingFactory(departments=[world["culture"]])
            with time_machine.travel(at(index), tick=False), reversion.create_revision():
                meeting.title = f"Poprawione spotkanie {index}"
                meeting.save()
        made = total
        with time_machine.travel(at(100), tick=False):
            response = client.get(url)
            shown[total] = result_count(response).split(" od ")[0]
    assert shown == {
        1: "1 zmiana",
        2: "2 zmiany",
        5: "5 zmian",
        12: "12 zmian",
        22: "22 zmiany",
    }
    with time_machine.travel(at(100), tick=False):
        english = client.get("/en" + url)
    assert result_count(english).startswith("22 changes from ")


def plan_of(places, records, versions):
    """A preview's plan: `places` occurrences over `records` records."""
    rows = [Place("Postulat", f"Postulat {index}", "Treść", 1) for index in range(records)]
    rows[0].count += places - records
    return Plan(name=NAME, places=rows, versions=versions, log_entries=0, slugs=[])


@pytest.mark.parametrize(
    ("counts", "preview", "done"),
    [
        (
            (1, 1, 1),
            "1 miejsce w 1 wpisie oraz 1 wersja z historii.",
            "Usunięto dane osobowe: 1 miejsce w 1 wpisie i w 1 wersji z historii.",
        ),
        (
            (4, 2, 3),
            "4 miejsca w 2 wpisach oraz 3 wersje z historii.",
            "Usunięto dane osobowe: 4 miejsca w 2 wpisach i w 3 wersjach z historii.",
        ),
        (
            (5, 5, 12),
            "5 miejsc w 5 wpisach oraz 12 wersji z historii.",
            "Usunięto dane osobowe: 5 miejsc w 5 wpisach i w 12 wersjach z historii.",
        ),
        (
            (22, 12, 0),
            "22 miejsca w 12 wpisach oraz 0 wersji z historii.",
            "Usunięto dane osobowe: 22 miejsca w 12 wpisach i w 0 wersjach z historii.",
        ),
    ],
)
def test_the_redactions_counts_are_declined(counts, preview, done):
    places, records, versions = counts
    with translation.override("pl"):
        assert plan_summary(plan_of(places, records, versions)) == preview
        redaction = Redaction(places=places, records=records, versions=versions)
        assert done_summary(redaction) == done


def test_a_coordinator_reads_the_counts_declined_in_the_preview_and_after(world, login):
    editor = login("kultura")
    save(editor, world["own"]["postulate"], content=f"Zgłosiła {NAME}; poparła ją {NAME}.")
    coordinator = login("koordynator")
    add = reverse("admin:history_redaction_add")
    preview = coordinator.post(add, {"name": NAME})
    html = preview.content.decode()
    # Twice in the postulate and twice in its register row's title; in its two versions.
    assert "<p>4 miejsca w 2 wpisach oraz 2 wersje z historii.</p>" in html
    done = coordinator.post(add, {"name": NAME, "previewed": NAME}, follow=True)
    assert "Usunięto dane osobowe: 4 miejsca w 2 wpisach i w 2 wersjach z historii." in [
        str(message) for message in done.context["messages"]
    ]

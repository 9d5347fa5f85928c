"""Saving a meeting's page of postulates costs the same number of queries however many
postulates the meeting holds beyond the page: the revision reads the untouched ones (and their
answers and links) at once, and keeps only the one change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from postulates.models import Position
from tests.admin_forms import form_data
from tests.factories import PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db


def meeting_with(meeting, count):
    Position.objects.filter(postulate__meeting=meeting).delete()
    meeting.postulates.all().delete()
    for number in range(1, count + 1):
        postulate = PostulateFactory(meeting=meeting, number=number, content=f"Postulat {number}")
        PositionFactory(postulate=postulate, justification=f"Odpowiedź {number}")
    return meeting


def save_one_answer(client, meeting, new_text):
    """Saves the meeting's first page, the answer to postulate 3 changed; the queries run."""
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form", _continue="1")
    content = next(key for key, value in data.items() if value == "Postulat 3")
    data[content.removesuffix("content") + "justification"] = new_text
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    # Not the register's rows, written in batches: as many as SQLite's limit of parameters
    # a statement takes makes, one more for every few dozen rows.
    batched = ('INSERT INTO "history_registerentry"', 'DELETE FROM "history_registerentry"')
    return len([query for query in queries if not query["sql"].startswith(batched)])


def test_a_save_costs_the_same_with_21_postulates_or_40(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    counts = []
    for count in (21, 40):
        meeting_with(meeting, count)
        # The first save keeps the loaded states of the untouched records once (in bulk).
        save_one_answer(client, meeting, "Pierwsza zmiana")
        counts.append(save_one_answer(client, meeting, "Druga zmiana"))
    assert counts[1] == counts[0]


def test_the_save_records_only_the_answer_that_changed(world, login):
    client = login("kultura")
    meeting = meeting_with(world["own"]["meeting"], 30)
    save_one_answer(client, meeting, "Poprawiona odpowiedź")
    changed = Position.objects.get(justification="Poprawiona odpowiedź")
    revision = Version.objects.get_for_object(changed).first().revision
    assert revision.user.username == "kultura"
    recorded = sorted(
        (version.content_type.model, version.object_repr)
        for version in revision.version_set.all()
        if version.content_type.model in ("postulate", "position", "positionrevision")
    )
    assert recorded == [
        ("position", str(changed)),
        ("positionrevision", str(changed.revisions.get())),
    ]
    # Every other answer has only the state it was loaded with, in a revision of no one.
    for position in Position.objects.filter(postulate__meeting=meeting).exclude(pk=changed.pk):
        assert [v.revision.user for v in Version.objects.get_for_object(position)] == [None]

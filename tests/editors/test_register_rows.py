"""The site-wide change register's rows (history.RegisterEntry) never drift from the history
they are derived from: written in the transaction of the change, stored ahead for a scheduled
publication, rebuilt identically from the versions; and a page of the register costs the
same few queries however many changes the period holds."""

import datetime

import pytest
import reversion
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.publishing import Status
from history.changes import changes, day_start, derived_changes
from history.models import RegisterEntry
from tests.editors.test_record_card import at, draft_meeting, page_at, register_url, save  # noqa: F401
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def listed(found):
    # A record withdrawn since is named in its rows as it was when they were written, which
    # the derivation cannot know: compared only while the record is public.
    return [
        (c.key, c.entry.kind, c.entry.at, c.entry.user_id, c.entry.fields, c.record and c.title)
        for c in found
    ]


def agree(minutes):
    """The rows read at `minutes` after T0 equal the history's derivation then."""
    start = day_start(timezone.localtime(at(0)).date() - datetime.timedelta(days=1))
    end = start + datetime.timedelta(days=3)
    with time_machine.travel(at(minutes), tick=False):
        rows, derived = changes(start, end), derived_changes(start, end)
    assert sorted(listed(rows), key=str) == sorted(listed(derived), key=str)
    return rows


def test_rows_follow_every_admin_change_of_meetings_documents_and_answers(
    draft_meeting,  # noqa: F811
    login,
    world,
):
    client = login("kultura")
    steps = [
        (draft_meeting, {"title": "Szkic: tajny tytuł"}),
        (draft_meeting, {"title": "Spotkanie kultury", "status": Status.PUBLISHED}),
        (draft_meeting, {"title": "Spotkanie kultury (poprawione)"}),
        (world["own"]["document"], {"title": "Podsumowanie (poprawione)"}),
        (world["own"]["position"], {"justification": "Odpowiedź zmieniona."}),
        (draft_meeting, {"status": Status.DRAFT}),
        (draft_meeting, {"title": "Kolejny szkic"}),
        (draft_meeting, {"title": "Spotkanie kultury w maju", "status": Status.PUBLISHED}),
    ]
    for index, (record, fields) in enumerate(steps):
        save(client, record, index * 5, **fields)
        agree(index * 5 + 1)
    kinds = [c.entry.kind for c in agree(60)]
    assert kinds.count("wycofano") == 1 and kinds.count("ponownie") == 1
    assert "zmieniono-stanowisko" in kinds and "poprawiono" in kinds


def test_a_scheduled_republication_is_listed_at_its_moment_with_no_job(
    draft_meeting,  # noqa: F811
    login,
):
    client = login("kultura")
    save(client, draft_meeting, 0, status=Status.PUBLISHED)
    save(client, draft_meeting, 5, status=Status.DRAFT)
    moment = timezone.localtime(at(60)).strftime("%Y-%m-%dT%H:%M")
    save(client, draft_meeting, 10, status=Status.PUBLISHED, published_at=moment)
    stored = list(RegisterEntry.objects.values_list("kind", "at"))
    assert ("ponownie", at(60)) in stored  # kept ahead, not listed yet
    assert [c.entry.kind for c in agree(30)] == ["wycofano"]
    assert [c.entry.kind for c in agree(61)] == ["ponownie", "wycofano"]
    assert list(RegisterEntry.objects.values_list("kind", "at")) == stored  # nothing ran
    day = timezone.localtime(at(0)).date()
    assert (
        "opublikowano ponownie"
        not in page_at(client, register_url(od=day, do=day), 30).content.decode()
    )
    assert (
        "opublikowano ponownie"
        in page_at(client, register_url(od=day, do=day), 61).content.decode()
    )


def test_a_change_rolled_back_leaves_no_row(world):
    meeting = world["own"]["meeting"]
    with time_machine.travel(at(0), tick=False), reversion.create_revision():
        meeting.title = "Pierwsza poprawka"
        meeting.save()
    before = list(RegisterEntry.objects.values_list("pk", "kind", "at"))
    with pytest.raises(RuntimeError), transaction.atomic():
        with time_machine.travel(at(5), tick=False), reversion.create_revision():
            meeting.status = Status.DRAFT
            meeting.save()
        assert RegisterEntry.objects.filter(kind="wycofano").exists()  # same transaction
        raise RuntimeError("the save fails after the revision")
    assert list(RegisterEntry.objects.values_list("pk", "kind", "at")) == before


def test_deleting_a_record_deletes_its_rows_and_the_command_rebuilds_them_equal(world):
    meeting = MeetingFactory(departments=[world["culture"]])
    for minutes, fields in ((0, {"title": "Poprawiony tytuł"}), (5, {"status": Status.DRAFT})):
        with time_machine.travel(at(minutes), tick=False), reversion.create_revision():
            for name, value in fields.items():
                setattr(meeting, name, value)
            meeting.save()

    def rows(**only):
        return sorted(
            RegisterEntry.objects.filter(**only).values_list(
                "content_type", "object_id", "kind", "at", "fields", "listed"
            )
        )

    kept = rows()
    assert "wycofano" in [row[2] for row in kept]
    RegisterEntry.objects.all().delete()
    call_command("rebuild_change_register", verbosity=0)
    assert rows() == kept
    meeting_rows = {"content_type__model": "meeting", "object_id": meeting.pk}
    # Its card's dates are rows too, kept off the site-wide register.
    listed = {row[2]: row[5] for row in rows(**meeting_rows)}
    assert listed.items() >= {"utworzono": False, "opublikowano": False, "wycofano": True}.items()
    meeting.delete()
    assert rows(**meeting_rows) == []


def test_a_register_page_costs_the_same_queries_for_few_or_many_changes(client, world):
    def changed(count):
        for index in range(count):
            meeting = MeetingFactory(departments=[world["culture"]])
            with time_machine.travel(at(index), tick=False), reversion.create_revision():
                meeting.title = f"Poprawione spotkanie {index}"
                meeting.save()

    day = timezone.localtime(at(0)).date()
    url = register_url(od=day, do=day)

    def queries():
        with time_machine.travel(at(200), tick=False), CaptureQueriesContext(connection) as seen:
            response = client.get(url)
        assert response.status_code == 200
        return len(seen)

    changed(3)
    few = queries()
    changed(120)  # more than a page
    assert queries() == few
    assert few <= 12

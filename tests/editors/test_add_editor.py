import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from departments.models import DepartmentChange
from editors.roles import COORDINATORS, EDITORS
from tests.editors.conftest import PASSWORD
from tests.factories import DepartmentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def add_editor(*args):
    call_command("add_editor", *args, "--noinput", verbosity=0)


def test_creates_a_staff_editor_of_a_department_with_the_password_from_the_environment(
    monkeypatch, client
):
    department = DepartmentFactory(name="Wydział Kultury")
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    add_editor("anna", "--department", "wydzial-kultury")

    user = get_user_model().objects.get(username="anna")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == [EDITORS]
    assert list(user.editor_profile.departments.all()) == [department]
    assert not user.editor_profile.is_coordinator
    assert logs_in(client, "anna", PASSWORD)


def test_updates_an_existing_account_without_touching_its_password(monkeypatch, client):
    DepartmentFactory(name="Wydział Kultury")
    DepartmentFactory(name="Wydział Sportu")
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    add_editor("anna", "--department", "wydzial-kultury")
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD")
    add_editor("anna", "--coordinator")

    user = get_user_model().objects.get(username="anna")
    assert [g.name for g in user.groups.all()] == [COORDINATORS]
    assert user.editor_profile.is_coordinator
    assert not user.editor_profile.departments.exists()
    assert logs_in(client, "anna", PASSWORD)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--department", "wydzial-kultury"], None, "DJANGO_EDITOR_PASSWORD"),
        (["--department", "wydzial-kultury"], "krotkie", "Hasło odrzucone"),
        (["--department", "nie-ma-takiego"], PASSWORD, "Nie ma wydziału o adresie: nie-ma-takiego"),
        ([], PASSWORD, "Podaj --department"),
    ],
)
def test_refuses_with_a_clear_message(monkeypatch, args, password, message):
    DepartmentFactory(name="Wydział Kultury")
    if password:
        monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", password)
    else:
        monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match=message):
        add_editor("anna", *args)
    assert not get_user_model().objects.filter(username="anna").exists()


def test_an_editor_of_a_renamed_department_also_edits_its_former_name(world, login):
    old_name = DepartmentFactory(name="Wydział Kultury i Dziedzictwa Narodowego")
    DepartmentChange.objects.create(
        predecessor=old_name, successor=world["culture"], kind=DepartmentChange.Kind.RENAME
    )
    archival = MeetingFactory(title="Spotkanie z 2024 r.", departments=[old_name])
    client = login("kultura")
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert archival in response.context["cl"].result_list


def logs_in(client, username, password):
    """Through the admin's login form, as the editor would (django-axes needs the request)."""
    response = client.post(
        reverse("admin:login"), {"username": username, "password": password}, follow=False
    )
    return response.status_code == 302 and "_auth_user_id" in client.session

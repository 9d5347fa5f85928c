import pytest
from django.db import IntegrityError
from django.db.models import ProtectedError

from departments.models import Department, DepartmentChange
from tests.factories import DepartmentChangeFactory, DepartmentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_slug_is_transliterated_from_the_official_name():
    department = DepartmentFactory(name="Wydział Środowiska, Klimatu i Powietrza")
    assert department.slug == "wydzial-srodowiska-klimatu-i-powietrza"
    assert department.get_absolute_url() == "/wydzialy/wydzial-srodowiska-klimatu-i-powietrza/"


def test_equal_names_get_distinct_slugs_and_the_database_enforces_uniqueness():
    first = DepartmentFactory(name="Wydział Kultury")
    second = DepartmentFactory(name="Wydział Kultury")
    assert (first.slug, second.slug) == ("wydzial-kultury", "wydzial-kultury-2")
    with pytest.raises(IntegrityError):
        Department.objects.filter(pk=second.pk).update(slug=first.slug)


def test_deleting_a_department_with_meetings_is_refused():
    department = DepartmentFactory()
    MeetingFactory(departments=[department])
    with pytest.raises(ProtectedError):
        department.delete()
    assert Department.objects.filter(pk=department.pk).exists()


def test_deleting_a_department_with_a_rename_history_is_refused():
    change = DepartmentChangeFactory()
    with pytest.raises(ProtectedError):
        change.predecessor.delete()


def test_lineage_follows_renames_in_both_directions_and_over_several_steps():
    oldest = DepartmentFactory(name="Wydział A", name_used_until=2020)
    middle = DepartmentFactory(name="Wydział B", name_used_from=2021, name_used_until=2024)
    newest = DepartmentFactory(name="Wydział C", name_used_from=2025)
    unrelated = DepartmentFactory(name="Wydział D")
    DepartmentChangeFactory(predecessor=oldest, successor=middle)
    DepartmentChangeFactory(predecessor=middle, successor=newest)

    assert oldest.lineage() == [oldest, middle, newest]
    assert newest.lineage() == [oldest, middle, newest]
    assert unrelated.lineage() == [unrelated]


def test_a_department_cannot_succeed_itself():
    department = DepartmentFactory()
    with pytest.raises(IntegrityError):
        DepartmentChange.objects.create(
            predecessor=department, successor=department, kind=DepartmentChange.Kind.RENAME
        )


def test_name_years_must_be_in_order():
    with pytest.raises(IntegrityError):
        DepartmentFactory(name_used_from=2025, name_used_until=2024)

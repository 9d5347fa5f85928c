"""What the import suggests when a cell nearly matches: the closest entries of the editors'
lists, the departments in the editor's context, the existing organisation a new name repeats."""

import pytest

from editors.models import EditorProfile
from organisations.models import Organisation
from postulates.importing import import_postulates, parse_spreadsheet, validate
from postulates.importing.suggestions import ClosestNames, SimilarOrganisations, likeness_key
from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PublicTaskAreaFactory,
)
from tests.postulates.builders import csv_bytes, row, upload

pytestmark = pytest.mark.django_db


def preview_of(rows, meeting, user=None):
    return validate(parse_spreadsheet(upload(csv_bytes(rows))), meeting, user)


def reasons(preview):
    return [(column, reason) for _number, column, reason in preview.errors]


@pytest.fixture
def culture():
    return DepartmentFactory(name="Wydział Kultury", abbreviation="WK")


@pytest.fixture
def meeting(culture):
    return MeetingFactory(departments=[culture])


# --- Did you mean -----------------------------------------------------------------------------


def test_a_misspelt_area_suggests_the_closest_one(meeting):
    PublicTaskAreaFactory(name="Kultura")
    PublicTaskAreaFactory(name="Ochrona zdrowia")
    preview = preview_of([row("1", area="Kultra")], meeting)
    assert reasons(preview) == [
        (
            "Sfera",
            "Nie ma sfery zadań publicznych „Kultra”. Czy chodziło o: „Kultura”? Listę sfer "
            "prowadzi redakcja: użyj nazwy z tej listy (jest pod formularzem) albo poproś "
            "redakcję o dopisanie nowej.",
        )
    ]


def test_an_area_nothing_like_the_list_gets_no_suggestion(meeting):
    PublicTaskAreaFactory(name="Kultura")
    preview = preview_of([row("1", area="Turystyka")], meeting)
    assert reasons(preview) == [
        (
            "Sfera",
            "Nie ma sfery zadań publicznych „Turystyka”. Listę sfer prowadzi redakcja: użyj "
            "nazwy z tej listy (jest pod formularzem) albo poproś redakcję o dopisanie nowej.",
        )
    ]


def test_a_misspelt_outcome_suggests_every_close_one_best_first(meeting):
    for name in ("uwzględniony", "nieuwzględniony", "częściowo uwzględniony"):
        OutcomeFactory(name=name)
    preview = preview_of([row("1", outcome="uwzglednony")], meeting)
    assert reasons(preview) == [
        (
            "Rozstrzygnięcie",
            "Nie ma rozstrzygnięcia „uwzglednony”. Czy chodziło o: „uwzględniony” lub "
            "„nieuwzględniony”? Listę rozstrzygnięć prowadzi redakcja: użyj nazwy z tej listy "
            "(jest pod formularzem).",
        )
    ]


def test_a_misspelt_department_suggests_it_and_names_the_meetings_departments(meeting):
    DepartmentFactory(name="Wydział Sportu", abbreviation="WS")
    preview = preview_of([row("1", responsible_department="Wydział Kultry")], meeting)
    assert reasons(preview) == [
        (
            "Wydział właściwy",
            "Nie ma wydziału ani jednostki „Wydział Kultry”. Czy chodziło o: „Wydział Kultury”? "
            "Podaj pełną nazwę lub skrót jednostki z listy pod formularzem (np. „Wydział "
            "Kultury” lub „WK”) albo poproś redakcję o dopisanie jednostki.",
        )
    ]


def test_the_department_hint_names_the_editors_own_departments_first(
    meeting, culture, django_user_model
):
    sport = DepartmentFactory(name="Wydział Sportu")  # no abbreviation: none is offered
    editor = django_user_model.objects.create_user("sport", is_staff=True)
    EditorProfile.objects.create(user=editor).departments.set([sport])
    preview = preview_of([row("1", responsible_department="XYZ")], meeting, editor)
    assert reasons(preview) == [
        (
            "Wydział właściwy",
            "Nie ma wydziału ani jednostki „XYZ”. Podaj pełną nazwę lub skrót jednostki z listy "
            "pod formularzem (np. „Wydział Sportu”; „Wydział Kultury” lub „WK”) albo poproś "
            "redakcję o dopisanie jednostki.",
        )
    ]


def test_an_abbreviation_two_departments_share_is_offered_only_where_it_resolves(
    meeting, culture, django_user_model
):
    DepartmentFactory(name="Wydział Komunikacji", abbreviation="WK")
    editor = django_user_model.objects.create_user("kultura", is_staff=True)
    EditorProfile.objects.create(user=editor).departments.set([culture])
    # At the culture meeting "WK" means culture; elsewhere it is ambiguous.
    elsewhere = MeetingFactory(departments=[DepartmentFactory(name="Wydział Sportu")])
    hints = []
    for at in (meeting, elsewhere):
        preview = preview_of([row("1", responsible_department="XYZ")], at, editor)
        (_column, reason), *_ = reasons(preview)
        hints.append(reason.split("(np. ")[1].split(")")[0])
    assert hints == ["„Wydział Kultury” lub „WK”", "„Wydział Kultury”; „Wydział Sportu”"]


def test_closest_names_compare_folded_text():
    closest = ClosestNames(["Pomoc społeczna", "Ochrona i promocja zdrowia", ""])
    assert closest.to("POMOC SPOLECZNA!") == ["Pomoc społeczna"]
    assert closest.to("ochrona zdrowia") == []


# --- Organisations a new name nearly repeats ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Fund. Koci Patrol",
        'Fundacja "Koci Patrol"',
        "fundacja koci patrol.",
        "Koci Patrol",  # the legal form left out
        "Fundacja Koci Patol",  # a typo
    ],
)
def test_a_near_duplicate_of_an_organisation_is_recognised(name):
    existing = Organisation(name="Fundacja „Koci Patrol”")
    assert SimilarOrganisations([existing, Organisation(name="Fundacja Psi Patrol")]).to(name) == (
        existing
    )


@pytest.mark.parametrize("name", ["Fundacja Psi Patrol Kraków", "Stowarzyszenie", "Patrol"])
def test_a_different_organisation_is_not_called_similar(name):
    assert SimilarOrganisations([Organisation(name="Fundacja „Koci Patrol”")]).to(name) is None


def test_likeness_ignores_case_letters_punctuation_and_abbreviated_forms():
    assert likeness_key("Stow. „Przyjaciół” Nowej Huty") == ("stowarzyszenie przyjaciol nowej huty")


def test_a_new_organisation_like_an_existing_one_is_a_warning_not_an_error(meeting):
    existing = OrganisationFactory(name="Fundacja „Koci Patrol”")
    preview = preview_of(
        [
            row("1", organisation="Fund. Koci Patrol"),
            row("2", organisation="Fundacja Nowa"),
            row("3", organisation="FUNDACJA „KOCI PATROL”"),  # the same, by the import's rule
            row("4", organisation="Fund. Koci Patrol"),
        ],
        meeting,
    )
    assert preview.is_valid, preview.errors
    assert preview.warnings == [
        "Nowa organizacja „Fund. Koci Patrol” (wiersze 2, 5) – podobna do istniejącej "
        "„Fundacja „Koci Patrol””. Jeśli to ta sama, wpisz jej nazwę tak jak w archiwum; "
        "inaczej zostanie dodana jako nowa."
    ]
    assert [r.similar_organisation for r in preview.rows] == [existing, None, None, existing]
    assert preview.rows[2].values.organisation == existing
    # Only a warning: confirmed, the import adds the organisation as written.
    assert import_postulates(preview, meeting).organisations_created == 2
    assert Organisation.objects.filter(name="Fund. Koci Patrol").exists()


# --- Whose answer -----------------------------------------------------------------------------


def test_an_answer_naming_no_department_answers_for_the_importing_editor(
    meeting, culture, django_user_model
):
    OutcomeFactory(name="Nieuwzględniony")
    editor = django_user_model.objects.create_user("kultura", is_staff=True)
    EditorProfile.objects.create(user=editor).departments.add(culture)
    preview = preview_of(
        [row(outcome="Nieuwzględniony", justification="Brak lokali")], meeting, editor
    )
    assert preview.errors == []
    assert preview.rows[0].values.position_department == culture
    import_postulates(preview, meeting, editor)
    assert meeting.postulates.get().positions.get().department == culture


def test_a_coordinator_names_the_department_of_an_answer_on_a_joint_meeting(
    culture, django_user_model
):
    OutcomeFactory(name="Nieuwzględniony")
    sport = DepartmentFactory(name="Wydział Sportu")
    joint = MeetingFactory(departments=[culture, sport])
    coordinator = django_user_model.objects.create_superuser("koordynator")
    preview = preview_of([row(outcome="Nieuwzględniony")], joint, coordinator)
    assert reasons(preview) == [
        (
            "Wydział odpowiadający",
            "Podaj, który wydział odpowiada na postulat: „Wydział Kultury” lub „Wydział Sportu”.",
        )
    ]
    single = preview_of(
        [row(outcome="Nieuwzględniony")], MeetingFactory(departments=[sport]), coordinator
    )
    assert single.errors == [] and single.rows[0].values.position_department == sport

"""A parsed postulate list checked against the database, read only: every problem of every row
as (row, column, reason), so editors can fix the sheet in one go."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from core.control_characters import forbidden_character_message
from core.scoping import answering_department_ids
from core.slugs import polish_slugify
from departments.models import Department
from files.spreadsheets import is_blank
from organisations.models import Organisation
from postulates.importing.columns import (
    ANSWERED_ON,
    ANSWERING_DEPARTMENT,
    AREA,
    COLUMNS,
    COMMITMENT,
    COMMITMENT_DUE_ON,
    COMMITMENT_FULFILLED_ON,
    CONTENT,
    JUSTIFICATION,
    MAX_CONTENT_CHARS,
    NUMBER,
    ORGANISATION,
    OUTCOME,
    RESPONSIBLE_DEPARTMENT,
    fold,
)
from postulates.importing.parsing import ParsedSheet
from postulates.importing.suggestions import (
    ClosestNames,
    SimilarOrganisations,
    did_you_mean,
    quoted_list,
)
from postulates.importing.workbook import EXAMPLE_CONTENT
from postulates.models import Outcome, PublicTaskArea

# PositiveIntegerField's upper bound on PostgreSQL; SQLite would not complain, PostgreSQL would.
MAX_NUMBER = 2_147_483_647
ORGANISATION_NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length


class RowError(NamedTuple):
    column: str  # the column's label, e.g. "Nr"
    reason: str


@dataclass
class RowValues:
    """A row's values as they will be saved; organisations not yet in the database by name."""

    number: int | None = None
    content: str = ""
    organisation: Organisation | None = None
    new_organisation_name: str = ""
    area: PublicTaskArea | None = None
    responsible_department: Department | None = None
    outcome: Outcome | None = None
    justification: str = ""
    answering_department: Department | None = None
    answered_on: datetime.date | None = None
    commitment: str = ""
    commitment_due_on: datetime.date | None = None
    commitment_fulfilled_on: datetime.date | None = None

    @property
    def position_department(self):
        return self.answering_department or self.responsible_department


@dataclass
class RowResult:
    row_number: int  # the spreadsheet's row number
    values: RowValues = field(default_factory=RowValues)
    errors: list[RowError] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # the cells as written, for the preview
    # An existing organisation the new one's name nearly repeats: saved as new all the same.
    similar_organisation: Organisation | None = None

    @property
    def is_valid(self):
        return not self.errors

    @property
    def creates_organisation(self):
        return bool(self.values.new_organisation_name)

    def errors_for(self, column):
        return [error.reason for error in self.errors if error.column == column.label]


@dataclass
class ImportPreview:
    meeting_id: int
    sheet: ParsedSheet
    rows: list[RowResult]

    @property
    def file_errors(self):
        return self.sheet.errors

    @property
    def warnings(self):
        """The file's warnings and the rows': worth reading, but the import may go ahead."""
        return [
            *self.sheet.warnings,
            *self._example_row_warnings(),
            *self._similar_organisation_warnings(),
        ]

    def _example_row_warnings(self):
        return [
            f"Wiersz {row.row_number} to przykład ze wzoru pliku – usuń go, zanim zatwierdzisz "
            "import, bo inaczej zapisze się jako postulat."
            for row in self.rows
            if row.values.content == EXAMPLE_CONTENT
        ]

    def _similar_organisation_warnings(self):
        rows_by_name, similar = defaultdict(list), {}
        for row in self.rows:
            if row.similar_organisation is not None:
                name = row.values.new_organisation_name
                rows_by_name[name].append(str(row.row_number))
                similar[name] = row.similar_organisation
        return [
            f"Nowa organizacja „{name}” ({'wiersz' if len(rows) == 1 else 'wiersze'} "
            f"{', '.join(rows)}) – podobna do istniejącej "
            f"„{similar[name].name}”. Jeśli to ta sama, wpisz jej nazwę tak jak w archiwum; "
            "inaczej zostanie dodana jako nowa."
            for name, rows in rows_by_name.items()
        ]

    @property
    def is_valid(self):
        return bool(self.rows) and not self.file_errors and all(row.is_valid for row in self.rows)

    @property
    def valid_row_count(self):
        return sum(1 for row in self.rows if row.is_valid)

    @property
    def invalid_row_count(self):
        return len(self.rows) - self.valid_row_count

    @property
    def errors(self):
        """Every row error as (row number, column, reason), in sheet order."""
        return [(row.row_number, *error) for row in self.rows for error in row.errors]

    @property
    def position_count(self):
        return sum(1 for row in self.rows if row.values.outcome is not None)

    @property
    def new_organisation_names(self):
        names = {}
        for row in self.rows:
            name = row.values.new_organisation_name
            if name:
                names.setdefault(organisation_key(name), name)
        return list(names.values())


class CellError(Exception):
    """A cell's value cannot be used; the message says why, in Polish."""


@dataclass
class Lookups:
    """Everything a row is matched against, loaded once per validation."""

    meeting_department_ids: set[int]
    # The departments the importing editor may answer for; None: any (a coordinator).
    answering_department_ids: frozenset[int] | None
    taken_numbers: set[int]
    organisations: dict[str, Organisation]
    areas: dict[str, list[PublicTaskArea]]
    outcomes: dict[str, list[Outcome]]
    departments: dict[str, list[Department]]
    # The departments an editor most likely means: their own, then the meeting's.
    context_departments: list[Department]
    closest_areas: ClosestNames
    closest_outcomes: ClosestNames
    closest_departments: ClosestNames

    @classmethod
    def load(cls, meeting, user=None):
        organisations = {}
        # Lowest pk wins, so duplicates already in the database resolve the same way each time.
        for organisation in Organisation.objects.order_by("-pk").only("pk", "name", "slug"):
            organisations[organisation_key(organisation.name)] = organisation
        areas, outcomes = list(PublicTaskArea.objects.all()), list(Outcome.objects.all())
        departments = list(Department.objects.only("pk", "name", "slug", "abbreviation"))
        meeting_department_ids = set(meeting.departments.values_list("pk", flat=True))
        answering_ids = answering_department_ids(user) if user else None
        by_pk = {department.pk: department for department in departments}
        context_ids = sorted(answering_ids or (), key=lambda pk: by_pk[pk].name)
        context_ids += sorted(
            meeting_department_ids - set(context_ids), key=lambda pk: by_pk[pk].name
        )
        return cls(
            meeting_department_ids=meeting_department_ids,
            answering_department_ids=answering_ids,
            taken_numbers=set(meeting.postulates.values_list("number", flat=True)),
            organisations=organisations,
            areas=_index(areas, "name", "slug"),
            outcomes=_index(outcomes, "name", "slug"),
            departments=_index(departments, "name", "slug", "abbreviation"),
            context_departments=[by_pk[pk] for pk in context_ids],
            closest_areas=ClosestNames(area.name for area in areas),
            closest_outcomes=ClosestNames(outcome.name for outcome in outcomes),
            closest_departments=ClosestNames(
                name for d in departments for name in (d.name, d.abbreviation)
            ),
        )

    @cached_property
    def similar_organisations(self):
        # Built only once a file names an organisation the archive lacks.
        return SimilarOrganisations(self.organisations.values())

    @cached_property
    def department_examples(self):
        """How to write the departments in context, e.g. „Wydział Kultury” lub „WK”; an
        abbreviation only where it names the department unambiguously."""
        examples = []
        for department in self.context_departments:
            spellings = [department.name]
            if department.abbreviation and self.resolve_department(department.abbreviation) == [
                department
            ]:
                spellings.append(department.abbreviation)
            examples.append(quoted_list(spellings))
        return "; ".join(examples)

    def resolve_department(self, text):
        """The departments `text` names; of several, the one the meeting names, if just one."""
        matches = _vocabulary_match(text, self.departments)
        if len(matches) > 1:
            # A renamed department keeps its abbreviation: prefer the name the meeting used.
            at_meeting = [d for d in matches if d.pk in self.meeting_department_ids]
            if len(at_meeting) == 1:
                return at_meeting
        return matches


def _index(records, *attributes):
    """Folded name, slug, ... -> the records carrying it (several when ambiguous)."""
    index = defaultdict(list)
    for record in records:
        keys = {fold(getattr(record, attribute)) for attribute in attributes}
        for key in keys - {""}:
            index[key].append(record)
    return index


def organisation_key(name):
    # The brief: organisations match by name case-insensitively (not diacritics-insensitively:
    # "Żak" and "Zak" may well be two different associations).
    return " ".join(name.casefold().split())


def validate(parsed, meeting, user=None):
    """One RowResult per data row; reads the database, never writes to it. With `user`, an
    answer may speak only for a department the user edits (Position.speaks_for)."""
    lookups = Lookups.load(meeting, user)
    rows = [_validate_row(row, lookups) for row in parsed.rows]
    _flag_numbers_repeated_in_file(rows)
    return ImportPreview(meeting_id=meeting.pk, sheet=parsed, rows=rows)


def _validate_row(row, lookups):
    result = RowResult(row_number=row.row_number)
    values = result.values
    for column in COLUMNS:
        result.texts[column.key] = _display_text(row.get(column))

    def check(column, parser, *extra):
        try:
            return parser(row.get(column), *extra)
        except CellError as problem:
            result.errors.append(RowError(column.label, str(problem)))
            return None

    values.number = check(NUMBER, _parse_number, lookups.taken_numbers)
    values.content = check(CONTENT, _parse_content) or ""
    organisation = check(ORGANISATION, _parse_organisation, lookups.organisations)
    if organisation is not None:
        values.organisation, values.new_organisation_name = organisation
        if values.new_organisation_name:
            result.similar_organisation = lookups.similar_organisations.to(
                values.new_organisation_name
            )
    values.area = check(AREA, _parse_area, lookups)
    values.responsible_department = check(RESPONSIBLE_DEPARTMENT, _parse_department, lookups)
    values.outcome = check(OUTCOME, _parse_outcome, lookups)
    values.justification = check(JUSTIFICATION, _parse_optional_text) or ""
    values.answering_department = check(ANSWERING_DEPARTMENT, _parse_department, lookups)
    values.answered_on = check(ANSWERED_ON, _parse_date)
    values.commitment = check(COMMITMENT, _parse_optional_text) or ""
    values.commitment_due_on = check(COMMITMENT_DUE_ON, _parse_date)
    values.commitment_fulfilled_on = check(COMMITMENT_FULFILLED_ON, _parse_date)
    _require_outcome_for_position_details(row, result)
    _require_commitment_for_its_dates(row, result)
    _name_the_answering_department(row, result, lookups)
    _require_own_answering_department(result, lookups)
    return result


def _name_the_answering_department(row, result, lookups):
    """An answer speaks for a department. A row naming neither the answering nor the
    responsible department answers for the importing editor's department or, imported by a
    coordinator, for the meeting's, when there is just one; otherwise the row must name it."""
    values = result.values
    named = (row.get(ANSWERING_DEPARTMENT), row.get(RESPONSIBLE_DEPARTMENT))
    if values.outcome is None or any(_display_text(cell) for cell in named):
        return
    allowed = lookups.answering_department_ids
    if allowed is None:
        candidates = [
            d for d in lookups.context_departments if d.pk in lookups.meeting_department_ids
        ]
    else:
        candidates = [d for d in lookups.context_departments if d.pk in allowed]
    if len(candidates) == 1:
        values.answering_department = candidates[0]
        result.texts[ANSWERING_DEPARTMENT.key] = candidates[0].name
        return
    result.errors.append(
        RowError(
            ANSWERING_DEPARTMENT.label,
            "Podaj, który wydział odpowiada na postulat"
            + (f": {quoted_list([d.name for d in candidates])}." if candidates else "."),
        )
    )


def _require_own_answering_department(result, lookups):
    department = result.values.position_department
    allowed = lookups.answering_department_ids
    if result.values.outcome is None or department is None or allowed is None:
        return
    if department.pk not in allowed:
        own = [d.name for d in lookups.context_departments if d.pk in allowed]
        result.errors.append(
            RowError(
                ANSWERING_DEPARTMENT.label,
                f"Odpowiedź może wydać tylko Twój wydział, a nie „{department.name}”: wpisz "
                f"w tej kolumnie {quoted_list(own) or 'swój wydział'} albo poproś "
                "koordynatora o import.",
            )
        )


def _require_outcome_for_position_details(row, result):
    details = [
        column.label
        for column in (
            JUSTIFICATION,
            ANSWERED_ON,
            ANSWERING_DEPARTMENT,
            COMMITMENT,
            COMMITMENT_DUE_ON,
            COMMITMENT_FULFILLED_ON,
        )
        if not is_blank(row.get(column))
    ]
    if details and is_blank(row.get(OUTCOME)):
        result.errors.append(
            RowError(
                OUTCOME.label,
                "Podaj rozstrzygnięcie: bez niego nie można zapisać stanowiska "
                f"(wypełniono: {', '.join(details)}).",
            )
        )


def _require_commitment_for_its_dates(row, result):
    dated = [
        column.label
        for column in (COMMITMENT_DUE_ON, COMMITMENT_FULFILLED_ON)
        if not is_blank(row.get(column))
    ]
    if dated and is_blank(row.get(COMMITMENT)):
        result.errors.append(
            RowError(
                COMMITMENT.label,
                "Opisz zobowiązanie: termin i data wykonania dotyczą zobowiązania "
                f"(wypełniono: {', '.join(dated)}).",
            )
        )


def _flag_numbers_repeated_in_file(rows):
    rows_by_number = defaultdict(list)
    for row in rows:
        if row.values.number is not None:
            rows_by_number[row.values.number].append(row)
    for number, repeated in rows_by_number.items():
        if len(repeated) < 2:
            continue
        row_numbers = ", ".join(str(row.row_number) for row in repeated)
        for row in repeated:
            row.errors.append(
                RowError(
                    NUMBER.label, f"Numer {number} powtarza się w pliku (wiersze {row_numbers})."
                )
            )


# --- Cell parsers: each returns the value to save or raises CellError ------------------------


def _display_text(value):
    """A cell as the editor wrote it, for showing next to its error."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text(value):
    """A cell's text with line endings unified; control characters are an error, not stripped."""
    text = _display_text(value).replace("\r\n", "\n").replace("\r", "\n")
    if message := forbidden_character_message(text):
        raise CellError(message)
    return text


def _parse_number(value, taken_numbers):
    if is_blank(value):
        raise CellError("Podaj numer postulatu.")
    if isinstance(value, bool):
        raise CellError("Numer postulatu musi być liczbą całkowitą większą od zera.")
    if isinstance(value, int | float):
        number = int(value) if float(value).is_integer() else None
    else:
        # Lists are often numbered "1.", "2.", ...
        text = _text(value).removesuffix(".")
        number = int(text) if re.fullmatch(r"[0-9]+", text) else None
    if number is None or number < 1:
        raise CellError(
            f"„{_display_text(value)}” nie jest poprawnym numerem: podaj liczbę całkowitą "
            "większą od zera."
        )
    if number > MAX_NUMBER:
        raise CellError(f"Numer {number} jest za duży.")
    if number in taken_numbers:
        raise CellError(f"To spotkanie ma już postulat nr {number}.")
    return number


def _parse_content(value):
    content = _text(value)
    if not content:
        raise CellError("Podaj treść postulatu.")
    if len(content) > MAX_CONTENT_CHARS:
        raise CellError(
            f"Treść ma {len(content)} znaków; dopuszczalne jest najwyżej {MAX_CONTENT_CHARS}."
        )
    return content


def _parse_optional_text(value):
    return _text(value)


# What editors write instead of a private person's name; such rows have no organisation.
_PRIVATE_PERSON_CELLS = {
    fold(text)
    for text in (
        "osoba prywatna",
        "osoba fizyczna",
        "osoby prywatne",
        "osoby fizyczne",
        "mieszkaniec",
        "mieszkanka",
        "mieszkańcy",
    )
}
# Next to other text these mean someone named a private person, e.g. "Jan Nowak (osoba prywatna)".
_PRIVATE_PERSON_HINTS = tuple(fold(text) for text in ("osoba prywatna", "osoba fizyczna"))


def _parse_organisation(value, organisations):
    """(existing organisation, "") or (None, name of the organisation to create); None if empty."""
    name = " ".join(_text(value).split())
    if not name:
        return None
    folded = fold(name)
    if folded in _PRIVATE_PERSON_CELLS:
        return None
    if any(hint in folded for hint in _PRIVATE_PERSON_HINTS):
        raise CellError(
            "Wygląda na dane osoby prywatnej – tych nie publikujemy. Zostaw komórkę pustą, "
            "jeśli postulat zgłosiła osoba prywatna."
        )
    if len(name) > ORGANISATION_NAME_MAX_LENGTH:
        raise CellError(
            f"Nazwa organizacji może mieć najwyżej {ORGANISATION_NAME_MAX_LENGTH} znaków."
        )
    existing = organisations.get(organisation_key(name))
    return (existing, "") if existing else (None, name)


def _vocabulary_match(text, index):
    """Records whose folded name or slug equals the text, also when the text is a slugified name."""
    return index.get(fold(text)) or index.get(polish_slugify(text)) or []


def _with_suggestion(text, closest):
    suggestion = did_you_mean(closest.to(text))
    return f" {suggestion}" if suggestion else ""


def _parse_area(value, lookups):
    text = _text(value)
    if not text:
        return None
    matches = _vocabulary_match(text, lookups.areas)
    if len(matches) != 1:
        raise CellError(
            f"Nie ma sfery zadań publicznych „{text}”."
            f"{_with_suggestion(text, lookups.closest_areas)} Listę sfer prowadzi redakcja: "
            "użyj nazwy z tej listy (jest pod formularzem) albo poproś redakcję o dopisanie nowej."
        )
    return matches[0]


def _parse_outcome(value, lookups):
    text = _text(value)
    if not text:
        return None
    matches = _vocabulary_match(text, lookups.outcomes)
    if len(matches) != 1:
        raise CellError(
            f"Nie ma rozstrzygnięcia „{text}”.{_with_suggestion(text, lookups.closest_outcomes)} "
            "Listę rozstrzygnięć prowadzi redakcja: użyj nazwy z tej listy (jest pod formularzem)."
        )
    return matches[0]


def _parse_department(value, lookups):
    text = _text(value)
    if not text:
        return None
    matches = lookups.resolve_department(text)
    if len(matches) > 1:
        names = "; ".join(sorted(department.name for department in matches))
        raise CellError(f"„{text}” pasuje do kilku wydziałów ({names}); podaj pełną nazwę.")
    if not matches:
        examples = lookups.department_examples
        raise CellError(
            f"Nie ma wydziału ani jednostki „{text}”."
            f"{_with_suggestion(text, lookups.closest_departments)} Podaj pełną nazwę lub skrót "
            "jednostki z listy pod formularzem"
            + (f" (np. {examples})" if examples else "")
            + " albo poproś redakcję o dopisanie jednostki."
        )
    return matches[0]


_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = map(int, match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = map(int, match.groups())
    else:
        raise CellError(
            f"„{text}” nie jest datą w formacie DD.MM.RRRR (np. 05.03.2025) ani RRRR-MM-DD."
        )
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise CellError(f"Data „{text}” nie istnieje w kalendarzu.") from error

"""The columns of a postulate list, as the template names them and as editors may head them."""

import unicodedata
from dataclasses import dataclass

from files.spreadsheets import spaced

MAX_CONTENT_CHARS = 10_000


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header of the template, and the name errors refer to
    aliases: tuple[str, ...] = ()
    required: bool = False
    help_text: str = ""


NUMBER = Column(
    "number",
    "Nr",
    ("numer", "lp", "l.p."),
    required=True,
    help_text="numer postulatu na liście, liczba całkowita większa od zera",
)
CONTENT = Column(
    "content",
    "Treść postulatu",
    ("treść", "postulat"),
    required=True,
    help_text=f"treść postulatu, najwyżej {spaced(MAX_CONTENT_CHARS)} znaków",
)
ORGANISATION = Column(
    "organisation",
    "Organizacja",
    ("zgłaszający", "organizacja zgłaszająca"),
    help_text="nazwa organizacji zgłaszającej; pusta, gdy zgłosiła osoba prywatna",
)
AREA = Column(
    "area",
    "Sfera",
    ("sfera zadań publicznych", "obszar"),
    help_text="sfera zadań publicznych z listy prowadzonej przez redakcję",
)
RESPONSIBLE_DEPARTMENT = Column(
    "responsible_department",
    "Wydział właściwy",
    ("wydział",),
    help_text="nazwa lub skrót wydziału właściwego dla postulatu",
)
OUTCOME = Column(
    "outcome",
    "Rozstrzygnięcie",
    ("stanowisko", "ocena"),
    help_text="np. „uwzględniony”; wymagane, jeśli podano uzasadnienie lub datę stanowiska",
)
JUSTIFICATION = Column("justification", "Uzasadnienie", help_text="uzasadnienie stanowiska")
ANSWERING_DEPARTMENT = Column(
    "answering_department",
    "Wydział odpowiadający",
    help_text="wydział, który zajął stanowisko; pusty, gdy to wydział właściwy",
)
ANSWERED_ON = Column(
    "answered_on",
    "Data stanowiska",
    ("data",),
    help_text="w formacie DD.MM.RRRR lub RRRR-MM-DD",
)
COMMITMENT = Column(
    "commitment",
    "Zobowiązanie",
    ("zobowiązanie miasta",),
    help_text="co Miasto zobowiązało się zrobić; puste, gdy nic",
)
COMMITMENT_DUE_ON = Column(
    "commitment_due_on",
    "Termin zobowiązania",
    ("termin",),
    help_text="w formacie DD.MM.RRRR lub RRRR-MM-DD; wymaga opisu zobowiązania",
)
COMMITMENT_FULFILLED_ON = Column(
    "commitment_fulfilled_on",
    "Data wykonania zobowiązania",
    ("data wykonania",),
    help_text="w formacie DD.MM.RRRR lub RRRR-MM-DD; puste, dopóki nie wykonano",
)

COLUMNS = (
    NUMBER,
    CONTENT,
    ORGANISATION,
    AREA,
    RESPONSIBLE_DEPARTMENT,
    OUTCOME,
    JUSTIFICATION,
    ANSWERING_DEPARTMENT,
    ANSWERED_ON,
    COMMITMENT,
    COMMITMENT_DUE_ON,
    COMMITMENT_FULFILLED_ON,
)
TEMPLATE_HEADERS = tuple(column.label for column in COLUMNS)

# ł has no Unicode decomposition, so NFKD alone would keep it; map it by hand.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L"})


def fold(text):
    """Case-, whitespace- and diacritics-insensitive form of `text`, for matching names."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def _header_key(text):
    # Editors mark required columns with "*" or end headers with ":"; neither changes meaning.
    return fold(text).strip(" :*")


_COLUMN_BY_HEADER = {
    _header_key(name): column for column in COLUMNS for name in (column.label, *column.aliases)
}


def column_for_header(text):
    """The column a header cell names, or None."""
    return _COLUMN_BY_HEADER.get(_header_key(text))

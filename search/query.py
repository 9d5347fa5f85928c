"""Reading a query as people type it: besides words, it may name a year ("kultury 2025"), a
programme ("RPW 2026", "program współpracy 2026") or a department by its abbreviation
("MOPS"). Those become filters, as if chosen in the form, and the page says so: as words they
would find nothing (a year is rarely in the text) or the wrong thing."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from departments.models import Department
from meetings.models import ArchiveYear
from programmes.models import Programme
from search.text import fold, query_words

YEAR = re.compile(r"^(19|20)\d\d$")
PROGRAMME = "program"  # as every programme's title calls it, folded


@dataclass
class ReadQuery:
    words: list  # (term, word as typed) left to match in the text
    year: int | None = None
    programme: Programme | None = None
    department: Department | None = None
    recognised: list = field(default_factory=list)  # what became a filter, for the reader


def _programme_named(words, year):
    """The published programme `words` name with `year`: by its short name ("rpw"), or by
    words of its title ("program wspolpracy"); an annual programme before a multiannual one."""
    if not words:
        return None
    candidates = Programme.objects.published().filter(first_year__lte=year, last_year__gte=year)
    for programme in sorted(candidates, key=lambda p: p.kind != Programme.Kind.ANNUAL):
        short = [word for word in fold(programme.short_name).split() if not YEAR.match(word)]
        title = fold(programme.title).split()
        terms = [term for term, _word in query_words(" ".join(words))]
        # Words of the title only with the word "program" itself: "krakow 2025" is a year.
        by_title = any(PROGRAMME.startswith(term) for term in terms) and all(
            any(known.startswith(term) for known in title) for term in terms
        )
        if words == short or by_title:
            return programme
    return None


def _department_named(words, departments):
    """The one of `departments` whose name (any it was known by: a former name is a
    department of its own, whose records belonging_to counts with its successor's) holds
    `words`, at least two, one after another: "spraw spolecznych" names the Wydział Spraw
    Społecznych, and its meetings, postulates and answers, not every text saying "sprawy" and
    "społecznej". A run several names share names none."""
    if len(words) < 2:
        return None
    found = []
    for department in departments:
        name = fold(department.name).split()
        if any(name[start : start + len(words)] == words for start in range(len(name))):
            found.append(department)
    return found[0] if len(found) == 1 else None


def read_query(text, *, year=None, department=None):
    """`text` as words and filters; a filter chosen in the form (`year`, `department`) is
    kept, and a word naming the same kind of filter stays a word."""
    words = fold(text).split()
    read = ReadQuery(words=[])
    years = [word for word in words if YEAR.match(word)]
    if year is None and len(years) == 1:
        found = int(years[0])
        others = [word for word in words if word != years[0]]
        read.programme = _programme_named(others, found)
        if read.programme is not None:
            words = []
            read.recognised.append(_("program %(name)s") % {"name": read.programme})
        elif ArchiveYear.objects.published().filter(year=found).exists():
            words = others
            read.year = found
            read.recognised.append(_("rok %(year)s") % {"year": found})
    if department is None and words:
        departments = list(Department.objects.published())
        by_abbreviation = {
            fold(department.abbreviation).strip(): department
            for department in departments
            if department.abbreviation
        }
        named = [word for word in words if word in by_abbreviation]
        if len(named) == 1:
            read.department = by_abbreviation[named[0]]
            words = [word for word in words if word != named[0]]
            read.recognised.append(read.department.name)  # as the department filter shows it
        else:
            read.department = _department_named(words, departments)
            if read.department is not None:
                words = []
                read.recognised.append(read.department.name)
    read.words = query_words(" ".join(words))
    return read

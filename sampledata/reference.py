"""What meetings and postulates draw on: years, areas, outcomes, departments (with a rename
chain and a takeover), organisations, annual programmes and each year's rounds with their
documents. Real rows among them (years, areas, outcomes, programmes) are reused, never changed."""

import json
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q

from core.slugs import polish_slugify
from departments.models import Department, DepartmentChange
from meetings.models import ArchiveYear, Document, Round
from organisations.models import Organisation
from postulates.models import Outcome, PublicTaskArea
from programmes.models import Programme
from sampledata import words
from sampledata.words import MARKER

# How often each outcome category answers a postulate.
OUTCOME_WEIGHTS = {
    Outcome.Category.ACCEPTED: 30,
    Outcome.Category.PARTLY_ACCEPTED: 20,
    Outcome.Category.REJECTED: 25,
    Outcome.Category.PENDING: 10,
    Outcome.Category.NEUTRAL: 15,
}


@dataclass
class ReferenceData:
    years: range
    hidden_years: list[int]  # real draft years: their sample content stays hidden with them
    areas: list[PublicTaskArea]
    topic_areas: dict  # {Topic: the areas that fit it}
    outcomes: list[Outcome]
    outcome_weights: list[int]
    departments: list[Department]
    departments_by_year: dict  # {year: the departments under the name they had then}
    organisations: list[Organisation]
    programmes: dict  # {year: its annual programme}
    rounds: dict  # {year: {"consultation": Round, "quarterly": Round}}

    def active_departments(self, year):
        return self.departments_by_year[year] or self.departments


def create_reference_data(run, years, organisation_count):
    hidden_years = ensure_years(run, years)
    areas = ensure_areas(run)
    outcomes = ensure_outcomes(run)
    departments, coordinators = create_departments(run, years)
    organisations = create_organisations(run, years, organisation_count)
    programmes = ensure_programmes(run, years)
    rounds = create_rounds(run, years, programmes, coordinators)
    create_round_documents(run, rounds)
    return ReferenceData(
        years=years,
        hidden_years=hidden_years,
        areas=areas,
        # Which areas fit each topic, so a sport postulate rarely lands in "pomoc społeczna".
        topic_areas={
            topic: [a for a in areas if any(h in a.name.lower() for h in topic.area_hints)] or areas
            for topic in words.TOPICS
        },
        outcomes=outcomes,
        outcome_weights=[OUTCOME_WEIGHTS.get(o.category, 5) for o in outcomes],
        departments=departments,
        departments_by_year={year: [d for d in departments if named_in(d, year)] for year in years},
        organisations=organisations,
        programmes=programmes,
        rounds=rounds,
    )


def named_in(department, year):
    """Whether `department` went by its name in `year`."""
    return (department.name_used_from or 0) <= year <= (department.name_used_until or 9999)


def ensure_years(run, years):
    """Adds the missing years; returns the existing ones that are not public."""
    existing = set(ArchiveYear.objects.filter(year__in=years).values_list("year", flat=True))
    new = [
        ArchiveYear(
            year=year,
            intro=MARKER + words.YEAR_INTRO.format(year=year),
            **run.published(date(year, 1, 2), random_time=False),
        )
        for year in years
        if year not in existing
    ]
    run.insert(ArchiveYear, new, "lata")
    public = set(
        ArchiveYear.objects.published().filter(year__in=years).values_list("year", flat=True)
    )
    return sorted(existing - public)


def english_names(model):
    """{Polish name: English name} of `model`'s entries in the vocabularies the real archive
    loads (fixtures/vocabularies.json): sample vocabularies get the same English names, so the
    English pages of the sample data name outcomes and areas in English."""
    label = model._meta.label_lower
    with open(settings.BASE_DIR / "fixtures" / "vocabularies.json", encoding="utf-8") as file:
        entries = json.load(file)
    return {
        entry["fields"]["name"]: entry["fields"].get("name_en", "")
        for entry in entries
        if entry["model"] == label
    }


def ensure_areas(run):
    areas = list(PublicTaskArea.objects.all())
    if not areas:
        english = english_names(PublicTaskArea)
        areas = [
            PublicTaskArea.objects.create(name=name, name_en=english[name], order=order)
            for order, name in enumerate(words.FALLBACK_AREAS, start=1)
        ]
        run.count("sfery", len(areas))
        run.written_models.add(PublicTaskArea)
    return areas


def ensure_outcomes(run):
    outcomes = list(Outcome.objects.all())
    if not outcomes:
        english = english_names(Outcome)
        outcomes = [
            Outcome.objects.create(name=name, name_en=english[name], category=category, order=order)
            for order, (name, category) in enumerate(words.FALLBACK_OUTCOMES, start=1)
        ]
        run.count("rozstrzygnięcia", len(outcomes))
        run.written_models.add(Outcome)
    return outcomes


def create_departments(run, years):
    """The departments, and the rename chain that coordinates the rounds."""
    first, last = years[0], years[-1]
    span = last - first + 1
    # A range too short to hold both renames gets them just before it starts.
    renamed_in = (first + span // 3, first + 2 * span // 3) if span >= 3 else (first - 3, first)
    periods = (
        (None, renamed_in[0] - 1),
        (renamed_in[0], renamed_in[1] - 1),
        (renamed_in[1], None),
    )
    start_day = date(first, 1, 2)
    specs = [
        (name, abbreviation, kind, None, None)
        for name, abbreviation, kind in words.STABLE_DEPARTMENTS
    ]
    specs += [
        (name, abbreviation, Department.Kind.CITY_HALL, since, until)
        for (name, abbreviation), (since, until) in zip(words.RENAME_CHAIN, periods, strict=True)
    ]
    specs.append((*words.TAKEN_OVER, Department.Kind.CITY_UNIT, None, renamed_in[0] - 1))
    departments = [
        Department(
            name=f"{MARKER}{name}",
            slug=run.slug(name, 255),
            abbreviation=abbreviation,
            kind=kind,
            name_used_from=since,
            name_used_until=until,
            **run.published(start_day),
        )
        for name, abbreviation, kind, since, until in specs
    ]
    run.save_all(Department, departments, ("slug",), Q(slug__startswith=run.prefix), "wydziały")
    chain = departments[len(words.STABLE_DEPARTMENTS) : len(words.STABLE_DEPARTMENTS) + 3]
    rename, takeover = DepartmentChange.Kind.RENAME, DepartmentChange.Kind.TAKEOVER
    changes = [
        DepartmentChange(
            predecessor=predecessor, successor=successor, kind=kind, year=year, note=MARKER + note
        )
        for predecessor, successor, kind, year, note in (
            (chain[0], chain[1], rename, renamed_in[0], words.RENAME_NOTES[0]),
            (chain[1], chain[2], rename, renamed_in[1], words.RENAME_NOTES[1]),
            (departments[-1], chain[1], takeover, renamed_in[0], words.TAKEOVER_NOTE),
        )
    ]
    run.insert(DepartmentChange, changes, "zmiany wydziałów")
    return departments, chain


def organisation_name(rng):
    roll = rng.random()
    if roll < 0.05:
        return (
            f"Koło Naukowe {rng.choice(words.UNIVERSITY_CIRCLES)} {rng.choice(words.UNIVERSITIES)}",
            Organisation.Kind.UNIVERSITY,
        )
    if roll < 0.10:
        return (
            f"Grupa nieformalna {rng.choice(words.ORGANISATION_NICKNAMES)}",
            Organisation.Kind.OTHER,
        )
    parts = [rng.choice(words.ORGANISATION_FORMS), rng.choice(words.ORGANISATION_CAUSES)]
    if rng.random() < 0.5:
        parts.append(rng.choice(words.ORGANISATION_NICKNAMES))
    if rng.random() < 0.3:
        parts.append(rng.choice(words.ORGANISATION_HOMES))
    return " ".join(parts), Organisation.Kind.NGO


def create_organisations(run, years, number):
    organisations = []
    seen = set()
    for index in range(1, number + 1):
        name, kind = organisation_name(run.rng)
        if name in seen:
            # Duplicate names would be confusing on the organisation list.
            name = f"{name} (oddział {index})"
        seen.add(name)
        organisations.append(
            Organisation(
                name=f"{MARKER}{name}",
                slug=run.slug(f"{index}-{name}", 255),
                kind=kind,
                **run.published(run.random_day(years[0])),
            )
        )
    scope = Q(slug__startswith=run.prefix)
    return run.save_all(Organisation, organisations, ("slug",), scope, "organizacje")


def ensure_programmes(run, years):
    # Meetings of year Y prepare the annual programme for Y + 1.
    programme_years = range(years[0] + 1, years[-1] + 2)
    programmes = {
        p.first_year: p
        for p in Programme.objects.filter(
            kind=Programme.Kind.ANNUAL,
            first_year__in=programme_years,
            last_year__in=programme_years,
        )
        if p.first_year == p.last_year
    }
    new = [
        Programme(
            title=MARKER + words.PROGRAMME_TITLE.format(year=year),
            short_name=words.PROGRAMME_SHORT_NAME.format(year=year),
            slug=run.slug(f"rpw-{year}", 100),
            kind=Programme.Kind.ANNUAL,
            first_year=year,
            last_year=year,
            **run.published(date(year - 1, 11, 28), random_time=False),
        )
        for year in programme_years
        if year not in programmes
    ]
    run.save_all(Programme, new, ("slug",), Q(slug__startswith=run.prefix), "programy")
    programmes.update((p.first_year, p) for p in new)
    return programmes


def coordinator(coordinators, year):
    """The department of the rename chain that went by its name in `year`."""
    return next((d for d in coordinators if named_in(d, year)), coordinators[-1])


def create_rounds(run, years, programmes, coordinators):
    rounds = {}
    for year in years:
        coordinating = coordinator(coordinators, year)
        consultation_title = words.CONSULTATION_ROUND.format(next=year + 1)
        quarterly_title = words.QUARTERLY_ROUND.format(year=year)
        rounds[year] = {
            "consultation": Round(
                year_id=year,
                title=f"{MARKER}{consultation_title}",
                slug=run.slug(consultation_title, 200),
                programme=programmes[year + 1],
                coordinator=coordinating,
                description=MARKER + words.CONSULTATION_ROUND_DESCRIPTION.format(next=year + 1),
                **run.published(date(year, 3, 1)),
            ),
            "quarterly": Round(
                year_id=year,
                title=f"{MARKER}{quarterly_title}",
                slug=run.slug(quarterly_title, 200),
                coordinator=coordinating,
                description=MARKER + words.QUARTERLY_ROUND_DESCRIPTION.format(year=year),
                **run.published(date(year, 1, 15)),
            ),
        }
    objects = [r for pair in rounds.values() for r in pair.values()]
    run.save_all(Round, objects, ("year_id", "slug"), Q(slug__startswith=run.prefix), "cykle")
    return rounds


def create_round_documents(run, rounds):
    """Each round's rules, schedule or city position, as a round's page lists them; none
    dated after today."""
    documents = []
    for year, pair in rounds.items():
        for round_, specs, day in (
            (pair["consultation"], words.CONSULTATION_DOCUMENTS, date(year, 3, 1)),
            (pair["quarterly"], words.QUARTERLY_DOCUMENTS, date(year, 1, 15)),
        ):
            for order, (kind, template) in enumerate(specs, start=1):
                published_on = date(year, 11, 20) if kind == Document.Kind.CITY_POSITION else day
                if published_on > run.today:
                    continue
                title = template.format(year=year, next=year + 1)
                documents.append(
                    Document(
                        round=round_,
                        kind=kind,
                        title=f"{MARKER}{title}",
                        slug=polish_slugify(f"{order}-{title}", max_length=200),
                        order=order,
                        **run.published(published_on),
                    )
                )
    run.insert(Document, documents, "dokumenty")

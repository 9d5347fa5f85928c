"""Generate clearly marked sample data of any size for demos and benchmarks.

Every row this command creates has is_sample=True, a visible "[PRZYKŁAD] " marker in its
title, name or content, and a slug starting with "przyklad-r<run>-", so a human (and a
DELETE ... WHERE is_sample) can always tell it from the real archive. Real rows are never
modified: existing archive years, programmes, areas and outcomes are only reused.
"""

import random
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.db.models.functions import Substr
from django.utils import timezone

from core.publishing import Status
from core.slugs import polish_slugify
from departments.models import Department, DepartmentChange
from meetings.models import (
    ArchiveYear,
    Document,
    Meeting,
    MeetingDate,
    MeetingDepartment,
    MeetingParticipant,
    Round,
)
from organisations.models import Organisation
from postulates.models import Outcome, Position, Postulate, PublicTaskArea
from programmes.models import Programme

MARKER = "[PRZYKŁAD] "
SLUG_ROOT = "przyklad-r"
RUN_DIGITS = 4
BATCH_SIZE = 2000
# Postulates and documents are written per group of meetings, so memory stays flat at any
# size and the no-RETURNING fallback can re-query a group with a small `meeting_id IN (...)`
# (SQLite allows only 999 parameters per query).
MEETINGS_PER_GROUP = 500
DEFAULT_YEARS = "2015-2026"
YEAR_LIMITS = (1990, 2100)
YEARS_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?$")


# --- Word lists -------------------------------------------------------------------------
# Real-looking Polish with diacritics and inflected forms, so full-text search, stemming
# and ranking have something realistic to work on.


@dataclass(frozen=True)
class Topic:
    nominative: str  # for titles: "Spotkanie branżowe: kultura i dziedzictwo"
    genitive: str  # "w obszarze kultury", "postulatów dotyczących kultury"
    things: tuple[str, ...]  # genitive objects: "Postulujemy zwiększenie <thing>"
    area_hints: tuple[str, ...]  # lowercase fragments of matching PublicTaskArea names


TOPICS = (
    Topic(
        "dotacje i konkursy ofert",
        "dotacji i konkursów ofert",
        (
            "środków na małe granty",
            "terminów rozliczania dotacji",
            "wymaganego wkładu własnego",
            "procedury składania ofert w generatorze",
            "konkursów wieloletnich",
        ),
        ("organizacje pozarządowe",),
    ),
    Topic(
        "lokale miejskie dla organizacji",
        "lokali użytkowych",
        (
            "stawek czynszu w lokalach miejskich",
            "puli lokali przeznaczonych dla organizacji",
            "remontów lokali użytkowych",
            "dostępu do sal w centrach obywatelskich",
        ),
        ("organizacje pozarządowe", "wspólnot"),
    ),
    Topic(
        "ekologia i zieleń miejska",
        "ekologii i ochrony przyrody",
        (
            "nasadzeń drzew na osiedlach",
            "programu ogrodów społecznościowych",
            "edukacji ekologicznej w szkołach",
            "ochrony terenów zielonych",
            "opieki nad bezdomnymi zwierzętami",
        ),
        ("ekologia",),
    ),
    Topic(
        "kultura i dziedzictwo",
        "kultury",
        (
            "oferty kulturalnej w dzielnicach",
            "mecenatu nad kulturą niezależną",
            "festiwali organizowanych przez organizacje",
            "dostępu do sal widowiskowych",
            "ochrony zabytków i pamiątek",
        ),
        ("sztuka",),
    ),
    Topic(
        "sport powszechny",
        "sportu i rekreacji",
        (
            "zajęć sportowych dla dzieci",
            "dostępu do boisk szkolnych",
            "wsparcia klubów sportowych",
            "imprez biegowych i rowerowych",
        ),
        ("kultury fizycznej",),
    ),
    Topic(
        "polityka senioralna",
        "seniorów",
        (
            "miejsc w klubach seniora",
            "zniżek w ramach Krakowskiej Karty Seniora",
            "zajęć ruchowych dla seniorów",
            "pomocy sąsiedzkiej dla osób starszych",
        ),
        ("emerytalnym",),
    ),
    Topic(
        "aktywność młodzieży",
        "młodzieży",
        (
            "młodzieżowych rad dzielnic",
            "oferty zajęć pozaszkolnych",
            "wsparcia psychologicznego dla młodzieży",
            "wypoczynku letniego dzieci i młodzieży",
        ),
        ("młodzieży", "dziecka"),
    ),
    Topic(
        "wolontariat",
        "wolontariatu",
        (
            "szkoleń dla wolontariuszy",
            "ubezpieczenia wolontariuszy",
            "promocji wolontariatu w szkołach",
            "nagród dla wolontariuszek i wolontariuszy",
        ),
        ("wolontariatu",),
    ),
    Topic(
        "zdrowie publiczne",
        "ochrony zdrowia",
        (
            "programów profilaktyki zdrowotnej",
            "wsparcia zdrowia psychicznego",
            "przeciwdziałania uzależnieniom",
        ),
        ("zdrowia", "uzależnieniom"),
    ),
    Topic(
        "pomoc społeczna",
        "pomocy społecznej",
        (
            "miejsc w noclegowniach i ogrzewalniach",
            "streetworkingu",
            "mieszkań treningowych",
            "pomocy żywnościowej",
        ),
        ("pomoc społeczna", "wykluczeniem", "charytatywna"),
    ),
    Topic(
        "integracja cudzoziemców",
        "cudzoziemców",
        (
            "kursów języka polskiego",
            "punktów informacyjnych dla cudzoziemców",
            "tłumaczeń materiałów urzędowych",
        ),
        ("cudzoziemców",),
    ),
    Topic(
        "osoby z niepełnosprawnościami",
        "osób z niepełnosprawnościami",
        (
            "transportu dla osób z niepełnosprawnościami",
            "dostępności budynków miejskich",
            "asystencji osobistej",
        ),
        ("niepełnosprawnościami",),
    ),
    Topic(
        "rewitalizacja dzielnic",
        "rewitalizacji",
        (
            "programów rewitalizacji podwórek",
            "inicjatyw lokalnych mieszkańców",
            "współpracy z radami dzielnic",
        ),
        ("rewitalizacja", "wspólnot"),
    ),
    Topic(
        "turystyka i krajoznawstwo",
        "turystyki",
        (
            "szlaków turystycznych po dzielnicach",
            "promocji Krakowa poza sezonem",
            "rajdów i wycieczek krajoznawczych",
        ),
        ("turystyka",),
    ),
)

ACTIONS = (
    "zwiększenie",
    "uproszczenie",
    "przyspieszenie",
    "rozszerzenie",
    "zabezpieczenie",
    "ujednolicenie",
    "wydłużenie",
    "zmianę zasad",
    "przegląd",
    "dofinansowanie",
    "stałe finansowanie",
    "lepszą promocję",
    "uruchomienie",
)
OPENINGS = (
    "Postulujemy",
    "Wnosimy o",
    "Proponujemy",
    "Prosimy o",
    "Organizacje postulują",
    "Wnioskujemy o",
    "Rekomendujemy",
)
BENEFICIARIES = (
    "seniorów",
    "młodzieży",
    "dzieci i rodzin",
    "osób z niepełnosprawnościami",
    "osób w kryzysie bezdomności",
    "cudzoziemców",
    "wolontariuszy",
    "małych stowarzyszeń",
    "grup nieformalnych",
    "mieszkańców osiedli",
)
DISTRICTS = (
    "w Nowej Hucie",
    "w Podgórzu",
    "na Kazimierzu",
    "w Bronowicach",
    "na Krowodrzy",
    "w Prądniku Białym",
    "w Dębnikach",
    "na Zwierzyńcu",
    "w Bieżanowie-Prokocimiu",
    "w Czyżynach",
    "w Łagiewnikach-Borku Fałęckim",
    "w Mistrzejowicach",
    "na Starym Mieście",
    "w Grzegórzkach",
    "w Swoszowicach",
)
POSTULATE_REASONS = (
    "Podobne postulaty zgłaszano już w {previous} r., jednak nie zostały one uwzględnione.",
    "To jeden z kilku postulatów dotyczących {genitive} zgłoszonych podczas spotkania.",
    "Zapotrzebowanie na działania w obszarze {genitive} rośnie z roku na rok.",
    "Organizacje zwracają uwagę na rosnące koszty i brak stabilnego finansowania.",
    "Postulat poparło {supporters} organizacji obecnych na spotkaniu.",
    "Obecne procedury są zbyt skomplikowane dla małych stowarzyszeń i grup nieformalnych.",
    "Zgłaszający podkreślają znaczenie współpracy z radami dzielnic i jednostkami miejskimi.",
    "Brakuje rzetelnej informacji o dostępnych formach wsparcia dla {beneficiary}.",
    "Realizacja postulatu wymagałaby zmiany zapisów programu współpracy na rok {programme}.",
    "Wśród postulatów zgłoszonych w {year} r. ten powtarzał się najczęściej.",
)
JUSTIFICATIONS = {
    Outcome.Category.ACCEPTED: (
        "Postulat uwzględniono w projekcie programu współpracy na rok {programme}.",
        "Wydział zaplanował odpowiednie środki w budżecie na kolejny rok.",
        "Zadanie zostanie ujęte w konkursach ofert ogłaszanych w obszarze {genitive}.",
    ),
    Outcome.Category.PARTLY_ACCEPTED: (
        "Postulat uwzględniono częściowo: środki zostaną zwiększone w mniejszym zakresie.",
        "Część postulatów dotyczących {genitive} zostanie zrealizowana w ramach "
        "istniejących programów.",
        "Miasto przeprowadzi pilotaż rozwiązania w jednej dzielnicy.",
    ),
    Outcome.Category.REJECTED: (
        "Postulatu nie uwzględniono ze względu na ograniczenia budżetowe.",
        "Proponowane rozwiązanie wykracza poza kompetencje gminy.",
        "Obowiązujące przepisy nie pozwalają na wprowadzenie proponowanej zmiany.",
    ),
    Outcome.Category.PENDING: (
        "Postulat jest analizowany; odpowiedź zostanie przekazana po zakończeniu prac "
        "nad budżetem.",
        "Wydział przygotowuje analizę kosztów realizacji postulatu.",
    ),
    Outcome.Category.NEUTRAL: (
        "Wyjaśnienia udzielono podczas spotkania.",
        "Sprawa nie należy do zakresu programu współpracy; przekazano ją do właściwej jednostki.",
    ),
}
OUTCOME_WEIGHTS = {
    Outcome.Category.ACCEPTED: 30,
    Outcome.Category.PARTLY_ACCEPTED: 20,
    Outcome.Category.REJECTED: 25,
    Outcome.Category.PENDING: 10,
    Outcome.Category.NEUTRAL: 15,
}
TRAININGS = (
    "rozliczanie dotacji i sprawozdania z realizacji zadań",
    "składanie ofert w generatorze wniosków",
    "ochrona danych osobowych w organizacjach",
    "pozyskiwanie środków z funduszy europejskich",
    "księgowość małej organizacji",
    "prawa i obowiązki wolontariuszy",
    "inicjatywa lokalna i mikrogranty",
    "dostępność zadań publicznych dla osób ze szczególnymi potrzebami",
)
OTHER_FORMATS = ("Forum organizacji pozarządowych", "Debata", "Warsztaty", "Spacer badawczy")
PLACES = (
    "sala obrad Urzędu Miasta Krakowa",
    "Centrum Obywatelskie, sala konferencyjna",
    "Dom Kultury w Podgórzu",
    "Nowohuckie Centrum Kultury",
    "Klub Seniora na Krowodrzy",
    "Młodzieżowy Dom Kultury",
    "Biblioteka Kraków, filia w Bronowicach",
)
QUARTERS = ("I", "II", "III", "IV")

ORGANISATION_FORMS = (
    "Fundacja",
    "Stowarzyszenie",
    "Towarzystwo",
    "Klub Sportowy",
    "Uczniowski Klub Sportowy",
    "Koło Gospodyń Miejskich",
    "Spółdzielnia Socjalna",
    "Fundacja Rozwoju",
    "Stowarzyszenie Przyjaciół",
    "Związek Stowarzyszeń",
)
ORGANISATION_CAUSES = (
    "Seniorów",
    "Młodzieży Krakowskiej",
    "Aktywnych Sąsiadów",
    "Ochrony Przyrody",
    "Kultury Niezależnej",
    "Pomocy Bliźniemu",
    "Osób z Niepełnosprawnościami",
    "Wolontariuszy",
    "Ekologicznego Krakowa",
    "Zdrowego Stylu Życia",
    "Dzieci i Rodzin",
    "Sportu Powszechnego",
    "Edukacji Obywatelskiej",
    "Przyjaciół Zwierząt",
    "Dialogu Międzykulturowego",
)
ORGANISATION_NICKNAMES = (
    "„Zielony Zakątek”",
    "„Razem”",
    "„Nadzieja”",
    "„Wisła”",
    "„Krokus”",
    "„Kopiec”",
    "„Lajkonik”",
    "„Sowiniec”",
    "„Źródło”",
    "„Przystań”",
)
ORGANISATION_HOMES = ("z Nowej Huty", "z Podgórza", "z Bronowic", "z Krowodrzy", "z Dębnik")
UNIVERSITY_CIRCLES = ("Pracy Socjalnej", "Ekologii Miasta", "Ekonomii Społecznej", "Socjologii")
UNIVERSITIES = (
    "Uniwersytetu Jagiellońskiego",
    "Akademii Górniczo-Hutniczej",
    "Uniwersytetu Ekonomicznego",
    "Uniwersytetu Komisji Edukacji Narodowej",
)

# (name, abbreviation, kind) of departments whose name never changes.
STABLE_DEPARTMENTS = (
    ("Wydział Kultury i Dziedzictwa Narodowego", "KD", Department.Kind.CITY_HALL),
    ("Wydział Sportu", "SP", Department.Kind.CITY_HALL),
    ("Wydział Edukacji", "ED", Department.Kind.CITY_HALL),
    ("Wydział Kształtowania Środowiska", "WS", Department.Kind.CITY_HALL),
    ("Zarząd Zieleni Miejskiej", "ZZM", Department.Kind.CITY_UNIT),
    ("Miejski Ośrodek Pomocy Społecznej", "MOPS", Department.Kind.CITY_UNIT),
    ("Centrum Obywatelskie Nowa Huta", "CO-NH", Department.Kind.CIVIC_CENTRE),
)
# One department renamed twice, so lineage() and the "formerly known as" pages have data.
RENAME_CHAIN = (
    ("Wydział Spraw Społecznych", "SS"),
    ("Wydział Polityki Społecznej i Zdrowia", "PZ"),
    ("Wydział Polityki Społecznej, Równości i Zdrowia", "PRZ"),
)
TAKEN_OVER = ("Biuro ds. Ochrony Zdrowia", "BZ")

# Used only when the vocabulary tables are empty (e.g. a fresh benchmark database): names
# follow art. 4 of the act, so they are not marked as samples.
FALLBACK_AREAS = (
    "Pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej",
    "Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego",
    "Wspieranie i upowszechnianie kultury fizycznej",
    "Ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego",
    "Działalność na rzecz osób w wieku emerytalnym",
    "Wypoczynek dzieci i młodzieży",
    "Promocja i organizacja wolontariatu",
    "Ochrona i promocja zdrowia",
)
FALLBACK_OUTCOMES = (
    ("uwzględniony", Outcome.Category.ACCEPTED),
    ("częściowo uwzględniony", Outcome.Category.PARTLY_ACCEPTED),
    ("nieuwzględniony", Outcome.Category.REJECTED),
    ("do dalszej analizy", Outcome.Category.PENDING),
    ("wyjaśnienie / informacja", Outcome.Category.NEUTRAL),
)

MEETING_KIND_WEIGHTS = {
    Meeting.Kind.SECTOR: 40,
    Meeting.Kind.CONSULTATION: 20,
    Meeting.Kind.QUARTERLY: 10,
    Meeting.Kind.INFORMATION: 8,
    Meeting.Kind.INFORMATION_TRAINING: 6,
    Meeting.Kind.TRAINING: 10,
    Meeting.Kind.OTHER: 6,
}
# Meetings that prepare next year's programme belong to the year's consultation round.
PROGRAMME_KINDS = {Meeting.Kind.SECTOR, Meeting.Kind.CONSULTATION}


@dataclass
class MeetingPlan:
    """What was decided for one meeting before it has a primary key."""

    meeting: Meeting
    topic: Topic
    dates: list[date]
    reference_day: date  # first date, or a notional day for meetings without dates
    departments: list[Department]
    participants: list[Organisation]
    postulate_count: int = 0
    documents: dict[str, Document] = field(default_factory=dict)


def parse_years(value):
    """'2015-2026' or '2020' -> range; CommandError with a readable message otherwise."""
    match = YEARS_PATTERN.match(value or "")
    if not match:
        raise CommandError(
            "--years: podaj zakres lat w postaci 2015-2026 albo jeden rok, np. 2020 "
            f"(podano {value!r})."
        )
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first > last:
        raise CommandError(
            f"--years: pierwszy rok nie może być późniejszy niż ostatni (podano {value!r})."
        )
    low, high = YEAR_LIMITS
    if first < low or last > high:
        raise CommandError(
            f"--years: lata muszą mieścić się między {low} a {high} (podano {value!r})."
        )
    return range(first, last + 1)


def slug_with(prefix, text, max_length):
    # The unique part sits at the front, so truncating the descriptive tail never makes
    # two slugs equal.
    return polish_slugify(f"{prefix}{text}", max_length=max_length)


class Command(BaseCommand):
    help = (
        "Generates clearly marked sample data (is_sample=True, titles prefixed with "
        "'[PRZYKŁAD] ') of any size for demos and benchmarks. Existing real rows are only "
        "reused, never changed; running it again adds another independent batch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=100, help="number of meetings")
        parser.add_argument("--postulates", type=int, default=1000, help="number of postulates")
        parser.add_argument(
            "--organisations", type=int, default=300, help="number of sample organisations"
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed, for repeatable content"
        )
        parser.add_argument(
            "--years",
            default=DEFAULT_YEARS,
            help=f"year range of the meetings, e.g. {DEFAULT_YEARS} or 2024",
        )

    def handle(self, *args, **options):
        for name in ("meetings", "postulates", "organisations"):
            if options[name] < 0:
                raise CommandError(
                    f"--{name}: liczba nie może być ujemna (podano {options[name]})."
                )
        if options["postulates"] and not options["meetings"]:
            raise CommandError(
                "--postulates: postulaty wymagają co najmniej jednego spotkania "
                "(--meetings 1 lub więcej)."
            )
        years = parse_years(options["years"])
        seed = options["seed"]
        if seed is None:
            # Still print a seed, so an interesting random run can be repeated.
            seed = random.SystemRandom().randrange(2**31)

        started = time.perf_counter()
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.counts = {}
        with transaction.atomic():
            self.run = self.next_run_number()
            self.prefix = f"{SLUG_ROOT}{self.run:0{RUN_DIGITS}d}-"
            self.generate(years, options)
            # bulk_create skips save(), which keeps each record's search text.
            call_command("update_search_text", only_missing=True, stdout=StringIO())
        self.refresh_statistics()
        elapsed = time.perf_counter() - started

        counts = ", ".join(f"{label}: {number}" for label, number in self.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Utworzono dane przykładowe (seria {self.run}, ziarno {seed}) — {counts} "
                f"— w {elapsed:.1f} s."
            )
        )

    # --- Orchestration -------------------------------------------------------------------

    def generate(self, years, options):
        self.years = years
        self.ensure_years(years)
        self.areas = self.ensure_areas()
        self.outcomes = self.ensure_outcomes()
        self.departments = self.create_departments(years)
        self.organisations = self.create_organisations(options["organisations"])
        self.programmes = self.ensure_programmes(years)
        self.rounds = self.create_rounds(years)
        plans = self.create_meetings(years, options["meetings"])
        self.distribute_postulates(plans, options["postulates"])
        self.count("dokumenty", 0)
        self.count("postulaty", 0)
        self.count("stanowiska", 0)
        for start in range(0, len(plans), MEETINGS_PER_GROUP):
            group = plans[start : start + MEETINGS_PER_GROUP]
            self.create_documents(group)
            self.create_postulates(group)

    def refresh_statistics(self):
        """Let PostgreSQL's planner see the rows just loaded.

        Until autovacuum gets round to it (never, where it is switched off), the planner
        believes the tables are still empty: Position.objects.published().count() over
        100,000 sample postulates ran for over ten minutes instead of milliseconds.
        SQLite plans these queries well without statistics, so it is left alone.
        """
        if connection.vendor != "postgresql":
            return
        models = (
            ArchiveYear,
            Department,
            DepartmentChange,
            Organisation,
            Programme,
            Round,
            Meeting,
            MeetingDate,
            MeetingDepartment,
            MeetingParticipant,
            Document,
            PublicTaskArea,
            Outcome,
            Postulate,
            Position,
        )
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")

    def count(self, label, number):
        self.counts[label] = self.counts.get(label, 0) + number

    def next_run_number(self):
        """One more than the highest run number found in any sample slug."""
        pattern = rf"^{SLUG_ROOT}[0-9]{{{RUN_DIGITS}}}-"
        start = len(SLUG_ROOT) + 1
        highest = 0
        for model in (Department, Organisation, Programme, Round, Meeting):
            # Comparing only the fixed-width digits keeps MAX() independent of collation.
            value = (
                model.objects.filter(slug__regex=pattern)
                .aggregate(run=Max(Substr("slug", start, RUN_DIGITS)))
                .get("run")
            )
            if value:
                highest = max(highest, int(value))
        if highest >= 10**RUN_DIGITS - 1:
            raise CommandError(
                "Za dużo serii danych przykładowych w bazie; usuń starsze dane przykładowe."
            )
        return highest + 1

    def save_all(self, model, objects, key_fields, scope):
        """bulk_create, making sure every object ends up with its primary key.

        PostgreSQL and SQLite >= 3.35 return the new ids; other backends do not, so the
        rows are looked up again by a natural key unique within `scope`.
        """
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        if objects and objects[0].pk is None:
            ids = {
                tuple(row[:-1]): row[-1]
                for row in model.objects.filter(scope).values_list(*key_fields, "pk")
            }
            for obj in objects:
                obj.pk = ids[tuple(getattr(obj, name) for name in key_fields)]
        return objects

    def moment(self, day, random_time=True):
        """An aware datetime on `day` in office hours, never later than now.

        Rows that a run may or may not create, depending on what the database already
        holds (years, programmes), pass random_time=False: drawing from the generator for
        them would shift every later draw and make the same seed give different content.
        """
        if random_time:
            at = clock(self.rng.randint(8, 17), self.rng.choice((0, 15, 30, 45)))
        else:
            at = clock(9)
        return min(datetime.combine(day, at, tzinfo=self.tz), self.now)

    def published(self, day, random_time=True, **fields):
        """Field values every created Publishable row shares."""
        return {
            "status": Status.PUBLISHED,
            "published_at": self.moment(day, random_time),
            "is_sample": True,
            **fields,
        }

    # --- Reference data ------------------------------------------------------------------

    def ensure_years(self, years):
        existing = set(ArchiveYear.objects.filter(year__in=years).values_list("year", flat=True))
        new = [
            ArchiveYear(
                year=year,
                intro=(
                    f"{MARKER}Spotkania i postulaty z roku {year} wygenerowane do demonstracji "
                    "archiwum. To nie są prawdziwe dane Urzędu Miasta Krakowa."
                ),
                **self.published(date(year, 1, 2), random_time=False),
            )
            for year in years
            if year not in existing
        ]
        ArchiveYear.objects.bulk_create(new, batch_size=BATCH_SIZE)
        self.count("lata", len(new))
        public = set(
            ArchiveYear.objects.published().filter(year__in=years).values_list("year", flat=True)
        )
        hidden = sorted(existing - public)
        if hidden:
            # Real years are never touched, so their sample content stays hidden with them.
            self.stdout.write(
                self.style.WARNING(
                    "Lata niepublikowane (pozostawione bez zmian, ich dane przykładowe nie "
                    f"będą widoczne publicznie): {', '.join(map(str, hidden))}."
                )
            )

    def ensure_areas(self):
        areas = list(PublicTaskArea.objects.all())
        if not areas:
            areas = [
                PublicTaskArea.objects.create(name=name, order=order)
                for order, name in enumerate(FALLBACK_AREAS, start=1)
            ]
            self.count("sfery", len(areas))
        # Which areas fit each topic, so a sport postulate rarely lands in "pomoc społeczna".
        self.topic_areas = {
            topic: [a for a in areas if any(h in a.name.lower() for h in topic.area_hints)] or areas
            for topic in TOPICS
        }
        return areas

    def ensure_outcomes(self):
        outcomes = list(Outcome.objects.all())
        if not outcomes:
            outcomes = [
                Outcome.objects.create(name=name, category=category, order=order)
                for order, (name, category) in enumerate(FALLBACK_OUTCOMES, start=1)
            ]
            self.count("rozstrzygnięcia", len(outcomes))
        self.outcome_weights = [OUTCOME_WEIGHTS.get(o.category, 5) for o in outcomes]
        return outcomes

    def create_departments(self, years):
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
            for name, abbreviation, kind in STABLE_DEPARTMENTS
        ]
        specs += [
            (name, abbreviation, Department.Kind.CITY_HALL, since, until)
            for (name, abbreviation), (since, until) in zip(RENAME_CHAIN, periods, strict=True)
        ]
        specs.append((*TAKEN_OVER, Department.Kind.CITY_UNIT, None, renamed_in[0] - 1))
        departments = [
            Department(
                name=f"{MARKER}{name}",
                slug=slug_with(self.prefix, name, 255),
                abbreviation=abbreviation,
                kind=kind,
                name_used_from=since,
                name_used_until=until,
                **self.published(start_day),
            )
            for name, abbreviation, kind, since, until in specs
        ]
        self.save_all(Department, departments, ("slug",), Q(slug__startswith=self.prefix))
        chain = departments[len(STABLE_DEPARTMENTS) : len(STABLE_DEPARTMENTS) + 3]
        self.coordinators = chain
        changes = [
            DepartmentChange(
                predecessor=chain[0],
                successor=chain[1],
                kind=DepartmentChange.Kind.RENAME,
                year=renamed_in[0],
                note=f"{MARKER}Zmiana nazwy po reorganizacji Urzędu.",
            ),
            DepartmentChange(
                predecessor=chain[1],
                successor=chain[2],
                kind=DepartmentChange.Kind.RENAME,
                year=renamed_in[1],
                note=f"{MARKER}Zmiana nazwy i rozszerzenie zakresu o sprawy równości.",
            ),
            DepartmentChange(
                predecessor=departments[-1],
                successor=chain[1],
                kind=DepartmentChange.Kind.TAKEOVER,
                year=renamed_in[0],
                note=f"{MARKER}Zadania biura przejął wydział.",
            ),
        ]
        DepartmentChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
        self.count("wydziały", len(departments))
        self.count("zmiany wydziałów", len(changes))
        self.departments_by_year = {
            year: [
                d
                for d in departments
                if (d.name_used_from or 0) <= year <= (d.name_used_until or 9999)
            ]
            for year in years
        }
        return departments

    def organisation_name(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            return (
                f"Koło Naukowe {rng.choice(UNIVERSITY_CIRCLES)} {rng.choice(UNIVERSITIES)}",
                Organisation.Kind.UNIVERSITY,
            )
        if roll < 0.10:
            return (
                f"Grupa nieformalna {rng.choice(ORGANISATION_NICKNAMES)}",
                Organisation.Kind.OTHER,
            )
        parts = [rng.choice(ORGANISATION_FORMS), rng.choice(ORGANISATION_CAUSES)]
        if rng.random() < 0.5:
            parts.append(rng.choice(ORGANISATION_NICKNAMES))
        if rng.random() < 0.3:
            parts.append(rng.choice(ORGANISATION_HOMES))
        return " ".join(parts), Organisation.Kind.NGO

    def create_organisations(self, number):
        organisations = []
        seen = set()
        for index in range(1, number + 1):
            name, kind = self.organisation_name()
            if name in seen:
                # Duplicate names would be confusing on the organisation list.
                name = f"{name} (oddział {index})"
            seen.add(name)
            organisations.append(
                Organisation(
                    name=f"{MARKER}{name}",
                    slug=slug_with(self.prefix, f"{index}-{name}", 255),
                    kind=kind,
                    **self.published(self.random_day(self.years[0])),
                )
            )
        self.save_all(Organisation, organisations, ("slug",), Q(slug__startswith=self.prefix))
        self.count("organizacje", len(organisations))
        return organisations

    def ensure_programmes(self, years):
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
                title=(
                    f"{MARKER}Program współpracy Gminy Miejskiej Kraków z organizacjami "
                    f"pozarządowymi na rok {year}"
                ),
                short_name=f"RPW {year} (przykład)",
                slug=slug_with(self.prefix, f"rpw-{year}", 100),
                kind=Programme.Kind.ANNUAL,
                first_year=year,
                last_year=year,
                **self.published(date(year - 1, 11, 28), random_time=False),
            )
            for year in programme_years
            if year not in programmes
        ]
        self.save_all(Programme, new, ("slug",), Q(slug__startswith=self.prefix))
        programmes.update((p.first_year, p) for p in new)
        self.count("programy", len(new))
        return programmes

    def create_rounds(self, years):
        rounds = {}
        for year in years:
            coordinator = self.coordinator(year)
            consultation_title = f"Konsultacje projektu programu współpracy na rok {year + 1}"
            quarterly_title = f"Spotkania kwartalne z organizacjami w roku {year}"
            rounds[year] = {
                "consultation": Round(
                    year_id=year,
                    title=f"{MARKER}{consultation_title}",
                    slug=slug_with(self.prefix, consultation_title, 200),
                    programme=self.programmes[year + 1],
                    coordinator=coordinator,
                    description=(
                        f"{MARKER}Cykl spotkań branżowych, na których organizacje zgłaszały "
                        f"postulaty do programu współpracy na rok {year + 1}."
                    ),
                    **self.published(date(year, 3, 1)),
                ),
                "quarterly": Round(
                    year_id=year,
                    title=f"{MARKER}{quarterly_title}",
                    slug=slug_with(self.prefix, quarterly_title, 200),
                    coordinator=coordinator,
                    description=f"{MARKER}Regularne spotkania informacyjne w roku {year}.",
                    **self.published(date(year, 1, 15)),
                ),
            }
        objects = [r for pair in rounds.values() for r in pair.values()]
        self.save_all(Round, objects, ("year_id", "slug"), Q(slug__startswith=self.prefix))
        self.count("cykle", len(objects))
        return rounds

    def coordinator(self, year):
        for department in self.coordinators:
            if (department.name_used_from or 0) <= year <= (department.name_used_until or 9999):
                return department
        return self.coordinators[-1]

    # --- Meetings --------------------------------------------------------------------------

    def last_day(self, year):
        # Meetings of the current year have already happened: no postulates from the future.
        if year == self.today.year:
            return self.today
        return date(year, 12, 31)

    def random_day(self, year):
        start = date(year, 1, 1)
        day = start + timedelta(days=self.rng.randrange((self.last_day(year) - start).days + 1))
        # Meetings happen on working days; move weekends to the previous Friday when possible.
        if day.weekday() >= 5:
            friday = day - timedelta(days=day.weekday() - 4)
            if friday.year == year:
                day = friday
        return day

    def meeting_title(self, kind, topic, year, day):
        rng = self.rng
        if kind == Meeting.Kind.CONSULTATION:
            return (
                "Spotkanie informacyjno-konsultacyjne w sprawie programu współpracy na rok "
                f"{year + 1}: {topic.nominative}"
            )
        if kind == Meeting.Kind.QUARTERLY:
            quarter = QUARTERS[(day.month - 1) // 3]
            return f"Spotkanie kwartalne – {quarter} kwartał {year}: {topic.nominative}"
        if kind == Meeting.Kind.TRAINING:
            return f"Szkolenie: {rng.choice(TRAININGS)}"
        if kind == Meeting.Kind.INFORMATION_TRAINING:
            return f"Spotkanie informacyjno-szkoleniowe: {rng.choice(TRAININGS)}"
        if kind == Meeting.Kind.INFORMATION:
            return f"Spotkanie informacyjne o konkursach ofert w obszarze {topic.genitive}"
        if kind == Meeting.Kind.OTHER:
            return f"{rng.choice(OTHER_FORMATS)} – {topic.nominative} {rng.choice(DISTRICTS)}"
        return f"Spotkanie branżowe: {topic.nominative}"

    def meeting_topic(self, topic, year):
        rng = self.rng
        sentences = [
            f"Podczas spotkania omówiono sprawy dotyczące {topic.genitive} "
            f"{rng.choice(DISTRICTS)}.",
            rng.choice(
                (
                    f"Organizacje zgłosiły postulaty do programu współpracy na rok {year + 1}.",
                    f"Wydział przedstawił wyniki konkursów ofert ogłoszonych w {year} r.",
                    f"Rozmawiano o potrzebach {rng.choice(BENEFICIARIES)} i dostępności "
                    "lokali miejskich.",
                    f"Przedstawiono harmonogram prac nad programem na rok {year + 1}.",
                )
            ),
        ]
        return MARKER + " ".join(sentences)

    def create_meetings(self, years, number):
        rng = self.rng
        kinds = list(MEETING_KIND_WEIGHTS)
        kind_weights = list(MEETING_KIND_WEIGHTS.values())
        plans = []
        for _ in range(number):
            year = rng.choice(years)
            kind = rng.choices(kinds, kind_weights)[0]
            topic = rng.choice(TOPICS)
            day = self.random_day(year)
            dates = []
            if rng.random() >= 0.05:  # a few archive meetings have no recorded date
                dates.append(day)
                if rng.random() < 0.25:
                    second = day + timedelta(days=rng.randint(1, 14))
                    if second <= self.last_day(year):
                        dates.append(second)
            round_ = None
            programme = None
            if kind in PROGRAMME_KINDS:
                programme = self.programmes[year + 1]
                if rng.random() < 0.7:
                    round_ = self.rounds[year]["consultation"]
            elif kind == Meeting.Kind.QUARTERLY:
                round_ = self.rounds[year]["quarterly"]
            is_online = rng.random() < 0.15
            place = "" if is_online or rng.random() < 0.1 else rng.choice(PLACES)
            active = self.departments_by_year[year] or self.departments
            departments = rng.sample(active, k=min(len(active), rng.choice((1, 1, 1, 2))))
            participants = []
            if self.organisations and rng.random() < 0.5:
                participants = rng.sample(
                    self.organisations, k=min(len(self.organisations), rng.randint(2, 8))
                )
            title = self.meeting_title(kind, topic, year, day)
            meeting = Meeting(
                year_id=year,
                round=round_,
                programme=programme,
                kind=kind,
                title=f"{MARKER}{title}",
                topic=self.meeting_topic(topic, year),
                place=place,
                is_online=is_online,
                # bulk_create skips MeetingDate.save(), which would otherwise keep this current.
                starts_on=min(dates) if dates else None,
                # Announced one to three weeks before the meeting.
                **self.published(day - timedelta(days=rng.randint(7, 21))),
            )
            plans.append(MeetingPlan(meeting, topic, dates, day, departments, participants))
        # Number meetings chronologically, so slugs and pks follow the calendar.
        plans.sort(key=lambda plan: (plan.meeting.year_id, plan.reference_day))
        for number_in_run, plan in enumerate(plans, start=1):
            plan.meeting.slug = slug_with(
                self.prefix, f"{number_in_run}-{plan.meeting.title[len(MARKER) :]}", 200
            )
        meetings = [plan.meeting for plan in plans]
        self.save_all(Meeting, meetings, ("year_id", "slug"), Q(slug__startswith=self.prefix))

        MeetingDate.objects.bulk_create(
            (MeetingDate(meeting=plan.meeting, date=day) for plan in plans for day in plan.dates),
            batch_size=BATCH_SIZE,
        )
        MeetingDepartment.objects.bulk_create(
            (
                MeetingDepartment(meeting=plan.meeting, department=department)
                for plan in plans
                for department in plan.departments
            ),
            batch_size=BATCH_SIZE,
        )
        MeetingParticipant.objects.bulk_create(
            (
                MeetingParticipant(meeting=plan.meeting, organisation=organisation)
                for plan in plans
                for organisation in plan.participants
            ),
            batch_size=BATCH_SIZE,
        )
        self.count("spotkania", len(meetings))
        self.count("terminy", sum(len(plan.dates) for plan in plans))
        self.count("wydziały spotkań", sum(len(plan.departments) for plan in plans))
        self.count("uczestnicy", sum(len(plan.participants) for plan in plans))
        return plans

    def distribute_postulates(self, plans, number):
        if not plans:
            return
        # Uneven weights: some meetings collect dozens of postulates, trainings almost none.
        weights = [
            0.05 if plan.meeting.kind == Meeting.Kind.TRAINING else self.rng.random() ** 2 + 0.01
            for plan in plans
        ]
        for index in self.rng.choices(range(len(plans)), weights, k=number):
            plans[index].postulate_count += 1

    # --- Documents, postulates, positions ---------------------------------------------------

    def create_documents(self, group):
        rng = self.rng
        documents = []
        for plan in group:
            if plan.postulate_count:
                kinds = [Document.Kind.POSTULATE_LIST]
                extra = [Document.Kind.DEPARTMENT_POSITION, Document.Kind.SUMMARY]
            else:
                kinds = [Document.Kind.SUMMARY]
                extra = [Document.Kind.MATERIALS, Document.Kind.RULES, Document.Kind.OTHER]
            kinds += rng.sample(extra, k=rng.randint(0, 2))
            short_title = plan.meeting.title[len(MARKER) :]
            for order, kind in enumerate(kinds, start=1):
                title = f"{kind.label[0].upper()}{kind.label[1:]} – {short_title}"
                document = Document(
                    meeting=plan.meeting,
                    kind=kind,
                    title=f"{MARKER}{title}"[:500],
                    slug=slug_with("", f"{order}-{title}", 200),
                    order=order,
                    **self.published(plan.reference_day + timedelta(days=rng.randint(1, 30))),
                )
                plan.documents[kind] = document
                documents.append(document)
        meeting_ids = [plan.meeting.pk for plan in group]
        self.save_all(Document, documents, ("meeting_id", "slug"), Q(meeting_id__in=meeting_ids))
        self.count("dokumenty", len(documents))

    def postulate_content(self, topic, year):
        rng = self.rng
        thing = rng.choice(topic.things)
        sentence = f"{rng.choice(OPENINGS)} {rng.choice(ACTIONS)} {thing}"
        # A draw happens either way, so the sequence (and the seed's output) stays stable.
        beneficiary = rng.choice(BENEFICIARIES)
        if rng.random() < 0.5 and " dla " not in thing:
            sentence += f" dla {beneficiary}"
        if rng.random() < 0.4:
            sentence += f" {rng.choice(DISTRICTS)}"
        reasons = rng.sample(POSTULATE_REASONS, k=rng.randint(1, 2))
        text = " ".join(
            [
                f"{sentence}.",
                *(
                    reason.format(
                        previous=year - 1,
                        year=year,
                        programme=year + 1,
                        genitive=topic.genitive,
                        beneficiary=rng.choice(BENEFICIARIES),
                        supporters=rng.randint(5, 24),
                    )
                    for reason in reasons
                ),
            ]
        )
        return f"{MARKER}{text}"

    def create_postulates(self, group):
        rng = self.rng
        postulates, topics = [], []
        for plan in group:
            year = plan.meeting.year_id
            active = self.departments_by_year[year] or self.departments
            for number in range(1, plan.postulate_count + 1):
                # Most postulates stay on the meeting's topic; some wander off.
                topic = plan.topic if rng.random() < 0.7 else rng.choice(TOPICS)
                if plan.participants and rng.random() < 0.6:
                    organisation = rng.choice(plan.participants)
                elif self.organisations and rng.random() < 0.75:
                    organisation = rng.choice(self.organisations)
                else:
                    organisation = None  # raised by a private person
                if rng.random() < 0.8:
                    area = rng.choice(self.topic_areas[topic])
                else:
                    area = rng.choice(self.areas)
                if rng.random() < 0.7:
                    department = rng.choice(plan.departments)
                else:
                    department = rng.choice(active)
                postulate = Postulate(
                    meeting=plan.meeting,
                    source_document=plan.documents.get(Document.Kind.POSTULATE_LIST),
                    number=number,
                    content=self.postulate_content(topic, year),
                    organisation=organisation,
                    area=area,
                    responsible_department=department,
                    programme=self.programmes[year + 1],
                    **self.published(plan.reference_day + timedelta(days=rng.randint(3, 40))),
                )
                postulates.append(postulate)
                topics.append(topic)
        meeting_ids = [plan.meeting.pk for plan in group]
        self.save_all(
            Postulate, postulates, ("meeting_id", "number"), Q(meeting_id__in=meeting_ids)
        )
        self.count("postulaty", len(postulates))
        self.create_positions(group, postulates, topics)

    def create_positions(self, group, postulates, topics):
        rng = self.rng
        plans = {plan.meeting.pk: plan for plan in group}
        positions = []
        for postulate, topic in zip(postulates, topics, strict=True):
            if rng.random() >= 0.85:
                continue  # still unanswered
            plan = plans[postulate.meeting_id]
            answered_on = plan.reference_day + timedelta(days=rng.randint(20, 150))
            if answered_on > self.today:
                continue  # no answers from the future
            outcome = rng.choices(self.outcomes, self.outcome_weights)[0]
            year = postulate.meeting.year_id
            templates = JUSTIFICATIONS.get(
                outcome.category, JUSTIFICATIONS[Outcome.Category.NEUTRAL]
            )
            justification = rng.choice(templates).format(
                programme=year + 1, genitive=topic.genitive
            )
            positions.append(
                Position(
                    postulate=postulate,
                    outcome=outcome,
                    justification=f"{MARKER}{justification}",
                    department=postulate.responsible_department,
                    answered_on=answered_on,
                    document=plan.documents.get(Document.Kind.DEPARTMENT_POSITION),
                    **self.published(answered_on + timedelta(days=rng.randint(0, 14))),
                )
            )
        Position.objects.bulk_create(positions, batch_size=BATCH_SIZE)
        self.count("stanowiska", len(positions))

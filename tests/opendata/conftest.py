import csv
import datetime
import io
import json
import zipfile

import pytest
from django.conf import settings
from django.utils import timezone

from core.publishing import Status
from meetings.models import Meeting
from tests.factories import (
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    PostulateLinkFactory,
    ProgrammeFactory,
    PublicTaskAreaFactory,
    RoundFactory,
)

# Every record the public must not see carries this word, so no export may contain it.
SECRET = "TAJNE"
DRAFT = {"status": Status.DRAFT, "published_at": None}


def scheduled():
    return {"published_at": timezone.now() + datetime.timedelta(days=3)}


def absolute(path):
    """The address exports give a path: at the site's origin (core.absolute_urls)."""
    return f"{settings.SITE_URL}{path}"


def body(response):
    return b"".join(response.streaming_content)


def read_csv(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def read_json(response):
    return json.loads(body(response).decode("utf-8"))


def read_zip(response):
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.testzip() is None
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


@pytest.fixture
def archive():
    """A small archive with Polish letters everywhere and, next to it, every way a record can
    be hidden: a draft, a scheduled publication, a published child of a draft parent, and a
    published record pointing to a draft it does not hang from."""
    years = {year: ArchiveYearFactory(year=year) for year in (2024, 2025)}
    old_culture = DepartmentFactory(name="Wydział Kultury i Dziedzictwa Narodowego")
    culture = DepartmentFactory(name="Wydział Kultury", abbreviation="KD")
    DepartmentChangeFactory(predecessor=old_culture, successor=culture, year=2024)
    environment = DepartmentFactory(name="Wydział Kształtowania Środowiska")
    area = PublicTaskAreaFactory(name="Ekologia i ochrona zwierząt oraz dziedzictwa przyrodniczego")
    accepted = OutcomeFactory(name="uwzględniony")
    rejected = OutcomeFactory(name="nieuwzględniony", category="nieuwzgledniony")
    programme = ProgrammeFactory(first_year=2026)
    round_ = RoundFactory(year=years[2025], title="Spotkania branżowe – czerwiec 2025")
    organisation = OrganisationFactory(name="Stowarzyszenie „Źródło” – Łódź i Kraków")

    zielen = MeetingFactory(
        year=years[2025],
        title="Spotkanie o zieleni: żółw, źrebię i łąki",
        departments=[environment, culture],
        dates=[datetime.date(2025, 6, 10), datetime.date(2025, 6, 11)],
        place="Centrum Obywatelskie, ul. Reymonta 20",
        topic="Zieleń miejska – pszczoły, łąki kwietne",
        round=round_,
        programme=programme,
    )
    zielen.participants.add(organisation)
    document = DocumentFactory(meeting=zielen, title="Podsumowanie spotkania – źródła")
    online = MeetingFactory(
        year=years[2024],
        title="Szkolenie online dla organizacji",
        kind=Meeting.Kind.TRAINING,
        departments=[old_culture],
        dates=[],
        is_online=True,
    )
    postulate = PostulateFactory(
        meeting=zielen,
        number=1,
        content="Więcej łąk kwietnych przy ulicach; żadnych koszeń w maju.",
        organisation=organisation,
        area=area,
        responsible_department=environment,
        programme=programme,
        source_document=document,
    )
    PositionFactory(
        postulate=postulate,
        outcome=rejected,
        justification="Najpierw: brak środków.",
        answered_on=datetime.date(2025, 8, 1),
        department=environment,
    )
    latest = PositionFactory(
        postulate=postulate,
        outcome=accepted,
        justification="Uwzględniono – łąki powstaną w 2026 r.",
        answered_on=datetime.date(2025, 9, 1),
        department=environment,
        document=document,
    )
    private = PostulateFactory(
        meeting=online, number=1, content="Postulat osoby prywatnej: ławki.", organisation=None
    )
    PostulateLinkFactory(from_postulate=private, to_postulate=postulate, kind="kontynuacja")

    # --- What must never appear -----------------------------------------------------------
    draft_year = ArchiveYearFactory(year=2023, **DRAFT, intro=SECRET)
    secret_department = DepartmentFactory(name=f"{SECRET} wydział", **DRAFT)
    DepartmentChangeFactory(predecessor=culture, successor=secret_department)
    secret_organisation = OrganisationFactory(name=f"{SECRET} fundacja", **DRAFT)
    secret_programme = ProgrammeFactory(first_year=2030, title=SECRET, short_name=SECRET, **DRAFT)
    secret_round = RoundFactory(year=years[2025], title=f"{SECRET} cykl", **DRAFT)
    hidden = [
        MeetingFactory(year=years[2025], title=f"{SECRET} szkic", departments=[culture], **DRAFT),
        MeetingFactory(
            year=years[2025], title=f"{SECRET} zaplanowane", departments=[culture], **scheduled()
        ),
        MeetingFactory(year=draft_year, title=f"{SECRET} w szkicu roku", departments=[culture]),
    ]
    for meeting in hidden:
        child = PostulateFactory(meeting=meeting, content=f"{SECRET} postulat", organisation=None)
        PositionFactory(postulate=child, justification=f"{SECRET} stanowisko")
        DocumentFactory(meeting=meeting, title=f"{SECRET} dokument")
    # Published records pointing to drafts they do not hang from.
    in_draft_round = MeetingFactory(
        year=years[2025],
        title="Spotkanie w cyklu, który jest szkicem",
        departments=[culture, secret_department],
        round=secret_round,
        programme=secret_programme,
    )
    in_draft_round.participants.add(secret_organisation)
    PostulateFactory(
        meeting=zielen,
        number=2,
        content="Postulat organizacji, której wpis jest szkicem.",
        organisation=secret_organisation,
        responsible_department=secret_department,
        programme=secret_programme,
    )
    # Draft and scheduled children of public parents.
    DocumentFactory(meeting=zielen, title=f"{SECRET} dokument szkic", **DRAFT)
    draft_postulate = PostulateFactory(
        meeting=zielen, number=3, content=f"{SECRET} postulat szkic", **DRAFT
    )
    PostulateLinkFactory(from_postulate=draft_postulate, to_postulate=postulate, kind="duplikat")
    PostulateFactory(meeting=zielen, number=4, content=f"{SECRET} zaplanowany", **scheduled())
    PositionFactory(
        postulate=postulate,
        outcome=rejected,
        justification=f"{SECRET} stanowisko szkic",
        answered_on=datetime.date(2025, 12, 1),
        department=secret_department,
        **DRAFT,
    )
    PositionFactory(
        postulate=private,
        justification="Stanowisko wydziału, który jest szkicem.",
        department=secret_department,
    )
    return {
        "years": years,
        "culture": culture,
        "old_culture": old_culture,
        "environment": environment,
        "organisation": organisation,
        "programme": programme,
        "round": round_,
        "zielen": zielen,
        "online": online,
        "in_draft_round": in_draft_round,
        "document": document,
        "postulate": postulate,
        "latest": latest,
        "private": private,
    }

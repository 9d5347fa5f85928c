"""Every filter of the meeting and postulate lists, alone and combined, on both databases:
the list shows exactly the records an independent computation over the same data finds."""

import itertools

import pytest

from core.publishing import Status
from tests.factories import (
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    ProgrammeFactory,
    PublicTaskAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    years = {year: ArchiveYearFactory(year=year) for year in (2024, 2025)}
    old_culture = DepartmentFactory(name="Wydział Kultury i Dziedzictwa Narodowego")
    culture = DepartmentFactory(name="Wydział Kultury")
    DepartmentChangeFactory(predecessor=old_culture, successor=culture)
    sport = DepartmentFactory(name="Wydział Sportu")
    areas = [PublicTaskAreaFactory(name="Kultura"), PublicTaskAreaFactory(name="Sport")]
    outcomes = [OutcomeFactory(name="uwzględniony"), OutcomeFactory(name="nieuwzględniony")]
    organisations = [OrganisationFactory(name="Koci Patrol"), OrganisationFactory(name="Fundacja")]
    programmes = {year: ProgrammeFactory(first_year=year + 1) for year in years}
    meetings, postulates = [], []
    combos = itertools.product(years, (old_culture, culture, sport), ("branzowe", "szkolenie"))
    for number, (year, department, kind) in enumerate(combos):
        meeting = MeetingFactory(
            year=years[year], departments=[department], kind=kind, programme=programmes[year]
        )
        meeting.participants.add(organisations[number % 2])
        meetings.append(meeting)
        postulate = PostulateFactory(
            meeting=meeting,
            area=areas[number % 2],
            organisation=organisations[(number // 2) % 2],
            responsible_department=department,
            programme=programmes[year],
        )
        PositionFactory(postulate=postulate, outcome=outcomes[number % 2])
        # A draft answer must never make a postulate match an outcome filter.
        PositionFactory(
            postulate=postulate,
            outcome=outcomes[(number + 1) % 2],
            status=Status.DRAFT,
            published_at=None,
        )
        postulates.append(postulate)
    return {
        "meetings": meetings,
        "postulates": postulates,
        "departments": {"kultura": culture, "sport": sport},
        "areas": areas,
        "outcomes": outcomes,
        "organisations": organisations,
        "programmes": programmes,
    }


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return {record.pk for record in response.context["page_obj"].object_list}


def meeting_matches(
    meeting, data, rok=None, wydzial=None, rodzaj=None, sfera=None, organizacja=None
):
    postulate = meeting.postulates.get()
    lineage = {d.pk for d in data["departments"][wydzial].lineage()} if wydzial else None
    return (
        (rok is None or meeting.year_id == rok)
        and (lineage is None or meeting.departments.get().pk in lineage)
        and (rodzaj is None or meeting.kind == rodzaj)
        and (sfera is None or postulate.area == data["areas"][sfera])
        # The meetings it took part in, as its page counts them, not those of its postulates.
        and (
            organizacja is None or data["organisations"][organizacja] in meeting.participants.all()
        )
    )


FILTER_VALUES = {
    "rok": [None, 2024, 2025],
    "wydzial": [None, "kultura", "sport"],
    "rodzaj": [None, "branzowe", "szkolenie"],
    "sfera": [None, 0, 1],
    "organizacja": [None, 0, 1],
}


def url_params(data, **chosen):
    params = {}
    for name, value in chosen.items():
        if value is None:
            continue
        if name == "wydzial":
            value = data["departments"][value].slug
        elif name == "sfera":
            value = data["areas"][value].slug
        elif name == "organizacja":
            value = data["organisations"][value].slug
        params[name] = value
    return params


@pytest.mark.parametrize("names", list(itertools.combinations(FILTER_VALUES, 2)))
def test_meeting_filters_in_pairs(client, data, names):
    for values in itertools.product(*(FILTER_VALUES[name] for name in names)):
        chosen = dict(zip(names, values, strict=True))
        expected = {m.pk for m in data["meetings"] if meeting_matches(m, data, **chosen)}
        assert listed(client, "/spotkania/", **url_params(data, **chosen)) == expected, chosen


def test_meeting_filters_all_at_once_and_by_outcome_and_programme(client, data):
    chosen = {"rok": 2025, "wydzial": "kultura", "rodzaj": "branzowe", "sfera": 0}
    expected = {m.pk for m in data["meetings"] if meeting_matches(m, data, **chosen)}
    assert expected
    assert listed(client, "/spotkania/", **url_params(data, **chosen)) == expected

    accepted = data["outcomes"][0]
    by_outcome = listed(client, "/spotkania/", rozstrzygniecie=accepted.slug)
    assert by_outcome == {
        m.pk
        for m in data["meetings"]
        if m.postulates.get().positions.published().get().outcome == accepted
    }
    programme = data["programmes"][2024]
    assert listed(client, "/spotkania/", program=programme.slug) == {
        m.pk for m in data["meetings"] if m.year_id == 2024
    }


def test_postulate_filters_match_an_independent_count(client, data):
    culture = data["departments"]["kultura"]
    lineage = {d.pk for d in culture.lineage()}
    for outcome in data["outcomes"]:
        for year in (2024, 2025):
            expected = {
                p.pk
                for p in data["postulates"]
                if p.meeting.year_id == year
                and p.responsible_department_id in lineage
                and p.positions.published().get().outcome == outcome
            }
            got = listed(
                client,
                "/postulaty/",
                rok=year,
                wydzial=culture.slug,
                rozstrzygniecie=outcome.slug,
            )
            assert got == expected
    area = data["areas"][1]
    organisation = data["organisations"][0]
    assert listed(client, "/postulaty/", sfera=area.slug, organizacja=organisation.slug) == {
        p.pk for p in data["postulates"] if p.area == area and p.organisation == organisation
    }
    assert listed(client, "/postulaty/", rodzaj="szkolenie") == {
        p.pk for p in data["postulates"] if p.meeting.kind == "szkolenie"
    }


def test_the_result_count_is_shown(client, data):
    response = client.get("/spotkania/", {"rok": 2024, "wydzial": "wydzial-sportu"})
    assert b"2 spotkania" in response.content


@pytest.mark.parametrize(
    "params",
    [
        {"rok": "2031"},
        {"rok": "abc"},
        {"wydzial": "nie-ma-takiego"},
        {"rodzaj": "piknik"},
        {"organizacja": "x" * 3000},
        {"sfera": "kultura\x00"},
        {"page": "abc"},
    ],
)
def test_bad_filter_values_answer_400_or_a_normal_page(client, data, params):
    for url in ("/spotkania/", "/postulaty/"):
        response = client.get(url, params)
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            assert "popraw zaznaczone pola" in response.content.decode()

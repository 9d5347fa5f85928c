"""A journalist follows up what the city promised: the list of commitments and where each
stands, and answers left "in progress" long after the final answer they announced."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from postulates.models import Outcome
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    MeetingFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
)

pytestmark = pytest.mark.django_db

COMMITMENTS_URL = reverse("postulates:commitments")
BUDGET_ANSWER = (
    "Postulat jest analizowany; odpowiedź zostanie przekazana po zakończeniu prac nad budżetem."
)


@pytest.fixture(autouse=True)
def today():
    """5 December 2026, for the records created and for the pages read."""
    moment = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
    with time_machine.travel(moment, tick=False):
        yield moment.date()


@pytest.fixture
def culture():
    return DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")


@pytest.fixture
def commitments(culture):
    """One commitment in each state, answered for by the culture department unless said."""
    accepted = OutcomeFactory(name="uwzględniony", category=Outcome.Category.ACCEPTED)
    meeting_2025 = MeetingFactory(year=ArchiveYearFactory(year=2025), departments=[culture])

    def commit(text, meeting=meeting_2025, department=culture, **dates):
        return PositionFactory(
            postulate=PostulateFactory(meeting=meeting),
            outcome=accepted,
            department=department,
            answered_on=datetime.date(2025, 7, 1),
            commitment=text,
            **dates,
        )

    return {
        "overdue": commit(
            "Remont świetlicy przy ul. Długiej.", commitment_due_on=datetime.date(2026, 6, 30)
        ),
        "on_time": commit(
            "Konkurs na lokale dla organizacji.", commitment_due_on=datetime.date(2026, 12, 5)
        ),
        "fulfilled": commit(
            "Nowy regulamin konkursów.",
            commitment_due_on=datetime.date(2026, 3, 31),
            commitment_fulfilled_on=datetime.date(2026, 4, 15),
        ),
        "open_ended": commit("Dalsze rozmowy z organizacjami seniorów."),
        "elsewhere": commit(
            "Dodatkowe kursy autobusów na Kopiec Kościuszki.",
            meeting=MeetingFactory(year=ArchiveYearFactory(year=2026)),
            department=DepartmentFactory(name="Zarząd Transportu Publicznego"),
            commitment_due_on=datetime.date(2026, 1, 31),
        ),
    }


def shown(response):
    """The commitments of the list, in their order, with their state as the page words it."""
    return [
        (answer.commitment, answer.commitment_status_label)
        for answer in response.context["commitments"]
    ]


def test_a_journalist_lists_the_commitments_past_their_due_date(client, commitments):
    response = client.get(COMMITMENTS_URL, {"stan": "po-terminie"})

    assert response.status_code == 200
    # The longest overdue first.
    assert shown(response) == [
        ("Dodatkowe kursy autobusów na Kopiec Kościuszki.", "po terminie"),
        ("Remont świetlicy przy ul. Długiej.", "po terminie"),
    ]
    assertContains(response, "2 zobowiązania")
    assertContains(response, '<time datetime="2026-06-30">30 czerwca 2026</time>', html=True)
    assertContains(
        response,
        f'<a href="{commitments["overdue"].postulate.get_absolute_url()}">'
        f"postulat nr {commitments['overdue'].postulate.number}</a>",
        html=True,
    )


def test_every_commitment_is_listed_with_its_state_unfulfilled_first(client, commitments):
    response = client.get(COMMITMENTS_URL)

    assert shown(response) == [
        ("Dodatkowe kursy autobusów na Kopiec Kościuszki.", "po terminie"),
        ("Remont świetlicy przy ul. Długiej.", "po terminie"),
        # Due today is not late yet.
        ("Konkurs na lokale dla organizacji.", "w terminie"),
        ("Dalsze rozmowy z organizacjami seniorów.", "bez terminu"),
        ("Nowy regulamin konkursów.", "wykonane"),
    ]
    assertContains(
        response,
        '<td data-label="Stan"><strong class="commitment-state">wykonane</strong> <time datetime="2026-04-15">15 kwietnia 2026</time></td>',
        html=True,
    )


def test_the_commitments_of_one_department_and_year(client, commitments):
    response = client.get(
        COMMITMENTS_URL, {"wydzial": "wydzial-kultury", "rok": 2025, "stan": "w-terminie"}
    )

    assert shown(response) == [("Konkurs na lokale dla organizacji.", "w terminie")]
    response = client.get(COMMITMENTS_URL, {"rok": 2026})
    assert shown(response) == [("Dodatkowe kursy autobusów na Kopiec Kościuszki.", "po terminie")]


def test_a_commitment_replaced_by_a_later_answer_or_not_public_is_not_listed(client, commitments):
    overdue = commitments["overdue"]
    PositionFactory(
        postulate=overdue.postulate, outcome=overdue.outcome, answered_on=datetime.date(2026, 11, 2)
    )
    commitments["on_time"].status = "draft"
    commitments["on_time"].save()

    response = client.get(COMMITMENTS_URL)

    assertNotContains(response, "Remont świetlicy")
    assertNotContains(response, "Konkurs na lokale")
    assert len(shown(response)) == 3


def test_an_unknown_state_is_a_clear_error(client, commitments):
    response = client.get(COMMITMENTS_URL, {"stan": "zapomniane"})

    assert response.status_code == 400
    assertContains(response, "Nie można zastosować filtrów", status_code=400)
    assert shown(response) == []


def test_the_commitment_list_costs_the_same_queries_for_one_or_many(
    client, culture, django_assert_num_queries
):
    accepted = OutcomeFactory(category=Outcome.Category.ACCEPTED)
    PositionFactory(outcome=accepted, department=culture, commitment="Pierwsze.")
    # The counts per state, with the filters but the state's (the department's history read
    # again), give the page's count too; kept per generation where the page cache is on. The
    # organisation filter's choices are one query.
    with django_assert_num_queries(9):
        client.get(COMMITMENTS_URL, {"wydzial": "wydzial-kultury"})
    for number in range(8):
        PositionFactory(outcome=accepted, department=culture, commitment=f"Kolejne nr {number}.")
    with django_assert_num_queries(9):
        response = client.get(COMMITMENTS_URL, {"wydzial": "wydzial-kultury"})
    assert len(shown(response)) == 9


def test_the_commitments_are_linked_from_the_postulate_list_and_the_department_page(
    client, commitments, culture
):
    assertContains(client.get(reverse("postulates:list")), f'href="{COMMITMENTS_URL}"')
    response = client.get(culture.get_absolute_url())
    assertContains(
        response,
        f'<a class="commitment-po-terminie" href="{COMMITMENTS_URL}?wydzial=wydzial-kultury&amp;stan=po-terminie">'
        '<strong class="commitment-state">1 zobowiązanie po terminie</strong></a>',
        html=True,
    )
    assertContains(
        response,
        f'<a href="{COMMITMENTS_URL}?wydzial=wydzial-kultury">Wszystkie zobowiązania tego wydziału</a>',
        html=True,
    )


def test_an_ngo_follows_its_overdue_commitments_from_its_page_to_the_list_and_the_file(
    client, commitments
):
    overdue = commitments["overdue"]
    organisation = overdue.postulate.organisation
    # A second overdue commitment of the same organisation, answered by another department.
    PositionFactory(
        postulate=PostulateFactory(meeting=overdue.postulate.meeting, organisation=organisation),
        answered_on=datetime.date(2025, 7, 1),
        commitment="Wymiana okien w świetlicy.",
        commitment_due_on=datetime.date(2026, 9, 1),
    )
    page = client.get(organisation.get_absolute_url())
    filtered = f"{COMMITMENTS_URL}?organizacja={organisation.slug}"
    assertContains(
        page,
        f'<a class="commitment-po-terminie" href="{filtered}&amp;stan=po-terminie">'
        '<strong class="commitment-state">2 zobowiązania Miasta po terminie</strong></a>',
        html=True,
    )
    assertContains(page, f'href="{filtered}"')

    response = client.get(
        COMMITMENTS_URL, {"organizacja": organisation.slug, "stan": "po-terminie"}
    )
    # The count on the organisation's page is the list's: its two, no other organisation's.
    assert shown(response) == [
        ("Remont świetlicy przy ul. Długiej.", "po terminie"),
        ("Wymiana okien w świetlicy.", "po terminie"),
    ]
    assertContains(response, "2 zobowiązania")
    # The page names whose commitments it lists, in its heading, title and description.
    name = organisation.name
    assertContains(response, f"<h1>Zobowiązania Miasta wobec postulatów: {name}</h1>", html=True)
    assertContains(response, f"<title>Zobowiązania Miasta wobec postulatów: {name} –")
    assertContains(
        response,
        f'<meta name="description" content="Co Miasto Kraków zobowiązało się zrobić w '
        f'odpowiedzi na postulaty organizacji {name} i czy zrobiło to w terminie.">',
    )
    assertContains(
        response,
        f'<p>Odpowiedzi na postulaty zgłoszone przez organizację <a href="'
        f'{organisation.get_absolute_url()}">{name}</a>. <a href="{COMMITMENTS_URL}">'
        "Wszystkie zobowiązania</a></p>",
        html=True,
    )
    english = client.get(f"/en{COMMITMENTS_URL}", {"organizacja": organisation.slug})
    assertContains(
        english,
        f'<h1>The city\'s commitments on postulates: <span lang="pl">{name}</span></h1>',
        html=True,
    )
    # The list's download link keeps the filter, and the file holds the same commitments.
    export = reverse("opendata:commitments_csv")
    assertContains(response, f"{export}?organizacja={organisation.slug}&amp;stan=po-terminie")
    csv = client.get(export, {"organizacja": organisation.slug, "stan": "po-terminie"})
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode("utf-8-sig")
    assert "Remont świetlicy" in text and "Wymiana okien" in text
    assert "Kopiec Kościuszki" not in text


def test_an_unknown_organisation_is_a_clear_error_on_the_list_and_its_export(client, commitments):
    response = client.get(COMMITMENTS_URL, {"organizacja": "nie-ma-takiej"})
    assert response.status_code == 400
    assertContains(response, "Nie można zastosować filtrów", status_code=400)
    assert shown(response) == []
    export = client.get(reverse("opendata:commitments_csv"), {"organizacja": "nie-ma-takiej"})
    assert export.status_code == 400


def test_the_commitment_list_is_in_the_sitemap(client):
    assertContains(client.get("/sitemap-strony.xml"), f"{COMMITMENTS_URL}</loc>")


# --- Answers left "in progress" -------------------------------------------------------------


@pytest.fixture
def budget_answer(culture):
    """A "Do dalszej analizy" answer from May 2025 promising a reply after the budget work."""
    return PositionFactory(
        postulate=PostulateFactory(
            meeting=MeetingFactory(year=ArchiveYearFactory(year=2025), departments=[culture]),
            content="Więcej lokali dla organizacji seniorów.",
        ),
        outcome=OutcomeFactory(name="do dalszej analizy", category=Outcome.Category.PENDING),
        department=culture,
        answered_on=datetime.date(2025, 5, 20),
        justification=BUDGET_ANSWER,
    )


STALE_IN_A_LIST = (
    '<span class="stale-pending"><strong class="commitment-state">czeka na odpowiedź ostateczną</strong>'
    ' (stanowisko z <time datetime="2025-05-20">20 maja 2025</time>)</span>'
)


def test_an_answer_in_progress_for_18_months_is_flagged_wherever_its_postulate_shows(
    client, budget_answer, culture
):
    postulate = budget_answer.postulate

    page = client.get(postulate.get_absolute_url())
    assertContains(
        page,
        '<p class="stale-pending"><strong class="commitment-state">Czeka na odpowiedź ostateczną</strong>'
        " – to stanowisko „w toku” ma ponad 180 dni, a Miasto nie opublikowało odpowiedzi ostatecznej.</p>",
        html=True,
    )
    assertContains(client.get(reverse("postulates:list")), STALE_IN_A_LIST, html=True)
    assertContains(client.get(postulate.meeting.get_absolute_url()), STALE_IN_A_LIST, html=True)
    assertContains(
        client.get(postulate.organisation.get_absolute_url()), STALE_IN_A_LIST, html=True
    )
    department_page = client.get(culture.get_absolute_url())
    assertContains(
        department_page,
        f'<a class="stale-pending" href="{reverse("postulates:list")}?wydzial=wydzial-kultury&amp;uwaga=czeka-na-odpowiedz">'
        '<strong class="commitment-state">1 postulat czeka na odpowiedź ostateczną</strong></a>',
        html=True,
    )
    # The department page's link lists it.
    listed = client.get(
        reverse("postulates:list"), {"wydzial": "wydzial-kultury", "uwaga": "czeka-na-odpowiedz"}
    )
    assert list(listed.context["page_obj"].object_list) == [postulate]


def test_the_department_pages_waiting_count_is_the_count_of_the_list_it_links_to(
    client, budget_answer, culture
):
    """The department page counted its own answers left in progress, while its link lists the
    postulates of the department (responsible or hosting their meeting): 134 on the page and
    194 after the click. Now the page counts what the list shows."""
    pending = budget_answer.outcome
    others = DepartmentFactory(name="Wydział Sportu")
    in_progress = {"outcome": pending, "answered_on": datetime.date(2025, 5, 20)}
    # At the culture department's meeting, answered in progress by another department.
    PositionFactory(
        postulate=PostulateFactory(meeting=budget_answer.postulate.meeting),
        department=others,
        **in_progress,
    )
    # Answered in progress by the culture department, at another department's meeting and
    # about its matter: the culture department's answer, not its postulate.
    PositionFactory(
        postulate=PostulateFactory(meeting=MeetingFactory(departments=[others])),
        department=culture,
        **in_progress,
    )
    page = client.get(culture.get_absolute_url())
    listed = client.get(
        reverse("postulates:list"), {"wydzial": "wydzial-kultury", "uwaga": "czeka-na-odpowiedz"}
    )
    count = listed.context["page_obj"].paginator.count
    assert count == 2
    assertContains(
        page,
        f'<strong class="commitment-state">{count} postulaty czekają na odpowiedź ostateczną</strong>',
        html=True,
    )


def test_a_recent_answer_in_progress_is_not_flagged(client, budget_answer, today):
    budget_answer.answered_on = today - datetime.timedelta(days=180)
    budget_answer.save()

    assertNotContains(
        client.get(budget_answer.postulate.get_absolute_url()), "Czeka na odpowiedź ostateczną"
    )
    assertNotContains(
        client.get(reverse("postulates:list")), "czeka na odpowiedź ostateczną</strong>"
    )
    listed = client.get(reverse("postulates:list"), {"uwaga": "czeka-na-odpowiedz"})
    assert list(listed.context["page_obj"].object_list) == []


def test_an_answer_in_progress_followed_by_the_final_answer_is_not_flagged(
    client, budget_answer, culture
):
    PositionFactory(
        postulate=budget_answer.postulate,
        outcome=OutcomeFactory(name="nieuwzględniony", category=Outcome.Category.REJECTED),
        answered_on=datetime.date(2025, 12, 1),
    )

    assertNotContains(
        client.get(budget_answer.postulate.get_absolute_url()), "Czeka na odpowiedź ostateczną"
    )
    assertNotContains(
        client.get(reverse("postulates:list")), "czeka na odpowiedź ostateczną</strong>"
    )
    assertContains(
        client.get(culture.get_absolute_url()),
        "Żaden postulat nie czeka zbyt długo na odpowiedź ostateczną.",
    )


def test_postulates_with_an_overdue_commitment_can_be_listed(client, commitments):
    response = client.get(reverse("postulates:list"), {"uwaga": "zobowiazanie-po-terminie"})

    assert {postulate.pk for postulate in response.context["page_obj"].object_list} == {
        commitments["overdue"].postulate_id,
        commitments["elsewhere"].postulate_id,
    }
    assertContains(
        response,
        '<span class="commitment-po-terminie"><strong class="commitment-state">zobowiązanie po terminie</strong>'
        ' (termin <time datetime="2026-06-30">30 czerwca 2026</time>)</span>',
        html=True,
    )


def state_counts(response):
    """The counts line above the list: {label: (count, link or None for the chosen state)}."""
    import re

    line = re.search(r'<ul class="facet-counts"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    counts = {}
    for link, label, count in re.findall(
        r'<li>(?:<a href="([^"]*)">|<strong[^>]*>)([^:<]+): (\d+)</', line.group(1)
    ):
        counts[label] = (int(count), link.replace("&amp;", "&") or None)
    return counts


def test_a_journalist_sees_how_many_commitments_are_in_each_state(client, commitments):
    """Asked by users of the outside pass: how many are overdue, fulfilled... without paging."""
    counts = state_counts(client.get(COMMITMENTS_URL))
    assert {label: count for label, (count, _link) in counts.items()} == {
        "Wykonane": 1,
        "Po terminie": 2,
        "W terminie": 1,
        "Bez terminu": 1,
    }
    # Each count leads to its list, which shows as many.
    overdue_count, overdue_link = counts["Po terminie"]
    response = client.get(COMMITMENTS_URL + overdue_link)
    assert response.context["page_obj"].paginator.count == overdue_count == len(shown(response))
    # Under a department's filter the counts are that department's, the chosen state named.
    counts = state_counts(client.get(COMMITMENTS_URL, {"rok": 2025, "stan": "po-terminie"}))
    assert counts["Po terminie"] == (1, None)
    assert counts["Wykonane"][0] == 1
    assert "rok=2025" in counts["Wykonane"][1] and "stan=wykonane" in counts["Wykonane"][1]


def test_the_counts_per_state_are_counted_once_per_generation_of_the_archive(
    client, commitments, settings, django_user_model
):
    """At 100,000 postulates counting the current answers' commitments took 0.3 s: with the
    page cache's generation (the site's setting), the counts are kept until the archive
    changes or the day ends, and the list counts nothing then."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pagecache.generation import invalidate

    settings.PAGE_CACHE_ENABLED = True
    # A session bypasses the page cache: the view itself answers each time.
    client.force_login(django_user_model.objects.create_user("czytelniczka"))
    client.get(COMMITMENTS_URL, {"stan": "w-terminie"})
    with CaptureQueriesContext(connection) as queries:
        counts = state_counts(client.get(COMMITMENTS_URL, {"stan": "w-terminie"}))
    assert counts["W terminie"] == (1, None)
    assert not [query for query in queries if "GROUP BY" in query["sql"]]
    commitments["on_time"].commitment_fulfilled_on = datetime.date(2026, 12, 1)
    commitments["on_time"].save()
    invalidate()  # what the save's commit does; the test's transaction never commits
    counts = state_counts(client.get(COMMITMENTS_URL, {"stan": "w-terminie"}))
    assert counts["Wykonane"][0] == 2 and counts["W terminie"] == (0, None)

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from postulates.models import Outcome
from tests.factories import (
    DRAFT,
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    MeetingFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    PublicTaskAreaFactory,
)
from tests.stats.pages import SVG, axis_ticks, chart, chart_bars, outcome_rows, waiting_rows

pytestmark = pytest.mark.django_db


def csv_url(page_url):
    """The CSV of a page: /statystyki/?x=1 -> /statystyki/lata.csv?x=1"""
    path, _, query = page_url.partition("?")
    path = "/statystyki/lata/" if path == "/statystyki/" else path
    return f"{path.rstrip('/')}.csv?{query}"


PAGES = ["/statystyki/", "/statystyki/wydzialy/", "/statystyki/sfery/", "/statystyki/programy/"]


@pytest.fixture
def outcomes():
    return {category: OutcomeFactory(category=category) for category in Outcome.Category.values}


def answer(outcomes, category, days, meeting, **kwargs):
    return PositionFactory(
        postulate__meeting=meeting,
        outcome=outcomes[category],
        answered_on=meeting.starts_on + datetime.timedelta(days=days),
        **kwargs,
    )


@pytest.fixture
def archive(outcomes):
    """2024: 2 postulates; 2025: 4, one unanswered, one answered only by a draft. Drafts that
    must never count are everywhere."""
    old = DepartmentFactory(name="Wydział Kultury i Dziedzictwa Narodowego", name_used_until=2024)
    new = DepartmentFactory(name="Wydział Kultury", name_used_from=2025)
    DepartmentChangeFactory(predecessor=old, successor=new)
    meeting_2024 = MeetingFactory(year=ArchiveYearFactory(year=2024), departments=[old])
    meeting_2025 = MeetingFactory(year=ArchiveYearFactory(year=2025), departments=[new])
    meeting_2025.refresh_from_db()
    meeting_2024.refresh_from_db()
    answer(outcomes, "uwzgledniony", 30, meeting_2024)
    answer(outcomes, "nieuwzgledniony", 91, meeting_2024)
    answer(outcomes, "uwzgledniony", 10, meeting_2025)
    answer(outcomes, "czesciowo", 20, meeting_2025)
    PostulateFactory(meeting=meeting_2025)
    answer(outcomes, "uwzgledniony", 5, meeting_2025, **DRAFT)  # a published postulate
    # Never counted: a draft postulate, and a published one under a draft meeting.
    answer(outcomes, "nieuwzgledniony", 3, meeting_2025, postulate__status=Status.DRAFT)
    hidden = MeetingFactory(year=meeting_2025.year, departments=[new], **DRAFT)
    hidden.refresh_from_db()
    answer(outcomes, "nieuwzgledniony", 3, hidden)
    return {"old": old, "new": new}


def test_overview_counts_each_year_and_leaves_drafts_out(client, archive):
    response = client.get("/statystyki/")

    assertContains(response, "<h1>Statystyki postulatów i odpowiedzi Miasta</h1>", html=True)
    html = response.content.decode()
    rows = outcome_rows(html)
    assert list(rows) == ["2025", "2024", "Razem"]
    assert rows["2025"] == (
        4,
        {
            "uwzgledniony": (1, "25.0"),
            "czesciowo": (1, "25.0"),
            "nieuwzgledniony": (0, "0.0"),
            "w-toku": (0, "0.0"),
            "informacja": (0, "0.0"),
            "bez-odpowiedzi": (2, "50.0"),
        },
    )
    assert rows["2024"][1]["uwzgledniony"] == (1, "50.0")
    assert rows["Razem"][0] == 6
    # answered, with both dates, median, mean, longest (days); unanswered, median and longest
    # wait so far (days since the meeting on 10 June 2025)
    waited = str((timezone.localdate() - datetime.date(2025, 6, 10)).days)
    assert waiting_rows(html) == {
        "2025": ["2", "2", "15", "15", "20", "2", waited, waited],
        "2024": ["2", "2", "60.5", "60.5", "91", "0", *["wszystkie z odpowiedzią"] * 2],
        "Razem": ["4", "4", "25", "37.8", "91", "2", waited, waited],
    }
    assertContains(response, '<a href="/2025/">2025</a>', html=True)
    assertContains(response, '<h2 id="jak-liczymy">Jak liczymy</h2>', html=True)


def test_chart_has_text_alternatives_and_the_tables_numbers(client, archive):
    for url in PAGES:
        html = client.get(url).content.decode()
        plot = chart(html)

        assert plot.get("role") == "img"
        caption_id, desc_id = plot.get("aria-labelledby").split()
        caption = re.search(rf'<figcaption id="{caption_id}"[^>]*>(.*?)</figcaption>', html)
        assert caption.group(1).startswith("Rozstrzygnięcia postulatów według")
        desc = plot.find("p")
        assert desc.get("id") == desc_id
        assert "Łącznie (6 postulatów): uwzględnione 33,3%" in desc.text
        assert "Te same liczby podaje tabela pod wykresem." in desc.text
        rows = outcome_rows(html)
        bars = chart_bars(plot)
        assert len(bars) == len(rows) - 1  # every row but the total has a bar
        for (label, widths, _values), (row_label, (total, shares)) in zip(
            bars, rows.items(), strict=False
        ):
            assert re.fullmatch(r"(.+): (\d+) postulat(y|ów)?", label).groups()[:2] == (
                row_label,
                str(total),
            ), url
            assert {c: f"{w:.1f}" for c, w in widths.items()} == {
                c: percent for c, (count, percent) in shares.items() if count
            }, url
            assert round(sum(widths.values()), 6) == 100
        # Colour is not alone: every category has a pattern and is named in the legend.
        legend = re.search(r'<ul class="chart-legend".*?</ul>', html, re.DOTALL).group()
        for name in ("uwzględnione", "częściowo uwzględnione", "bez odpowiedzi"):
            assert f"</svg> {name}</li>" in legend
        patterns = {p.get("id") for p in plot.iter(f"{SVG}pattern")}
        assert len(patterns) == 6


def test_a_reader_sees_the_shares_on_the_bars_against_an_axis(client, archive):
    """The chart alone answers "what share was accepted?": wide segments carry their share,
    narrow ones leave it to the table; the axis marks the scale."""
    html = client.get("/statystyki/").content.decode()
    plot = chart(html)
    # 2025: 1 accepted, 1 partly accepted, 2 without an answer; 2024: 1 accepted, 1 rejected.
    assert [(label, values) for label, _widths, values in chart_bars(plot)] == [
        (
            "2025: 4 postulaty",
            {"uwzgledniony": "25%", "czesciowo": "25%", "bez-odpowiedzi": "50%"},
        ),
        ("2024: 2 postulaty", {"uwzgledniony": "50%", "nieuwzgledniony": "50%"}),
    ]
    assert axis_ticks(plot) == ["0%", "25%", "50%", "75%", "100%"]


def test_chart_and_table_are_found_by_heading(client, archive):
    """Heading navigation reaches the key numbers: the chart and its table have a heading."""
    html = client.get("/statystyki/wydzialy/").content.decode()
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert headings[headings.index("Rozstrzygnięcia postulatów") + 1] == "Czas odpowiedzi"
    assert html.index('<h2 id="rozstrzygniecia">') < html.index('class="chart-plot"')
    assert html.index('class="chart-plot"') < html.index(
        '<table class="stats-table outcome-table">'
    )


def test_pages_need_no_javascript_and_carry_no_inline_styles(client, archive):
    urls = [*PAGES, "/statystyki/sfery/?rok=2025", "/statystyki/?rok=abc", "/en/statystyki/"]
    for url in urls:
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script[^>]*>", html)
        assert set(scripts) <= {'<script type="application/ld+json">'}, url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_department_statistics_count_former_names_under_the_latest(client, archive):
    response = client.get("/statystyki/wydzialy/")

    rows = outcome_rows(response.content.decode())
    assert list(rows) == ["Wydział Kultury", "Razem"]
    assert rows["Wydział Kultury"][0] == 6
    assertContains(response, "z dawnymi nazwami: Wydział Kultury i Dziedzictwa Narodowego")
    # A department's own statistics, year by year, under either of its names.
    own = "/statystyki/?wydzial=wydzial-kultury"
    assertContains(response, f'<a class="group-statistics" href="{own}">', count=2)
    by_new = client.get(own)
    by_old = client.get("/statystyki/?wydzial=wydzial-kultury-i-dziedzictwa-narodowego")
    assertContains(
        by_new, "<h1>Statystyki postulatów i odpowiedzi Miasta: Wydział Kultury</h1>", html=True
    )
    assert outcome_rows(by_new.content.decode()) == outcome_rows(by_old.content.decode())
    # The select offers the group once, under its latest name.
    assertContains(
        by_new, '<option value="wydzial-kultury" selected>Wydział Kultury</option>', html=True
    )
    assertNotContains(by_new, '<option value="wydzial-kultury-i-dziedzictwa-narodowego"')
    # The department stays chosen on the other dimensions' pages.
    assertContains(by_new, '<a href="/statystyki/sfery/?wydzial=wydzial-kultury">', html=False)


def test_filters_narrow_the_numbers(client, archive):
    area = PublicTaskAreaFactory(name="Ochrona zdrowia")
    PostulateFactory(meeting__year=ArchiveYearFactory(year=2024), area=area)

    rows = outcome_rows(client.get("/statystyki/sfery/?rok=2024").content.decode())

    assert rows["Ochrona zdrowia"][0] == 1
    assert rows["Razem"][0] == 3


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/statystyki/?wydzial=nie-ma-takiego", "wydzial"),
        ("/statystyki/wydzialy/?rok=abc", "rok"),
        ("/statystyki/wydzialy/?rok=1999", "rok"),
        ("/statystyki/wydzialy/?rok=99999999999999999999", "rok"),
        ("/statystyki/sfery/?program=%00", "program"),
        ("/statystyki/programy/?sfera=nie-ma", "sfera"),
    ],
)
def test_invalid_filters_answer_400_with_a_clear_message(client, archive, url, field):
    response = client.get(url)

    assertContains(
        response, "Nie można zastosować filtrów: popraw zaznaczone pola.", status_code=400
    )
    assertContains(response, 'class="field-error" role="alert"', status_code=400)
    assertNotContains(response, "chart-plot", status_code=400)

    csv = client.get(csv_url(url))
    assert csv.status_code == 400
    assert csv["Content-Type"] == "text/plain; charset=utf-8"
    text = csv.content.decode()
    assert text.startswith("Nie można przygotować statystyk: popraw parametry filtrów.\n")
    assert f"\n{field} (" in text


@pytest.mark.parametrize(
    "url", ["/statystyki/lata/", "/statystyki/nieznane/", "/statystyki/nieznane.csv"]
)
def test_unknown_dimensions_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_no_published_postulates_says_so(client):
    PostulateFactory(**DRAFT)
    response = client.get("/statystyki/")
    assertContains(response, "Brak opublikowanych postulatów dla wybranych filtrów.")
    assertNotContains(response, "chart-plot")


def test_header_and_department_page_lead_to_the_statistics(client, archive):
    response = client.get(archive["old"].get_absolute_url())
    assertContains(response, '<a href="/statystyki/">Statystyki</a>', html=True)
    assertContains(
        response,
        '<a href="/statystyki/?wydzial=wydzial-kultury-i-dziedzictwa-narodowego">'
        "Statystyki postulatów i odpowiedzi tego wydziału</a>",
        html=True,
    )


def test_statistics_pages_are_in_the_sitemap_in_both_languages(client, archive):
    content = client.get("/sitemap-statystyki.xml").content.decode()
    for path in PAGES:
        assert f"<loc>https://testserver{path}</loc>" in content
        assert f"<loc>https://testserver/en{path}</loc>" in content
    assert "<lastmod>" in content


def test_english_interface_keeps_the_numbers(client, archive):
    polish = client.get("/statystyki/wydzialy/").content.decode()
    english = client.get("/en/statystyki/wydzialy/").content.decode()
    assert '<html lang="en">' in english
    assert [row[0] for row in outcome_rows(polish).values()] == [
        row[0] for row in outcome_rows(english).values()
    ]


@pytest.mark.parametrize(
    "url", [*PAGES, "/statystyki/wydzialy.csv", "/statystyki/?wydzial=wydzial-kultury"]
)
def test_query_count_does_not_grow_with_the_archive(
    client, archive, outcomes, url, django_assert_num_queries
):
    # Years, departments, department changes, areas, programmes, the kept facts' generation
    # (stats.snapshot; none is built here), and two counts: answered postulates (by their
    # current answer) and unanswered ones.
    with django_assert_num_queries(8):
        client.get(url)
    for year in (2019, 2020, 2021, 2022, 2023):
        meeting = MeetingFactory(
            year=ArchiveYearFactory(year=year), departments=[archive["new"], DepartmentFactory()]
        )
        meeting.refresh_from_db()
        for category, days in zip(Outcome.Category.values, (3, 40, 80, 120, 200), strict=True):
            answer(outcomes, category, days, meeting, postulate__area=PublicTaskAreaFactory())
            answer(outcomes, category, days, meeting, department=DepartmentFactory())
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


def test_svg_is_well_formed_and_self_contained(client, archive):
    html = client.get("/statystyki/").content.decode()
    plot = chart(html)
    fills = {
        rect.get("fill")
        for rect in plot.iter(f"{SVG}rect")
        if "segment" in (rect.get("class") or "")
    }
    ids = {pattern.get("id") for pattern in plot.iter(f"{SVG}pattern")}
    assert {fill.removeprefix("url(#").removesuffix(")") for fill in fills} <= ids
    assert ET.tostring(plot)


def test_a_department_that_never_answers_shows_how_long_its_postulates_wait(client, outcomes):
    """A journalist comparing departments: one that never answers must not look fast."""
    answering = DepartmentFactory(name="Wydział Sportu")
    silent = DepartmentFactory(name="Wydział Milczący")
    for department, day in ((answering, 1), (silent, 3)):
        meeting = MeetingFactory(
            year=ArchiveYearFactory(year=2025),
            departments=[department],
            dates=[datetime.date(2025, 6, day)],
        )
        meeting.refresh_from_db()
        if department == answering:
            answer(outcomes, "uwzgledniony", 12, meeting)
        else:
            for _ in range(3):
                PostulateFactory(meeting=meeting)
    today = timezone.localdate()
    waited = str((today - datetime.date(2025, 6, 3)).days)

    response = client.get("/statystyki/wydzialy/")

    rows = waiting_rows(response.content.decode())
    assert (
        rows["Wydział Sportu"]
        == ["1", "1", "12", "12", "12", "0"] + ["wszystkie z odpowiedzią"] * 2
    )
    assert rows["Wydział Milczący"] == ["0", "0"] + ["brak danych"] * 3 + ["3", waited, waited]
    assertContains(response, "Bez odpowiedzi czekają od (mediana dni)")


def test_both_pages_say_which_department_they_mean(client, archive):
    """'Wydział' on the statistics counts a postulate once, under its responsible department;
    the postulate list's filter takes any department involved. Each page names and explains
    its own, and points to the other."""
    statistics = client.get("/statystyki/")
    assertContains(statistics, '<label for="id_wydzial">Wydział odpowiedzialny</label>', html=True)
    assertContains(statistics, 'aria-describedby="id_wydzial_helptext"')
    assertContains(
        statistics,
        '<p class="field-help" id="id_wydzial_helptext"><strong>Wydział odpowiedzialny:</strong> '
        "Każdy postulat liczymy raz, pod jednym "
        "wydziałem odpowiedzialnym (zob. „Jak liczymy”). Filtr „Wydział związany z postulatem” "
        "w wykazie postulatów obejmuje też wydziały prowadzące spotkanie, więc pokazuje więcej "
        "postulatów; filtr „Wydział odpowiedzialny (jak w statystykach)” pokazuje te same, co "
        "tu.</p>",
        html=True,
    )
    assertContains(statistics, '<a href="/postulaty/">Wykaz postulatów</a> ma inny filtr')
    assertContains(
        client.get("/statystyki/sfery/"), '<th scope="col">Wydział odpowiedzialny</th>', count=0
    )
    assertContains(
        client.get("/statystyki/wydzialy/"), '<th scope="col">Wydział odpowiedzialny</th>', count=2
    )

    postulates = client.get("/postulaty/")
    assertContains(
        postulates, '<label for="id_wydzial">Wydział związany z postulatem</label>', html=True
    )
    assertContains(
        postulates,
        '<p class="field-help" id="id_wydzial_helptext"><strong>Wydział związany z postulatem:'
        "</strong> Wydział odpowiedzialny za postulat albo "
        "prowadzący spotkanie lub cykl spotkań, na którym go zgłoszono. Statystyki liczą każdy "
        "postulat raz, pod jednym wydziałem odpowiedzialnym, więc podają mniejsze liczby: te "
        "same pokazuje filtr „Wydział odpowiedzialny (jak w statystykach)”.</p>",
        html=True,
    )


@pytest.mark.parametrize(
    ("url", "named"),
    [
        # The page by years has no year filter: its CSV refuses ?rok=, the page names it.
        ("/statystyki/?rok=2023", "rok"),
        ("/statystyki/wydzialy/?wydzialy=mops&utm_source=x", "wydzialy"),
    ],
)
def test_a_parameter_the_page_does_not_read_is_named_as_the_lists_do(client, archive, url, named):
    response = client.get(url)
    # A tracking parameter is not named.
    assertContains(
        response, f"Pominięto nieznany parametr adresu: {named}. Lista pokazuje wyniki bez niego"
    )
    assert client.get(csv_url(url)).status_code == 400
    # Shown as without it.
    plain = client.get(url.partition("?")[0])
    assert chart_bars(chart(response.content.decode())) == chart_bars(chart(plain.content.decode()))

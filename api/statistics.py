"""/api/v1/statystyki/: the statistics pages' numbers as JSON, from the pages' own code (the
StatisticsSource of stats/views.py: the same filters, the same groups, the same counts), so the
API, /statystyki/ and its CSV files cannot disagree."""

from urllib.parse import urlencode

import pydantic
from django.urls import reverse
from django.views import View

from postulates.filters import PostulateFilter
from stats.dimensions import DIMENSIONS, OVERVIEW, statistics_url
from stats.tallies import UNANSWERED, outcome_categories
from stats.views import StatisticsSource


def category_codes():
    return [category.value for category in outcome_categories()]


class StatisticsReader(StatisticsSource, View):
    """The statistics page's source without its template."""


class CategoryCount(pydantic.BaseModel):
    kategoria: str = pydantic.Field(
        description="Kategoria rozstrzygnięcia obecnego stanowiska (wartość stała): "
        + ", ".join(category_codes())
        + ". To wartości filtru `odpowiedz` listy postulatów: "
        f"/api/v1/postulaty/?odpowiedz={category_codes()[1]} wybiera postulaty tej kategorii, "
        "liczone tak samo. Kategoria zbiera kilka rozstrzygnięć (pole `rozstrzygniecia`)."
    )
    rozstrzygniecia: list[str] = pydantic.Field(
        description="Rozstrzygnięcia liczone w tej kategorii: wartości filtru "
        "`rozstrzygniecie` list (np. /api/v1/postulaty/?rozstrzygniecie=...); pusta lista "
        f"dla postulatów bez odpowiedzi ({UNANSWERED})."
    )
    nazwa: str = pydantic.Field(description="Nazwa kategorii, jak w nagłówku tabeli.")
    liczba: int = pydantic.Field(description="Liczba postulatów w tej kategorii.")
    procent: float = pydantic.Field(
        description="Udział w postulatach grupy, w procentach, z jednym miejscem po przecinku."
    )


class Tally(pydantic.BaseModel):
    postulaty: int = pydantic.Field(description="Liczba opublikowanych postulatów.")
    kategorie: list[CategoryCount] = pydantic.Field(
        description="Postulaty według rozstrzygnięcia obecnego stanowiska, w stałej kolejności."
    )
    z_odpowiedzia: int = pydantic.Field(description="Postulaty z opublikowaną odpowiedzią.")
    odpowiedzi_z_datami: int = pydantic.Field(
        description="Odpowiedzi, których czas oczekiwania jest znany (obie daty podano)."
    )
    mediana_dni: float | None = pydantic.Field(description="Mediana dni do odpowiedzi.")
    srednia_dni: float | None = pydantic.Field(description="Średnia dni do odpowiedzi.")
    najdluzej_dni: int | None = pydantic.Field(description="Najdłuższe oczekiwanie (dni).")
    bez_odpowiedzi: int = pydantic.Field(description="Postulaty bez opublikowanej odpowiedzi.")
    mediana_dni_oczekiwania: float | None = pydantic.Field(
        description="Mediana dni, które czekają dotąd postulaty bez odpowiedzi."
    )
    najdluzej_bez_odpowiedzi_dni: int | None = pydantic.Field(
        description="Najdłużej czekający postulat bez odpowiedzi (dni)."
    )


class Group(Tally):
    nazwa: str = pydantic.Field(description="Nazwa grupy (rok, wydział, sfera, program).")
    adres: pydantic.AnyUrl | None = pydantic.Field(
        description="Strona grupy w archiwum; null dla postulatów bez przypisania."
    )
    uwaga: str = pydantic.Field(
        description="Np. wcześniejsze nazwy liczone razem z wydziałem; pusty tekst, jeśli brak."
    )


def number(value):
    # Decimals (rounded as on the page) become JSON numbers, not strings.
    return None if value is None else float(value) if not isinstance(value, int) else value


def outcomes_by_category():
    """{category code: the `rozstrzygniecie` filter's values it counts}: the statistics'
    categories told in the lists' vocabulary, from the filter's own choices."""
    choices = PostulateFilter.base_filters["rozstrzygniecie"].get_queryset(None)
    grouped = {code: [] for code in category_codes()}
    for category, slug in choices.order_by("slug").values_list("category", "slug"):
        grouped.setdefault(category, []).append(slug)
    return grouped


def tally(numbers, outcomes):
    return {
        "postulaty": numbers.total,
        "kategorie": [
            {
                "kategoria": share.category.value,
                "rozstrzygniecia": outcomes.get(share.category.value, []),
                "nazwa": str(share.category.label),
                "liczba": share.count,
                "procent": float(share.rounded_percent),
            }
            for share in numbers.shares()
        ],
        "z_odpowiedzia": numbers.answered,
        "odpowiedzi_z_datami": numbers.timed,
        "mediana_dni": number(numbers.median_days),
        "srednia_dni": number(numbers.mean_days),
        "najdluzej_dni": numbers.max_days,
        "bez_odpowiedzi": numbers.unanswered,
        "mediana_dni_oczekiwania": number(numbers.open_median_days),
        "najdluzej_bez_odpowiedzi_dni": numbers.open_max_days,
    }


def with_filters(url, filters):
    return f"{url}?{urlencode(filters)}" if filters else url


def statistics_record(reader, context):
    """(the body's members but "licencja" and "adres", the chosen filters) of one page."""
    dimension, numbers = reader.dimension, reader.get_breakdown()
    outcomes = outcomes_by_category()
    filters = reader.filters_for(dimension)
    title = str(dimension.title)
    if reader.filters_described:
        title = f"{title}: {reader.filters_described}"
    csv_url = reverse("stats_files:csv", kwargs={"dimension": dimension.slug})
    return {
        "tytul": title,
        "wymiar": dimension.slug,
        "strona": context.url(statistics_url(dimension, **filters)),
        "csv": context.url(with_filters(csv_url, filters)),
        "grupy": [
            {
                "nazwa": group.label,
                "adres": context.url(group.url) if group.url else None,
                "uwaga": group.note,
                **tally(group.tally, outcomes),
            }
            for group in numbers.groups
        ],
        "razem": tally(numbers.total, outcomes),
    }, filters


def page_model():
    from api.schemas import Licence

    return pydantic.create_model(
        "Statystyki",
        licencja=(Licence, pydantic.Field(description="Licencja, na której udostępnia się dane.")),
        adres=(pydantic.AnyUrl, pydantic.Field(description="Kanoniczny adres tych liczb w API.")),
        tytul=(str, pydantic.Field(description="Tytuł, jak na stronie statystyk.")),
        wymiar=(str, pydantic.Field(description="Według czego zgrupowano postulaty.")),
        strona=(pydantic.AnyUrl, pydantic.Field(description="Ta sama tabela na stronie archiwum.")),
        csv=(pydantic.AnyUrl, pydantic.Field(description="Ta sama tabela w pliku CSV.")),
        grupy=(list[Group], pydantic.Field(description="Grupy, jak w tabeli strony.")),
        razem=(Tally, pydantic.Field(description="Wszystkie postulaty (z filtrami).")),
    )


def dimension_paths():
    """(API path, dimension) as the pages have them: years at /statystyki/, the others below."""
    return [
        ("/statystyki/" if d == OVERVIEW else f"/statystyki/{d.slug}/", d)
        for d in DIMENSIONS.values()
    ]

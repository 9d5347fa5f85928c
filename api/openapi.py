"""What the OpenAPI document says beyond the operations Django Ninja describes from the code:
the server, and every answer an operation can give besides 200 with the headers it carries,
as the middleware, the page cache and the views send them (tests/api/test_http.py checks the
document against real answers)."""

from django.conf import settings

from core.absolute_urls import absolute_url

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def header(description, schema=None):
    return {"description": description, "schema": schema or {"type": "string"}}


HEADERS = {
    "ETag": header(
        'Znacznik wersji odpowiedzi (słaby, W/"..."): odeślij go w If-None-Match, a '
        "niezmieniona odpowiedź przyjdzie jako 304 bez treści."
    ),
    "Cache-Control": header(
        "Odpowiedź publiczna; pamięć podręczna (CDN) ma ją sprawdzać przez ETag."
    ),
    "Link": header('Następna strona listy: <adres>; rel="next" (jak pole „nastepna”).'),
    "Access-Control-Allow-Origin": header("Zawsze *: dane publiczne, dostępne z każdej strony."),
    "X-RateLimit-Limit": header(
        "Ile zapytań z jednego adresu przyjmuje API w jednym oknie czasu.", {"type": "integer"}
    ),
    "X-RateLimit-Remaining": header(
        "Ile zapytań z tego adresu zostało w bieżącym oknie.", {"type": "integer"}
    ),
    "X-RateLimit-Reset": header(
        "Kiedy kończy się bieżące okno (czas uniksowy, w sekundach).", {"type": "integer"}
    ),
    "Retry-After": header("Po ilu sekundach spróbować ponownie.", {"type": "integer"}),
    "Allow": header("Metody, które przyjmuje ten adres: GET, HEAD, OPTIONS."),
    "Location": header("Kanoniczny adres rekordu."),
}
ALWAYS = (
    "Access-Control-Allow-Origin",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
)


def headers(*names):
    return {name: {"$ref": f"#/components/headers/{name}"} for name in (*names, *ALWAYS)}


def problem(description, *names):
    return {
        "description": description,
        "headers": headers(*names),
        "content": {"application/json": {"schema": PROBLEM}},
    }


ALLOW_ORIGIN = {"$ref": "#/components/headers/Access-Control-Allow-Origin"}
RESPONSES = {
    "PrzeniesionyNaStale": {
        "description": "Rekord pod niekanonicznym adresem (np. /postulaty/01/): jego adres jest "
        "w nagłówku Location i w polu „adres”.",
        "headers": headers("Location"),
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"adres": {"type": "string", "format": "uri"}},
                    "required": ["adres"],
                }
            }
        },
    },
    "NieZmieniona": {
        "description": "Odpowiedź się nie zmieniła od wersji, której ETag podano w "
        "If-None-Match (porównanie słabe; lista znaczników albo *).",
        "headers": headers("ETag", "Cache-Control"),
    },
    "BledneParametry": problem(
        "Nieznany parametr albo błędna wartość: „parametry” wymienia każdy i mówi, co jest nie tak."
    ),
    "NieZnaleziono": problem("Nie ma takiego opublikowanego rekordu ani adresu."),
    "NiedozwolonaMetoda": problem(
        "API tylko udostępnia dane: inne metody niż GET, HEAD i OPTIONS dostają 405.", "Allow"
    ),
    # Refused before the API counts the request (krakow_ngo/request_limits.py): no X-RateLimit-*.
    "ZaDlugiAdres": {
        **problem(
            "Wiersz zapytania (metoda, adres, protokół) dłuższy niż "
            f"{settings.REQUEST_LINE_MAX} znaków."
        ),
        "headers": {"Access-Control-Allow-Origin": ALLOW_ORIGIN},
    },
    "ZaDuzeNaglowki": {
        **problem(
            f"Więcej niż {settings.REQUEST_HEADER_FIELDS_MAX} nagłówków albo nagłówek dłuższy "
            f"niż {settings.REQUEST_HEADER_FIELD_MAX} znaków."
        ),
        "headers": {"Access-Control-Allow-Origin": ALLOW_ORIGIN},
    },
    "ZbytWieleZapytan": problem(
        "Przekroczono limit zapytań z jednego adresu; Retry-After mówi, kiedy wrócić.",
        "Retry-After",
    ),
}


def ref(name):
    return {"$ref": f"#/components/responses/{name}"}


def slug_filters():
    """{name: filter} of the lists' filters whose value is a slug (wydzial=, organizacja=...)."""
    from api.resources import RESOURCES

    found = {}
    for resource in RESOURCES:
        for name, filter_ in getattr(resource.filterset_class, "base_filters", {}).items():
            if filter_.extra.get("to_field_name") == "slug":
                found.setdefault(name, filter_)
    return found


def slug_example(filter_):
    """A value the filter accepts now: the examples name what the archive has published."""
    choices = filter_.get_queryset(None)  # the callable ones ignore the request
    return choices.order_by("pk").values_list("slug", flat=True).first()


def slug_examples():
    return {name: slug_example(filter_) for name, filter_ in slug_filters().items()}


def completed(document):
    """`document` (Ninja's) with the server, the headers and the other answers."""
    document["servers"] = [
        {"url": absolute_url(""), "description": "Archiwum (adresy ścieżek zawierają /api/v1/)."}
    ]
    examples = slug_examples()
    components = document.setdefault("components", {})
    components["headers"] = HEADERS
    components["responses"] = RESPONSES
    for path, operations in document["paths"].items():
        for operation in operations.values():
            # Ninja keys them by number; the document's JSON has strings.
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            for parameter in operation.get("parameters", ()):
                if examples.get(parameter["name"]):
                    parameter["example"] = examples[parameter["name"]]
            ok = responses["200"]
            names = ["ETag", "Cache-Control"]
            if any(p["name"] == "kursor" for p in operation.get("parameters", ())):
                names.append("Link")
            ok["headers"] = headers(*names)
            responses["304"] = ref("NieZmieniona")
            if "{ident}" in path:
                responses["301"] = ref("PrzeniesionyNaStale")
            responses["400"] = ref("BledneParametry")
            responses["404"] = ref("NieZnaleziono")
            responses["405"] = ref("NiedozwolonaMetoda")
            responses["414"] = ref("ZaDlugiAdres")
            responses["429"] = ref("ZbytWieleZapytan")
            responses["431"] = ref("ZaDuzeNaglowki")
            operation["responses"] = dict(sorted(responses.items()))
    return document

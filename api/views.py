"""The read-only JSON API (/api/v1/): a list and a detail operation per resource
(api/resources.py), generated in a loop so each one is described by the code that serves it.

Django Ninja routes and describes them (OpenAPI 3.1 at /api/v1/openapi.json); the records
are written by the export's own field definitions (opendata/fields.py), not by a second
serializer, and the lists' filters are the public pages' FilterSets."""

import functools
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from api import openapi, pagination, schemas
from api.errors import moved_to, problem
from api.filters import RecordIdFilter
from api.resources import RESOURCES
from api.statistics import StatisticsReader, dimension_paths, page_model, statistics_record
from core.absolute_urls import absolute_url
from core.streaming import dumps
from core.views import parameter_values
from opendata.fields import ExportContext, serialize
from opendata.licence import licence_summary
from stats.forms import StatisticsFilterForm

API_DESCRIPTION = (
    "Opublikowane dane archiwum spotkań Miasta Krakowa z organizacjami pozarządowymi, tylko "
    "do odczytu. Rekordy mają te same pola co pełny eksport (/dane/schema.json); listy "
    "przyjmują te same filtry co strony archiwum. Licencja CC BY 4.0, uznanie autorstwa: "
    "Gmina Miejska Kraków."
)


class ArchiveApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return openapi.completed(document)


def fixed_document(view):
    """The OpenAPI document takes no parameters: an unknown one is a 400 naming it, as at
    every other address of the API (not the same document under another cache key)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        check_known(request, [])
        return view(request, *args, **kwargs)

    return answering_bad_parameters(wrapped)


api = ArchiveApi(
    title="API archiwum spotkań Miasta Krakowa z organizacjami pozarządowymi",
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api",
    docs_url=None,  # the human documentation is our own page (api/docs.py), no third-party JS
    openapi_url="/openapi.json",
    docs_decorator=fixed_document,  # ninja wraps the OpenAPI document's view in it
)


@api.exception_handler(ValidationError)
def invalid_request(request, exc):
    return problem(400, "Nieprawidłowe parametry zapytania.", {"zapytanie": [str(exc.errors)]})


@api.exception_handler(Http404)
def not_found(request, exc):
    return problem(404, "Nie ma takiego adresu w API. Spis adresów: /api/v1/openapi.json.")


@api.exception_handler(HttpError)
def http_error(request, exc):
    return problem(exc.status_code, str(exc))


class BadParameters(Exception):
    def __init__(self, parameters):
        self.parameters = parameters


def json_response(body):
    return HttpResponse(dumps(body), content_type="application/json")


def common(context):
    return {"licencja": licence_summary(context.url(reverse("opendata_page:index")))}


def canonical_url(request, params=()):
    """The page's address with its parameters in one order and without empty ones, so the
    same page always has the same address (and one entry in the caches)."""
    query = urlencode([(name, value) for name, value in params if value not in ("", None)])
    url = absolute_url(request.path)
    return f"{url}?{query}" if query else url


def integer_parameter(request, name, default, minimum, maximum):
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise BadParameters({name: [f"Podaj liczbę całkowitą od {minimum} do {maximum}."]})
    return int(raw)


def check_known(request, known):
    unknown = sorted(set(request.GET) - set(known))
    if unknown:
        allowed = ", ".join(known) or "brak"
        raise BadParameters(
            {name: [f"Nieznany parametr. Dozwolone: {allowed}."] for name in unknown}
        )


def filter_names(resource):
    return list(resource.filterset_class.base_filters) if resource.filterset_class else []


def list_records(request, resource):
    names = filter_names(resource)
    check_known(request, [*names, pagination.LIMIT, pagination.CURSOR])
    limit = integer_parameter(
        request, pagination.LIMIT, pagination.DEFAULT_LIMIT, 1, pagination.MAX_LIMIT
    )
    after = integer_parameter(request, pagination.CURSOR, 0, 0, pagination.MAX_ID)
    at = timezone.now()
    queryset = resource.queryset(at)
    filter_values = []
    # Without a filter parameter the FilterSet would change nothing, yet building its form
    # (a published queryset per choice field) took a third of an unfiltered page's time.
    if resource.filterset_class and any(name in request.GET for name in names):
        data = request.GET.copy()
        for name in (pagination.LIMIT, pagination.CURSOR):
            data.pop(name, None)
        filterset = resource.filterset_class(data, queryset=queryset, request=request)
        # Only the filters asked for get a form field: an absent one filters nothing, and
        # each choice field costs a published queryset to build.
        for name in names:
            if name not in data:
                del filterset.filters[name]
        if not filterset.is_valid():
            raise BadParameters(
                {name: list(errors) for name, errors in filterset.form.errors.items()}
            )
        queryset = filterset.qs
        filter_values = parameter_values(filterset.form)
    records, more = pagination.page(queryset, after, limit)
    context = ExportContext.for_request(request, at)
    shown_limit = None if limit == pagination.DEFAULT_LIMIT else limit
    params = [*filter_values, (pagination.LIMIT, shown_limit)]
    following = (
        canonical_url(request, [*params, (pagination.CURSOR, records[-1].pk)]) if more else None
    )
    body = {
        **common(context),
        "adres": canonical_url(request, [*params, (pagination.CURSOR, after or None)]),
        "nastepna": following,
        "dane": [serialize(resource.fields, record, context) for record in records],
    }
    response = json_response(body)
    if following:
        response["Link"] = f'<{following}>; rel="next"'
    return response


def detail_record(request, resource, ident):
    check_known(request, [])
    canonical = reverse(f"api:{resource.name}-detail", kwargs={"ident": ident})
    if request.path != canonical:
        # /postulaty/01/ is record 1: one address per record, so one entry in every cache.
        return moved_to(canonical)
    at = timezone.now()
    record = None
    if 0 < ident <= pagination.MAX_ID:
        record = resource.queryset(at).filter(pk=ident).first()
    if record is None:
        return problem(404, f"Nie ma opublikowanego rekordu o id {ident} w „{resource.title}”.")
    context = ExportContext.for_request(request, at)
    return json_response(
        {
            **common(context),
            "adres": canonical_url(request),
            "dane": serialize(resource.fields, record, context),
        }
    )


def answering_bad_parameters(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameters as error:
            return problem(400, "Nieprawidłowe parametry zapytania.", error.parameters)

    return wrapped


def filter_parameters(resource):
    """The list's query parameters, for the OpenAPI description: the FilterSet's filters with
    their labels, help and fixed choices, then the pagination's."""
    parameters = []
    if resource.filterset_class:
        for name, filter_ in resource.filterset_class.base_filters.items():
            schema = {"type": "integer" if isinstance(filter_, RecordIdFilter) else "string"}
            choices = filter_.extra.get("choices")
            if choices and not callable(choices):
                schema["enum"] = [str(value) for value, _label in choices]
            if filter_.extra.get("max_length"):
                schema["maxLength"] = filter_.extra["max_length"]
            description = str(filter_.label or name)
            if filter_.extra.get("help_text"):
                description += f". {filter_.extra['help_text']}"
            if filter_.extra.get("to_field_name") == "slug":
                description += " (identyfikator słowny, jak w adresie strony)"
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": description,
                    "schema": schema,
                }
            )
    parameters += [
        {
            "name": pagination.LIMIT,
            "in": "query",
            "required": False,
            "description": "Liczba rekordów na stronie.",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": pagination.MAX_LIMIT,
                "default": pagination.DEFAULT_LIMIT,
            },
        },
        {
            "name": pagination.CURSOR,
            "in": "query",
            "required": False,
            "description": "Kursor strony: bierz go z pola „nastepna” poprzedniej strony.",
            "schema": {"type": "integer", "minimum": 0},
        },
    ]
    return parameters


ERRORS = {400: schemas.Problem, 404: schemas.Problem, 429: schemas.Problem}


def register(resource):
    record = schemas.record_model(resource.name, resource.fields)

    def list_view(request):
        return list_records(request, resource)

    def detail_view(request, ident: int):
        return detail_record(request, resource, ident)

    api.get(
        f"/{resource.name}/",
        response={200: schemas.page_model(resource.name, record), **ERRORS},
        operation_id=f"{resource.name.replace('-', '_')}_lista",
        summary=f"{resource.title}: lista",
        description=resource.description,
        tags=[resource.title],
        openapi_extra={"parameters": filter_parameters(resource)},
        url_name=f"{resource.name}-list",
    )(answering_bad_parameters(list_view))
    api.get(
        f"/{resource.name}/{{int:ident}}/",
        response={200: schemas.detail_model(resource.name, record), **ERRORS},
        operation_id=f"{resource.name.replace('-', '_')}_rekord",
        summary=f"{resource.title}: rekord według id",
        description=resource.description,
        tags=[resource.title],
        url_name=f"{resource.name}-detail",
    )(answering_bad_parameters(detail_view))


for resource in RESOURCES:
    register(resource)


def statistics_parameters(dimension):
    """The statistics page's filters, for the OpenAPI description (their values are the
    slugs of the archive's pages, as in the page's address)."""
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": str(field.label)
            + (f". {field.help_text}" if field.help_text else "")
            + ("" if name == "rok" else " (identyfikator słowny, jak w adresie strony)"),
            "schema": {"type": "integer"} if name == "rok" else {"type": "string"},
        }
        for name, field in StatisticsFilterForm.base_fields.items()
        if name != dimension.filter_name
    ]


def register_statistics(path, dimension):
    def view(request):
        reader = StatisticsReader()
        reader.setup(request, dimension=dimension.slug)
        check_known(request, list(reader.form.fields))
        if not reader.valid:
            raise BadParameters({name: list(errors) for name, errors in reader.form.errors.items()})
        context = ExportContext.for_request(request)
        body, filters = statistics_record(reader, context)
        return json_response(
            {
                **common(context),
                "adres": canonical_url(request, list(filters.items())),
                **body,
            }
        )

    api.get(
        path,
        response={200: STATISTICS_MODEL, **ERRORS},
        operation_id=f"statystyki_{dimension.slug}",
        summary=str(dimension.title),
        description="Te same liczby co na stronie statystyk archiwum i w jej pliku CSV: "
        f"postulaty {dimension.by} według rozstrzygnięcia obecnego stanowiska Miasta, "
        "z czasem oczekiwania na odpowiedź. Filtry jak na stronie.",
        tags=["Statystyki"],
        openapi_extra={"parameters": statistics_parameters(dimension)},
        url_name=f"statystyki-{dimension.slug}",
    )(answering_bad_parameters(view))


STATISTICS_MODEL = page_model()
for path, dimension in dimension_paths():
    register_statistics(path, dimension)


@api.get(
    "/",
    summary="Spis zasobów API",
    description="Adresy list wszystkich zasobów, opisu OpenAPI i dokumentacji.",
    tags=["API"],
    operation_id="spis",
    url_name="index",
)
@answering_bad_parameters
def index(request):
    check_known(request, [])
    base = absolute_url(request.path)
    return json_response(
        {
            **common(ExportContext.for_request(request)),
            "openapi": f"{base}openapi.json",
            "dokumentacja": absolute_url(reverse("api_page:docs")),
            "zasoby": {resource.name: f"{base}{resource.name}/" for resource in RESOURCES},
            "statystyki": {
                dimension.slug: absolute_url(f"/api/v1{path}")
                for path, dimension in dimension_paths()
            },
        }
    )


@answering_bad_parameters
def versions(request):
    """/api/: the versions of the API, so an address cut short still leads somewhere."""
    check_known(request, [])
    return json_response(
        {
            **common(ExportContext.for_request(request)),
            "wersje": {"v1": absolute_url(reverse("api:index"))},
            "dokumentacja": absolute_url(reverse("api_page:docs")),
        }
    )

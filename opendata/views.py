from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.absolute_urls import absolute_url
from core.http import same_in_every_language
from core.streaming import dumps
from core.structured_data import dataset
from core.views import BreadcrumbsMixin, applies_filters, list_parameters, unknown_parameters
from meetings.views import MeetingListSource
from opendata.archive import ARCHIVE_FILES, LICENCE_FILE, SCHEMA_FILE, schema
from opendata.builds import (
    FULL_DOWNLOADS,
    checksum_response,
    filtered_list_response,
    full_download_response,
    grouped,
)
from opendata.dcat import catalogue_rdf
from opendata.envelope import ENVELOPE_FIELDS
from opendata.fields import ExportContext, flat_fields
from opendata.harvest import catalogue_xml, md5_of
from opendata.licence import (
    ACT,
    ATTRIBUTION,
    LICENCE_LEGAL_CODE_URL,
    LICENCE_NAME,
    LICENCE_PARAGRAPHS,
    LICENCE_URL,
)
from opendata.lists import (
    COMMITMENTS,
    MEETINGS,
    POSTULATES,
    invalid_filters_response,
    unknown_parameters_response,
)
from opendata.models import ExportFile
from postulates.views import CommitmentListSource, PostulateListSource


class ListExportView(View):
    """Every record a filtered list shows, as CSV or JSON: without filters the prebuilt file
    of the whole list, with them a file built now (opendata/builds.py). The list's source
    class, mixed in before this one, gives the same filters and base queryset as the page."""

    export = None
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        known = list_parameters(self.filterset_class)
        if unknown := unknown_parameters(request.GET, known):
            return unknown_parameters_response(unknown, known)
        filterset = self.filterset_class(
            request.GET or None, queryset=self.base_queryset(), request=request
        )
        if filterset.is_bound and not filterset.is_valid():
            return invalid_filters_response(filterset.form)
        if not applies_filters(filterset):
            download = FULL_DOWNLOADS[f"{self.export.name}.{self.file_format}"]
            return full_download_response(request, download)
        return filtered_list_response(request, self.export, filterset, self.file_format)


class MeetingExportView(MeetingListSource, ListExportView):
    export = MEETINGS


class PostulateExportView(PostulateListSource, ListExportView):
    export = POSTULATES


class CommitmentExportView(CommitmentListSource, ListExportView):
    export = COMMITMENTS


class OpenDataView(BreadcrumbsMixin, TemplateView):
    template_name = "opendata/open_data.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The files' sizes change when they are built, after the data's generation changed:
        # the page cache, keyed by that generation, would keep a page without them.
        response["Cache-Control"] = "no-cache"
        return response

    def get_breadcrumbs(self):
        return [(_("Otwarte dane"), None)]

    def get_structured_data(self):
        return [
            dataset(
                self.request,
                name="Archiwum spotkań Miasta Krakowa z organizacjami pozarządowymi",
                description=(
                    "Opublikowane spotkania wydziałów Miasta Krakowa z organizacjami "
                    "pozarządowymi, dokumenty, postulaty organizacji i stanowiska Miasta."
                ),
                licence_url=LICENCE_URL,
                creator=ATTRIBUTION,
                distributions=[
                    (
                        "Pełny eksport (ZIP z plikami JSON)",
                        reverse("opendata:archive"),
                        "application/zip",
                    ),
                    ("Opis pól (JSON)", reverse("opendata:schema"), "application/json"),
                    ("Spotkania (CSV)", reverse("opendata:meetings_csv"), "text/csv"),
                    ("Postulaty (CSV)", reverse("opendata:postulates_csv"), "text/csv"),
                ],
            )
        ]

    def get_context_data(self, **kwargs):
        # The size of each file of the whole archive as last built (a 100 MB JSON is worth
        # knowing of before clicking); none before its first build.
        sizes = dict(ExportFile.objects.values_list("name", "size"))
        return super().get_context_data(
            archive_size=sizes.get("archiwum.zip"),
            list_downloads=[
                (export, sizes.get(f"{export.name}.csv"), sizes.get(f"{export.name}.json"))
                for export in (MEETINGS, POSTULATES, COMMITMENTS)
            ],
            archive_files=ARCHIVE_FILES,
            schema_file=SCHEMA_FILE,
            licence_file=LICENCE_FILE,
            envelope_fields=flat_fields(ENVELOPE_FIELDS),
            list_exports=[MEETINGS, POSTULATES, COMMITMENTS],
            filtered_export_limit=grouped(settings.EXPORT_REQUEST_MAX_RECORDS),
            licence_paragraphs=LICENCE_PARAGRAPHS,
            licence_name=LICENCE_NAME,
            licence_url=LICENCE_URL,
            licence_legal_code_url=LICENCE_LEGAL_CODE_URL,
            attribution=ATTRIBUTION,
            act=ACT,
            api_example=absolute_url("/api/v1/spotkania/?rok=2025"),
            **kwargs,
        )


class FullDownloadView(View):
    download_name = None
    checksum = False  # True: the file's SHA-256 in sha256sum's format, not the file

    def get(self, request, *args, **kwargs):
        download = FULL_DOWNLOADS[self.download_name]
        if self.checksum:
            return checksum_response(request, download)
        return full_download_response(request, download)


class SchemaView(View):
    def get(self, request, *args, **kwargs):
        return same_in_every_language(
            HttpResponse(
                dumps(schema(ExportContext.for_request(request))),
                content_type="application/json; charset=utf-8",
            )
        )


class DcatView(View):
    """The same catalogue in DCAT-AP (RDF/XML, opendata/dcat.py)."""

    def get(self, request, *args, **kwargs):
        content = catalogue_rdf(ExportContext.for_request(request))
        response = HttpResponse(content, content_type="application/rdf+xml; charset=utf-8")
        return same_in_every_language(response)


class HarvestView(View):
    """The catalogue for dane.gov.pl's harvester (opendata/harvest.py), or its MD5."""

    checksum = False

    def get(self, request, *args, **kwargs):
        content = catalogue_xml(ExportContext.for_request(request))
        if self.checksum:
            response = HttpResponse(md5_of(content), content_type="text/plain; charset=us-ascii")
        else:
            response = HttpResponse(content, content_type="application/xml; charset=utf-8")
        return same_in_every_language(response)

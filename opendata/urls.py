from django.urls import path

from opendata import views

# The files: outside i18n_patterns, one address whatever the interface language. The page
# describing them, /dane/, is in opendata/page_urls.py (translated, /en/dane/ in English).
# Each file of the whole archive has its SHA-256 beside it, at the same address + ".sha256".
app_name = "opendata"


def list_exports(address, view, name, file_format):
    return [
        path(address, view.as_view(file_format=file_format), name=name),
        path(
            f"{address}.sha256",
            views.FullDownloadView.as_view(
                download_name=f"{view.export.name}.{file_format}", checksum=True
            ),
            name=f"{name}_sha256",
        ),
    ]


urlpatterns = [
    *list_exports("spotkania/eksport.csv", views.MeetingExportView, "meetings_csv", "csv"),
    *list_exports("spotkania/eksport.json", views.MeetingExportView, "meetings_json", "json"),
    *list_exports("postulaty/eksport.csv", views.PostulateExportView, "postulates_csv", "csv"),
    *list_exports("postulaty/eksport.json", views.PostulateExportView, "postulates_json", "json"),
    *list_exports(
        "postulaty/zobowiazania/eksport.csv", views.CommitmentExportView, "commitments_csv", "csv"
    ),
    *list_exports(
        "postulaty/zobowiazania/eksport.json",
        views.CommitmentExportView,
        "commitments_json",
        "json",
    ),
    path(
        "dane/archiwum.zip",
        views.FullDownloadView.as_view(download_name="archiwum.zip"),
        name="archive",
    ),
    path(
        "dane/archiwum.zip.sha256",
        views.FullDownloadView.as_view(download_name="archiwum.zip", checksum=True),
        name="archive_sha256",
    ),
    path("dane/schema.json", views.SchemaView.as_view(), name="schema"),
    # The catalogue dane.gov.pl's harvester reads, and the MD5 it compares first.
    path("dane/dane-gov-pl.xml", views.HarvestView.as_view(), name="harvest"),
    # The same catalogue in DCAT-AP, for portals harvesting RDF.
    path("dane/katalog.rdf", views.DcatView.as_view(), name="dcat"),
    # The harvester asks for the catalogue's address with ".md5" for its extension
    # (mcod-backend's get_remote_xml_hash: os.path.splitext(url)[0] + ".md5"); the address
    # + ".md5" that this archive first published stays as an alias.
    path(
        "dane/dane-gov-pl.md5",
        views.HarvestView.as_view(checksum=True),
        name="harvest_md5",
    ),
    path("dane/dane-gov-pl.xml.md5", views.HarvestView.as_view(checksum=True)),
]

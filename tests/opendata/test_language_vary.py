"""Downloads are the same bytes in every language: a proxy or CDN must keep one copy of each,
so they carry no Vary: Accept-Language (nor a Content-Language naming the interface's
language), while the translated pages keep both."""

import pytest
from django.core.files.base import ContentFile
from django.utils.cache import cc_delim_re

from opendata.builds import build_stale_files
from tests.factories import DocumentFactory, MeetingFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    "/postulaty/eksport.csv",
    "/postulaty/eksport.json",
    "/postulaty/eksport.csv.sha256",
    "/spotkania/eksport.json",
    "/postulaty/zobowiazania/eksport.csv",
    "/dane/archiwum.zip",
    "/dane/archiwum.zip.sha256",
    "/dane/schema.json",
    "/dane/dane-gov-pl.xml",
    "/dane/dane-gov-pl.md5",
    "/dane/katalog.rdf",
]


def varies_by(response):
    return {name.lower() for name in cc_delim_re.split(response.get("Vary", "")) if name}


@pytest.fixture
def archive():
    meeting = MeetingFactory()
    postulate = PostulateFactory(meeting=meeting)
    PositionFactory(postulate=postulate)
    document = DocumentFactory(meeting=meeting, title="Zestawienie postulatów")
    document.file.save("zestawienie.pdf", ContentFile(b"%PDF-1.7\n" + b"x" * 100))
    build_stale_files()
    return {"meeting": meeting, "postulate": postulate, "document": document}


@pytest.mark.parametrize("language", ["pl", "en"])
def test_downloads_do_not_vary_by_the_readers_language(client, archive, language):
    organisation = archive["postulate"].organisation
    urls = [
        *DOWNLOADS,
        # A filtered export, built during its request.
        f"/postulaty/eksport.csv?organizacja={organisation.slug}",
        archive["document"].get_absolute_url() + "pobierz/",
    ]
    for url in urls:
        for method in (client.get, client.head):
            response = method(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            assert "accept-language" not in varies_by(response), (url, response["Vary"])
            assert not response.has_header("Content-Language"), url


def test_a_prebuilt_files_304_and_byte_range_do_not_vary_by_language(client, archive):
    first = client.get("/postulaty/eksport.csv", HTTP_ACCEPT_LANGUAGE="en")
    again = client.get(
        "/postulaty/eksport.csv", HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT_LANGUAGE="en"
    )
    assert again.status_code == 304
    assert varies_by(again) == varies_by(first) == {"accept-encoding"}
    part = client.get("/postulaty/eksport.csv", HTTP_RANGE="bytes=0-9", HTTP_ACCEPT_LANGUAGE="en")
    assert part.status_code == 206
    assert "accept-language" not in varies_by(part)


def test_translated_pages_and_a_refused_download_still_vary_by_language(client, archive):
    for url in ["/dane/", "/postulaty/", archive["document"].get_absolute_url()]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        assert "accept-language" in varies_by(response), url
        assert response["Content-Language"] == "pl", url
    # A refusal is a page in the archive's layout, not the file.
    refused = client.get(
        "/postulaty/eksport.csv", HTTP_RANGE="bytes=999999-", HTTP_ACCEPT="text/html"
    )
    assert refused.status_code == 416
    assert "accept-language" in varies_by(refused)

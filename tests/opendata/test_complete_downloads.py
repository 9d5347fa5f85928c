"""Downloads are complete or not served: a journalist never analyses part of the data without
knowing it. Files of the whole archive are built ahead and served with their length and
checksum; a filtered list is built in full before its first byte goes out."""

import base64
import dataclasses
import gzip
import hashlib
import io
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat

from opendata import builds
from opendata.models import ExportFile
from pagecache import generation
from tests.factories import DepartmentFactory, OrganisationFactory, PostulateFactory
from tests.opendata.conftest import body, read_csv, read_json

pytestmark = pytest.mark.django_db

FULL_ADDRESSES = (
    "/postulaty/eksport.csv",
    "/postulaty/eksport.json",
    "/spotkania/eksport.csv",
    "/spotkania/eksport.json",
    "/dane/archiwum.zip",
)


def committed():
    """What an editor's committed save does: the data's generation changes (pagecache)."""
    generation.invalidate()


@pytest.fixture(autouse=True)
def no_build_lock(settings):
    # The generation is read afresh each time: no token remembered from an earlier test.
    settings.PAGE_CACHE_TOKEN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def assert_complete(response):
    """What a client can check: the length and the checksum the server promised."""
    data = body(response)
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(data)
    assert response["ETag"] == f'"{sha256(data)}"'
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    return data


@pytest.mark.parametrize("address", FULL_ADDRESSES)
def test_a_full_download_has_its_length_checksum_and_date(client, address):
    PostulateFactory(content="Więcej lokali dla organizacji")
    response = client.get(address)
    data = assert_complete(response)
    assert response["Last-Modified"]
    assert response["Cache-Control"] == "no-cache"
    checksum = client.get(f"{address}.sha256")
    assert checksum.status_code == 200
    digest, name = checksum.content.decode().split()
    assert digest == sha256(data)
    assert name in response["Content-Disposition"]


def test_a_full_download_is_built_once_per_change_of_the_data(client):
    PostulateFactory(content="Pierwszy postulat")
    first = client.get("/postulaty/eksport.csv")
    built = ExportFile.objects.get(name="postulaty.csv")
    again = client.get("/postulaty/eksport.csv")
    assert body(again) == body(first)
    assert ExportFile.objects.get(name="postulaty.csv").built_at == built.built_at

    PostulateFactory(content="Drugi postulat")
    committed()
    fresh = client.get("/postulaty/eksport.csv")
    assert {row["Treść"] for row in read_csv(fresh)} == {"Pierwszy postulat", "Drugi postulat"}
    assert ExportFile.objects.get(name="postulaty.csv").sha256 != built.sha256


@pytest.mark.parametrize(
    ("address", "vary"),
    # Not by language: the file's bytes are the same in every one (core.http); the ZIP not by
    # encoding either: it is sent as it is to everyone (core.http.compressible).
    [("/postulaty/eksport.csv", "Accept-Encoding"), ("/dane/archiwum.zip", None)],
)
def test_a_client_holding_the_current_file_gets_not_modified(client, address, vary):
    PostulateFactory()
    full = client.get(address)
    not_modified = client.get(address, headers={"If-None-Match": full["ETag"]})
    assert not_modified.status_code == 304
    # The same Vary as the file it stands for, so a cache keeps one answer per variant.
    assert not_modified.get("Vary") == full.get("Vary") == vary


def test_a_big_archive_is_built_ahead_and_never_during_the_request(client, settings):
    settings.EXPORT_REQUEST_MAX_RECORDS = 2
    PostulateFactory.create_batch(3)

    not_ready = client.get("/postulaty/eksport.json")
    assert not_ready.status_code == 503
    assert not_ready["Retry-After"] == "120"
    assert "Plik jest właśnie przygotowywany" in not_ready.content.decode()
    assert client.get("/postulaty/eksport.json.sha256").status_code == 503

    out = io.StringIO()
    call_command("build_exports", stdout=out)
    assert "postulaty.json:" in out.getvalue()
    assert read_json(client.get("/postulaty/eksport.json"))["liczba"] == 3

    # New data: until the worker has rebuilt it, the last complete file is served, dated.
    PostulateFactory()
    committed()
    stale = client.get("/postulaty/eksport.json")
    assert read_json(stale)["liczba"] == 3
    call_command("build_exports", stdout=io.StringIO())
    assert read_json(client.get("/postulaty/eksport.json"))["liczba"] == 4


def test_the_worker_rebuilds_only_what_changed_unless_forced(settings):
    PostulateFactory()
    out = io.StringIO()
    call_command("build_exports", stdout=out)
    assert len(out.getvalue().splitlines()) == len(builds.FULL_DOWNLOADS)
    out = io.StringIO()
    call_command("build_exports", stdout=out)
    assert out.getvalue() == ""
    call_command("build_exports", "--force", stdout=out)
    assert len(out.getvalue().splitlines()) == len(builds.FULL_DOWNLOADS)

    # A database restored without its media: the missing file is built again.
    default_storage.delete(ExportFile.objects.get(name="archiwum.zip").path)
    out = io.StringIO()
    call_command("build_exports", stdout=out)
    assert out.getvalue().startswith("archiwum.zip:")


def test_a_failed_build_keeps_the_last_complete_file(client, settings, monkeypatch):
    settings.EXPORT_REQUEST_MAX_RECORDS = 1
    PostulateFactory.create_batch(2)
    call_command("build_exports", stdout=io.StringIO())
    served = body(client.get("/postulaty/eksport.csv"))
    PostulateFactory()
    committed()

    def broken(*args, **kwargs):
        yield "Identyfikator;"
        raise RuntimeError("the database went away")

    download = builds.FULL_DOWNLOADS["postulaty.csv"]
    monkeypatch.setitem(
        builds.FULL_DOWNLOADS,
        "postulaty.csv",
        dataclasses.replace(download, pieces=broken),
    )
    with pytest.raises(RuntimeError):
        call_command("build_exports", stdout=io.StringIO())
    assert body(client.get("/postulaty/eksport.csv")) == served


def test_a_filtered_export_failing_midway_is_an_error_not_a_short_file(client, monkeypatch):
    PostulateFactory.create_batch(3, meeting__year__year=2025)

    def broken_rows(*args, **kwargs):
        yield "\ufeffIdentyfikator\r\n"
        yield "1\r\n"
        raise RuntimeError("worker killed")

    monkeypatch.setattr(builds, "list_document", broken_rows)
    client.raise_request_exception = False
    response = client.get("/postulaty/eksport.csv?rok=2025")
    assert response.status_code == 500
    assert not response.streaming


def test_a_filtered_export_past_its_time_is_refused(client, monkeypatch):
    PostulateFactory.create_batch(3, meeting__year__year=2025)
    monkeypatch.setattr(builds, "request_deadline", lambda: 0.0)
    response = client.get("/postulaty/eksport.csv?rok=2025")
    assert response.status_code == 503
    assert "trwało zbyt długo" in response.content.decode()


def test_a_filtered_export_too_big_to_build_now_points_to_the_full_file(client, settings):
    settings.EXPORT_REQUEST_MAX_RECORDS = 2
    PostulateFactory.create_batch(3, meeting__year__year=2025)
    response = client.get("/postulaty/eksport.csv?rok=2025")
    assert response.status_code == 422
    text = response.content.decode()
    assert "najwyżej 2" in text
    assert "https://testserver/postulaty/eksport.csv" in text


def test_a_list_too_big_for_its_filtered_file_offers_the_full_file_not_a_refused_link(
    client, settings
):
    """A journalist on a year's list (thousands of postulates) is not sent to a 422."""
    settings.EXPORT_REQUEST_MAX_RECORDS = 2
    PostulateFactory.create_batch(3, meeting__year__year=2025)
    PostulateFactory(meeting__year__year=2024)

    too_many = client.get("/postulaty/?rok=2025&page=1").content.decode()
    assert "eksport.csv?rok=2025" not in too_many
    assert 'href="/postulaty/eksport.csv" type="text/csv"' in too_many
    assert 'href="/postulaty/eksport.json" type="application/json"' in too_many
    assert "Plik z filtrami może mieć najwyżej 2 pozycji" in too_many

    few = client.get("/postulaty/?rok=2024").content.decode()
    assert 'href="/postulaty/eksport.csv?rok=2024"' in few
    assert "najwyżej" not in few
    # The unfiltered list links the full file, whatever its size.
    everything = client.get("/postulaty/").content.decode()
    assert 'href="/postulaty/eksport.csv"' in everything
    assert "najwyżej" not in everything


def test_a_filtered_export_small_enough_is_complete(client):
    PostulateFactory.create_batch(2, meeting__year__year=2025)
    PostulateFactory(meeting__year__year=2024)
    response = client.get("/postulaty/eksport.json?rok=2025")
    data = assert_complete(response)
    assert json.loads(data)["liczba"] == 2
    assert response["X-Robots-Tag"] == "noindex"


def test_a_file_not_built_yet_is_a_page_to_a_browser_and_plain_text_to_a_script(client, settings):
    settings.EXPORT_REQUEST_MAX_RECORDS = 2
    PostulateFactory.create_batch(3)

    page = client.get("/postulaty/eksport.csv", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 503
    assert page["Retry-After"] == "120"
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "<h1>Plik jest w przygotowaniu</h1>" in html
    assert 'href="/postulaty/"' in html  # the way back
    assert 'href="/dane/"' in html

    script = client.get("/dane/archiwum.zip", headers={"Accept": "*/*"})
    assert script.status_code == 503
    assert script["Content-Type"] == "text/plain; charset=utf-8"
    assert "Plik jest właśnie przygotowywany" in script.content.decode()
    assert "https://testserver/dane/" in script.content.decode()
    assert "Accept" in script["Vary"]


def test_the_background_worker_builds_missing_files_and_rebuilds_after_a_change(
    client, settings, monkeypatch
):
    """A fresh database where nobody ran build_exports: the worker's first round builds every
    file, and its round after a save builds them again."""
    settings.EXPORT_REQUEST_MAX_RECORDS = 2
    PostulateFactory.create_batch(3)
    # Only the round's export step: alerts and their queue are tested in tests/alerts.
    monkeypatch.setattr("alerts.worker.tick", lambda: None)
    monkeypatch.setattr(
        "alerts.management.commands.alerts_worker.call_command", lambda *args, **kwargs: None
    )
    assert client.get("/postulaty/eksport.json").status_code == 503

    call_command("alerts_worker", once=True)
    assert set(ExportFile.objects.values_list("name", flat=True)) == set(builds.FULL_DOWNLOADS)
    assert read_json(client.get("/postulaty/eksport.json"))["liczba"] == 3

    PostulateFactory()
    committed()
    call_command("alerts_worker", once=True)
    assert read_json(client.get("/postulaty/eksport.json"))["liczba"] == 4


def test_a_failed_build_in_the_worker_is_logged_and_tried_again(settings, monkeypatch, caplog):
    PostulateFactory()

    def broken(context):
        raise RuntimeError("disk full")

    archive = builds.FULL_DOWNLOADS["archiwum.zip"]
    monkeypatch.setitem(
        builds.FULL_DOWNLOADS, "archiwum.zip", dataclasses.replace(archive, pieces=broken)
    )
    builds.refresh_files()
    assert "Building the downloads of the whole archive failed" in caplog.text
    assert not ExportFile.objects.filter(name="archiwum.zip").exists()

    monkeypatch.setitem(builds.FULL_DOWNLOADS, "archiwum.zip", archive)
    builds.refresh_files()
    assert ExportFile.objects.filter(name="archiwum.zip").exists()


def test_a_filtered_file_is_named_after_its_filters(client):
    mops = DepartmentFactory(name="Miejski Ośrodek Pomocy Społecznej", abbreviation="MOPS")
    organisation = OrganisationFactory(name="Fundacja Łąki")
    PostulateFactory(
        meeting__year__year=2025, responsible_department=mops, organisation=organisation
    )

    response = client.get("/postulaty/eksport.csv?rok=2025&wydzial=" + mops.slug)
    assert_complete(response)
    assert response["Content-Disposition"] == (
        "attachment; filename=\"postulaty-2025-mops.csv\"; filename*=UTF-8''postulaty-2025-mops.csv"
    )
    named = client.get(f"/postulaty/eksport.json?organizacja={organisation.slug}&q=łąki")
    assert 'filename="postulaty-laki-fundacja-laki.json"' in named["Content-Disposition"]


def test_a_refused_filtered_file_shows_a_browser_the_way_back_to_its_list(client, settings):
    settings.EXPORT_REQUEST_MAX_RECORDS = 2
    PostulateFactory.create_batch(3, meeting__year__year=2025)
    response = client.get("/postulaty/eksport.csv?rok=2025&page=2", headers={"Accept": "text/html"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "najwyżej 2" in html
    assert 'href="/postulaty/?rok=2025"' in html
    assert 'href="/postulaty/eksport.csv"' in html


def counting_opens(monkeypatch):
    opened = []
    open_file = default_storage.open

    def counted(name, *args, **kwargs):
        opened.append(name)
        return open_file(name, *args, **kwargs)

    monkeypatch.setattr(default_storage, "open", counted)
    return opened


FILE_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Content-Encoding",
    "Content-Disposition",
    "ETag",
    "Repr-Digest",
    "Last-Modified",
    "Cache-Control",
    "Accept-Ranges",
    "Vary",
)


@pytest.mark.parametrize("address", FULL_ADDRESSES)
@pytest.mark.parametrize("encoding", ["", "gzip, deflate, br"])
def test_head_tells_what_get_would_send_without_opening_the_file(
    client, monkeypatch, address, encoding
):
    PostulateFactory(content="Więcej lokali dla organizacji")
    full = client.get(address, headers={"Accept-Encoding": encoding})
    full_body = body(full)
    opened = counting_opens(monkeypatch)
    head = client.head(address, headers={"Accept-Encoding": encoding})
    assert opened == []
    assert head.status_code == 200
    assert b"".join(head.streaming_content) == b""
    assert {name: head.get(name) for name in FILE_HEADERS} == {
        name: full.get(name) for name in FILE_HEADERS
    }
    if not encoding:
        assert head["Content-Length"] == str(len(full_body))
        assert head["Accept-Ranges"] == "bytes"


@pytest.fixture
def archive_file(client):
    PostulateFactory.create_batch(3)
    whole = body(client.get("/dane/archiwum.zip"))
    assert len(whole) > 100
    return whole


@pytest.mark.parametrize(
    ("asked", "part"),
    [
        ("bytes=0-9", slice(0, 10)),
        ("bytes=10-", slice(10, None)),
        ("bytes=-7", slice(-7, None)),
        ("bytes=5-5", slice(5, 6)),
        ("bytes=90-999999999", slice(90, None)),
        ("BYTES=0-0", slice(0, 1)),
    ],
)
def test_a_range_of_a_prebuilt_file_is_sent_alone(client, archive_file, asked, part):
    response = client.get("/dane/archiwum.zip", headers={"Range": asked})
    assert response.status_code == 206
    data = body(response)
    assert data == archive_file[part]
    first, _end, _step = part.indices(len(archive_file))
    assert response["Content-Range"] == (
        f"bytes {first}-{first + len(data) - 1}/{len(archive_file)}"
    )
    assert response["Content-Length"] == str(len(data))
    # The validators of the whole file, which the part belongs to.
    assert response["ETag"] == f'"{sha256(archive_file)}"'


@pytest.mark.parametrize("asked", ["bytes=999999-", "bytes=-0"])
def test_a_range_past_the_end_of_the_file_is_416_with_its_length(client, archive_file, asked):
    response = client.get("/dane/archiwum.zip", headers={"Range": asked})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(archive_file)}"
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode().startswith(
        f"Zakres bajtów poza plikiem: plik ma {len(archive_file)} B."
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Range": "bytes=0-1,5-6"},  # several ranges: this server sends the whole file
        {"Range": "bytes=9-3"},  # invalid, so ignored
        {"Range": "lines=0-3"},
        {"Range": "bytes=0-9", "If-Range": '"0123"'},  # another version than the client's
        {"Range": "bytes=0-9", "If-Range": "Wed, 21 Oct 2015 07:28:00 GMT"},
    ],
)
def test_a_range_the_server_ignores_gets_the_whole_file(client, archive_file, headers):
    response = client.get("/dane/archiwum.zip", headers=headers)
    assert response.status_code == 200
    assert body(response) == archive_file
    assert response["Accept-Ranges"] == "bytes"


def test_a_range_holds_while_the_client_has_the_current_version(client, archive_file):
    full = client.get("/dane/archiwum.zip")
    for validator in (full["ETag"], full["Last-Modified"]):
        response = client.get(
            "/dane/archiwum.zip", headers={"Range": "bytes=3-", "If-Range": validator}
        )
        assert response.status_code == 206
        assert body(response) == archive_file[3:]


def test_a_client_taking_gzip_gets_the_whole_file_not_a_range_of_another_encoding(
    client, archive_file
):
    """GZipMiddleware compresses the file as it streams, so offsets of the file would not be
    offsets of what this client received."""
    response = client.get(
        "/postulaty/eksport.csv", headers={"Range": "bytes=0-9", "Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Ranges" not in response
    plain = client.get("/postulaty/eksport.csv", headers={"Range": "bytes=0-9"})
    assert plain.status_code == 206
    assert body(plain) == body(client.get("/postulaty/eksport.csv"))[:10]


BROWSER_ENCODINGS = "gzip, deflate, br, zstd"


def test_a_browser_gets_the_zip_as_it_is_with_its_length_and_its_ranges(client, archive_file):
    """A browser names gzip, but the ZIP is compressed already: compressing it again as it
    streams gained nothing and cost the length (no progress bar) and the ranges (no resumed
    download)."""
    whole = client.get("/dane/archiwum.zip", headers={"Accept-Encoding": BROWSER_ENCODINGS})
    assert whole.status_code == 200
    assert "Content-Encoding" not in whole
    assert whole["Content-Length"] == str(len(archive_file))
    assert whole["Accept-Ranges"] == "bytes"
    assert "Accept-Encoding" not in whole.get("Vary", "")
    assert body(whole) == archive_file
    resumed = client.get(
        "/dane/archiwum.zip",
        headers={"Accept-Encoding": BROWSER_ENCODINGS, "Range": "bytes=100-"},
    )
    assert resumed.status_code == 206
    assert "Content-Encoding" not in resumed
    assert body(resumed) == archive_file[100:]
    head = client.head("/dane/archiwum.zip", headers={"Accept-Encoding": BROWSER_ENCODINGS})
    assert head["Content-Length"] == str(len(archive_file))
    assert head["Accept-Ranges"] == "bytes"


def test_a_browser_still_gets_the_csv_compressed(client):
    PostulateFactory.create_batch(3, content="Więcej lokali dla organizacji. " * 20)
    response = client.get("/postulaty/eksport.csv", headers={"Accept-Encoding": BROWSER_ENCODINGS})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)).count(b"lokali") == 60


def stored_builds(stem):
    _folders, names = default_storage.listdir(builds.STORAGE_FOLDER)
    return sorted(name for name in names if name.startswith(f"{stem}-"))


def test_old_builds_are_deleted_keeping_the_current_and_the_one_before(client):
    PostulateFactory(content="Pierwszy postulat")
    paths = []
    for number in range(4):
        if number:
            PostulateFactory(content=f"Postulat {number}")
            committed()
        call_command("build_exports", stdout=io.StringIO())
        paths.append(ExportFile.objects.get(name="postulaty.csv").path)
    assert len(set(paths)) == 4
    # The current file and the one it replaced (a download may still be reading it).
    kept = [path.removeprefix(f"{builds.STORAGE_FOLDER}/") for path in paths[-2:]]
    assert [name for name in stored_builds("postulaty") if name.endswith(".csv")] == kept
    assert len([name for name in stored_builds("postulaty") if name.endswith(".json")]) == 2
    assert {row["Treść"] for row in read_csv(client.get("/postulaty/eksport.csv"))} == {
        "Pierwszy postulat",
        "Postulat 1",
        "Postulat 2",
        "Postulat 3",
    }


def test_a_build_identical_to_the_stored_file_reuses_it(client):
    PostulateFactory(content="Jedyny postulat")
    call_command("build_exports", stdout=io.StringIO())
    stored = ExportFile.objects.get(name="postulaty.csv")
    served = client.get("/postulaty/eksport.csv")
    # A change that leaves the postulates' file as it was (a new department).
    DepartmentFactory()
    committed()
    call_command("build_exports", stdout=io.StringIO())
    again = ExportFile.objects.get(name="postulaty.csv")
    assert again.generation != stored.generation
    assert (again.path, again.built_at, again.sha256) == (
        stored.path,
        stored.built_at,
        stored.sha256,
    )
    assert [name for name in stored_builds("postulaty") if name.endswith(".csv")] == [
        stored.path.removeprefix(f"{builds.STORAGE_FOLDER}/")
    ]
    repeated = client.get("/postulaty/eksport.csv", headers={"If-None-Match": served["ETag"]})
    assert repeated.status_code == 304


def test_the_data_page_shows_each_built_file_s_size(client, settings):
    # Built after the data changed: the page cache must not keep the page without them.
    settings.PAGE_CACHE_ENABLED = True
    before = client.get("/dane/").content.decode()
    # Nothing built yet: no size is guessed.
    assert '<span class="meta">(' not in before.split('id="listy"')[1].split("</ul>")[0]
    PostulateFactory(content="Postulat z rozmiarem")
    call_command("build_exports", stdout=io.StringIO())
    html = client.get("/dane/").content.decode()
    sizes = dict(ExportFile.objects.values_list("name", "size"))
    for name, address in [
        ("archiwum.zip", "/dane/archiwum.zip"),
        ("postulaty.csv", "/postulaty/eksport.csv"),
        ("postulaty.json", "/postulaty/eksport.json"),
    ]:
        link_and_size = re.search(
            rf'<a href="{re.escape(address)}" download>[^<]*</a> '
            r'<span class="meta">\(([^)]*)\)</span>',
            html,
        )
        assert link_and_size, name
        assert link_and_size.group(1) == filesizeformat(sizes[name])

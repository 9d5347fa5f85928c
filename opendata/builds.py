"""Downloads that are complete or not served at all.

Every download is written out in full, with its SHA-256, before its first byte is sent, and
goes out with its Content-Length. A build that is slow, fails or is killed therefore never
becomes a 200: the client gets an error instead, and a connection cut while sending is seen as
cut because the length does not match.

- The files of the whole archive (the unfiltered list exports and the ZIP) are built ahead of
  requests by `manage.py build_exports` whenever the data changed, into the default storage,
  and served from there at once with Last-Modified, an ETag and the checksum (also published
  at `<address>.sha256`). HEAD tells their headers without opening the file; a single
  byte range (Range: bytes=a-b) of one is sent alone (206, or 416 past its end) to a client
  that does not take gzip, so a broken download of a large file resumes. While the archive
  is small enough to build one during a request, the first request after a change builds it
  instead (a HEAD too: its headers are the new file's), so a fresh install needs no worker.
- A filtered list is built during its request, only up to EXPORT_REQUEST_MAX_RECORDS records
  and within EXPORT_REQUEST_SECONDS; a bigger selection is refused with a message pointing to
  the full file.
"""

import base64
import hashlib
import logging
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from core.absolute_urls import absolute_url
from core.http import compressible, same_in_every_language
from core.slugs import polish_slugify
from krakow_ngo.client_ip import client_ip
from meetings.models import ArchiveYear
from meetings.views import MeetingListSource
from opendata.archive import archive_document, postulates
from opendata.fields import ExportContext
from opendata.lists import COMMITMENTS, MEETINGS, POSTULATES, ListExport, list_document
from opendata.models import ExportFile
from pagecache.generation import current_generation
from postulates.views import CommitmentListSource, PostulateListSource
from ratelimits.counting import take

logger = logging.getLogger(__name__)

STORAGE_FOLDER = "eksporty"
# Up to this much of a build is kept in memory, the rest in a temporary file on disk.
SPOOL_BYTES = 8 * 1024 * 1024
# Builds a newer build replaced that are kept, newest first: a download that started from one
# may still be sending it. Older ones are deleted when a file is built.
REPLACED_BUILDS_KEPT = 1
FILE_NAME_MAX_LENGTH = 120
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "zip": "application/zip",
}


def grouped(number):
    """10 000: Polish digit grouping, with a space that never breaks the number."""
    return f"{number:,}".replace(",", "\u00a0")


class BuildTooSlow(Exception):
    """The build ran past its time; nothing of it is sent."""


@dataclass
class Built:
    file: tempfile.SpooledTemporaryFile
    size: int
    sha256: str


def build(pieces: Iterable[str | bytes], deadline: float | None = None) -> Built:
    """Writes every piece to a temporary file (rewound), stopping at `deadline` (a
    time.monotonic() value)."""
    # Returned open: the response sends and closes it.
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    digest, size = hashlib.sha256(), 0
    try:
        for piece in pieces:
            data = piece.encode() if isinstance(piece, str) else piece
            target.write(data)
            digest.update(data)
            size += len(data)
            if deadline is not None and time.monotonic() > deadline:
                raise BuildTooSlow
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return Built(target, size, digest.hexdigest())


def request_deadline():
    return time.monotonic() + settings.EXPORT_REQUEST_SECONDS


def consistent_snapshot():
    """One transaction seeing one state of the data, so a file's parts (a JSON envelope's
    count and its records, the ZIP's files) agree even while editors save."""
    atomic = transaction.atomic()

    class Snapshot:
        def __enter__(self):
            # Only a transaction of its own can choose its isolation (not one inside a test's).
            outermost = not connection.in_atomic_block
            atomic.__enter__()
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")

        def __exit__(self, *exc):
            return atomic.__exit__(*exc)

    return Snapshot()


# --- The files of the whole archive --------------------------------------------------------


@dataclass(frozen=True)
class FullDownload:
    name: str  # the stored file's name, e.g. "postulaty.csv"
    file_format: str
    pieces: Callable[[ExportContext], Iterable[str | bytes]]
    # Its largest part, counted (up to a bound) to tell whether it can be built in a request.
    largest_part: Callable[[], object]
    download_name: Callable[[object], str]  # the saved file's name, from the build's moment
    url_name: str
    # The page a visitor turned away from this file goes back to.
    back_url_name: str

    @property
    def content_type(self):
        return CONTENT_TYPES[self.file_format]

    def fits_in_request(self):
        limit = settings.EXPORT_REQUEST_MAX_RECORDS
        return self.largest_part()[: limit + 1].count() <= limit


def list_download(export: ListExport, source, file_format):
    def pieces(context):
        # The list's own filters, none applied: the records and order of its first page on.
        records = source.filterset_class(None, queryset=source().base_queryset()).qs
        return list_document(export, records, context, file_format)

    return FullDownload(
        name=f"{export.name}.{file_format}",
        file_format=file_format,
        pieces=pieces,
        largest_part=lambda: source().base_queryset(),
        download_name=lambda at: f"{export.name}.{file_format}",
        url_name=f"{export.export_url_name}_{file_format}",
        back_url_name=export.list_url_name,
    )


FULL_DOWNLOADS = {
    download.name: download
    for download in (
        list_download(MEETINGS, MeetingListSource, "csv"),
        list_download(MEETINGS, MeetingListSource, "json"),
        list_download(POSTULATES, PostulateListSource, "csv"),
        list_download(POSTULATES, PostulateListSource, "json"),
        list_download(COMMITMENTS, CommitmentListSource, "csv"),
        list_download(COMMITMENTS, CommitmentListSource, "json"),
        FullDownload(
            name="archiwum.zip",
            file_format="zip",
            pieces=archive_document,
            largest_part=lambda: postulates(timezone.now()),
            download_name=lambda at: (
                f"archiwum-spotkan-ngo-krakow-{timezone.localtime(at):%Y-%m-%d}.zip"
            ),
            url_name="opendata:archive",
            back_url_name="opendata_page:index",
        ),
    )
}


def build_file(download: FullDownload, generation: str, deadline=None):
    """Builds `download` from the data of `generation` and stores it as the current file.
    Returns the ExportFile, or None when another process is building it right now."""
    lock = f"opendata:building:{download.name}"
    if not cache.add(lock, 1, timeout=settings.EXPORT_BUILD_LOCK_SECONDS):
        return None
    try:
        at = timezone.now()
        with consistent_snapshot():
            built = build(download.pieces(ExportContext.for_site(at)), deadline)
        with built.file:
            unchanged = ExportFile.objects.filter(name=download.name, sha256=built.sha256).first()
            if unchanged and default_storage.exists(unchanged.path):
                # The same bytes as the stored file (a change elsewhere in the data): it stays,
                # with its date, and is marked current.
                unchanged.generation = generation
                unchanged.save(update_fields=["generation"])
                return unchanged
            stem, extension = download.name.rsplit(".", 1)
            path = default_storage.save(
                f"{STORAGE_FOLDER}/{stem}-{at:%Y%m%dT%H%M%S%f}-{built.sha256[:12]}.{extension}",
                File(built.file),
            )
        export_file, _created = ExportFile.objects.update_or_create(
            name=download.name,
            defaults={
                "path": path,
                "size": built.size,
                "sha256": built.sha256,
                "built_at": at,
                "generation": generation,
            },
        )
        delete_replaced_files(download)
        return export_file
    finally:
        cache.delete(lock)


def delete_replaced_files(download: FullDownload):
    """Keeps `download`'s current file and the one it replaced (a download that started from
    it may still be sending it); older builds are deleted."""
    if not default_storage.exists(STORAGE_FOLDER):
        return
    current = ExportFile.objects.get(name=download.name).path
    _folders, names = default_storage.listdir(STORAGE_FOLDER)
    # Its builds' names (stem-YYYYmmddTHHMMSSffffff-checksum.extension) sort by their moment.
    stem, extension = download.name.rsplit(".", 1)
    own = re.compile(
        rf"{re.escape(stem)}-\d{{8}}T\d{{6,12}}-[0-9a-f]{{12}}.*\.{re.escape(extension)}"
    )
    replaced = sorted(
        (f"{STORAGE_FOLDER}/{name}" for name in names if own.fullmatch(name)),
        reverse=True,
    )
    replaced = [path for path in replaced if path != current]
    for path in replaced[REPLACED_BUILDS_KEPT:]:
        default_storage.delete(path)


def delete_every_build():
    """Deletes every stored build, the current ones and those kept for downloads in flight,
    and forgets them: after a redaction none may be served, nor its bytes left in storage,
    with the removed name. The downloads are built anew (a small archive at once, a big one
    by `manage.py build_exports`)."""
    ExportFile.objects.all().delete()
    if not default_storage.exists(STORAGE_FOLDER):
        return
    # Every file of the folder, not only those the table names: the replaced builds kept
    # (delete_replaced_files) have no row of their own.
    _folders, names = default_storage.listdir(STORAGE_FOLDER)
    for name in names:
        default_storage.delete(f"{STORAGE_FOLDER}/{name}")


def build_stale_files(force=False):
    """What `manage.py build_exports` does: (name, ExportFile or None) of each file it built."""
    generation = current_generation().token
    stored = {f.name: f for f in ExportFile.objects.all()}
    built = []
    for name, download in FULL_DOWNLOADS.items():
        # A file gone from storage (a database restored without its media) is built again.
        if (
            force
            or name not in stored
            or stored[name].generation != generation
            or not default_storage.exists(stored[name].path)
        ):
            built.append((name, build_file(download, generation)))
    return built


def refresh_files():
    """The background worker's round (`manage.py alerts_worker`): builds every file that is
    missing or older than the data, so a fresh database's downloads appear by themselves. A
    failed build is logged and retried next round; the last complete file stays served."""
    try:
        for name, export_file in build_stale_files():
            if export_file is not None:
                logger.info("Built %s: %s B, sha256 %s", name, export_file.size, export_file.sha256)
    except Exception:
        logger.exception("Building the downloads of the whole archive failed.")


def current_file(download: FullDownload):
    """The stored file to serve for `download`: the current build; else, while the archive is
    small, one built now; else the last build (older data, with its date), or None."""
    generation = current_generation().token
    stored = ExportFile.objects.filter(name=download.name).first()
    if stored and stored.generation == generation and default_storage.exists(stored.path):
        return stored
    if download.fits_in_request():
        fresh = build_file(download, generation, request_deadline())
        if fresh is not None:
            return fresh
    if stored and default_storage.exists(stored.path):
        return stored
    return None


# --- Responses -----------------------------------------------------------------------------


def digest_header(sha256_hex):
    """RFC 9530 Repr-Digest: the checksum in the response, for clients that check it."""
    return f"sha-256=:{base64.b64encode(bytes.fromhex(sha256_hex)).decode()}:"


def file_response(handle, *, size, sha256, content_type, filename, last_modified=None):
    response = FileResponse(handle, content_type=content_type)
    return with_file_headers(
        response, size=size, sha256=sha256, filename=filename, last_modified=last_modified
    )


def with_file_headers(response, *, size, sha256, filename, last_modified=None):
    response["Content-Length"] = str(size)
    response["ETag"] = f'"{sha256}"'
    response["Repr-Digest"] = digest_header(sha256)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return with_download_headers(response, filename)


def with_download_headers(response, filename):
    """What a file's response says before its bytes are known: its name, how it is cached."""
    # Both forms: filename* (RFC 6266) for clients that read it, the plain one for the rest.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    # Always revalidated (the ETag makes that cheap); never kept by the page cache.
    response["Cache-Control"] = "no-cache"
    return same_in_every_language(response)


def wants_page(request):
    """A browser (which names text/html) gets a page; curl, scripts and harvesters, which ask
    for anything, get the same words as plain text."""
    return "text/html" in request.headers.get("Accept", "")


def refusal(request, message, status, *, retry_after=None, title, links=()):
    """A download not served: a Polish page with the ways on for a browser, plain text (the
    message and the links' addresses) otherwise. `links` are (label, path)."""
    if wants_page(request):
        body = render_to_string(
            "opendata/refusal.html",
            {"title": title, "message": message, "links": links},
            request=request,
        )
        response = HttpResponse(body, status=status)
    else:
        lines = [message, *(f"{label}: {absolute_url(path)}" for label, path in links)]
        response = HttpResponse(
            "\n".join(lines) + "\n", status=status, content_type="text/plain; charset=utf-8"
        )
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Accept"])
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def preparing(request, download: FullDownload):
    return refusal(
        request,
        "Plik jest właśnie przygotowywany. Spróbuj ponownie za kilka minut.",
        503,
        retry_after=120,
        title="Plik jest w przygotowaniu",
        links=ways_back(download),
    )


def ways_back(download: FullDownload):
    files_page = reverse("opendata_page:index")
    back = reverse(download.back_url_name)
    links = [("Wróć do listy", back)] if back != files_page else []
    return [*links, ("Wszystkie pliki do pobrania", files_page)]


def full_download_response(request, download: FullDownload):
    export_file = current_file(download)
    if export_file is None:
        return preparing(request, download)
    not_modified = get_conditional_response(
        request,
        etag=f'"{export_file.sha256}"',
        last_modified=int(export_file.built_at.timestamp()),
    )
    if not_modified is not None:
        # The same Vary as the file's 200, which GZipMiddleware (streaming, so compressible
        # whatever its size) makes vary by encoding; it leaves a body-less 304 alone.
        if compressible(download.content_type):
            patch_vary_headers(not_modified, ["Accept-Encoding"])
        return same_in_every_language(not_modified)
    headers = {
        "sha256": export_file.sha256,
        "filename": download.download_name(export_file.built_at),
        "last_modified": export_file.built_at,
    }
    if request.method == "HEAD":
        # The GET's headers without opening the file (from S3, a request of its own): the
        # server drops a HEAD's body. Streaming, though empty, so that GZipMiddleware gives
        # it the same Content-Encoding and Content-Length as the GET.
        response = StreamingHttpResponse((), content_type=download.content_type)
        response = with_file_headers(response, size=export_file.size, **headers)
        return offering_ranges(request, response, download)
    part = requested_range(request, export_file, download)
    if part is UNSATISFIABLE:
        response = refusal(
            request,
            f"Zakres bajtów poza plikiem: plik ma {export_file.size} B.",
            416,
            title="Zakres bajtów poza plikiem",
            links=ways_back(download),
        )
        response["Content-Range"] = f"bytes */{export_file.size}"
        return response
    try:
        handle = default_storage.open(export_file.path, "rb")
    except FileNotFoundError:
        logger.error("Prebuilt download %s missing from storage.", export_file.path)
        return preparing(request, download)
    if part is None:
        response = file_response(
            handle, size=export_file.size, content_type=download.content_type, **headers
        )
        return offering_ranges(request, response, download)
    first, last = part
    response = FileResponse(
        ByteRange(handle, first, last - first + 1),
        content_type=download.content_type,
        status=206,
    )
    response = with_file_headers(response, size=last - first + 1, **headers)
    response["Content-Range"] = f"bytes {first}-{last}/{export_file.size}"
    return response


# Ranges are of the file's own bytes. To a client that takes gzip, GZipMiddleware sends a
# compressible file (CSV, JSON) compressed as it streams, whose offsets are not the file's:
# such a request gets the whole file (RFC 9110 lets a server ignore Range), so a resumed
# download is never spliced from two encodings. curl, wget -c and download managers ask
# without gzip and get the part; a file compressed already (the ZIP) is sent as it is to
# everyone, so every client gets its ranges.
RANGE = re.compile(r"bytes=(\d*)-(\d*)", re.ASCII | re.IGNORECASE)
UNSATISFIABLE = object()


def serves_ranges(request, download):
    return not compressible(download.content_type) or not re_accepts_gzip.search(
        request.headers.get("Accept-Encoding", "")
    )


def offering_ranges(request, response, download):
    if serves_ranges(request, download):
        response["Accept-Ranges"] = "bytes"
    return response


def requested_range(request, export_file, download):
    """(first, last) byte of the one range a GET asks for, UNSATISFIABLE for one past the
    file's end (416), or None for the whole file: no Range, one this server ignores (several
    ranges, another unit, bad syntax, a gzip client), or an If-Range naming another version."""
    header = request.headers.get("Range", "")
    if request.method != "GET" or not header or not serves_ranges(request, download):
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range not in (
        f'"{export_file.sha256}"',
        http_date(export_file.built_at.timestamp()),
    ):
        return None
    match = RANGE.fullmatch(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    size = export_file.size
    if first == "":  # the last `last` bytes
        suffix = int(last)
        return (max(size - suffix, 0), size - 1) if suffix and size else UNSATISFIABLE
    first = int(first)
    if last and int(last) < first:
        return None  # invalid: ignored, as RFC 9110 (14.2) says
    if first >= size:
        return UNSATISFIABLE
    return first, size - 1 if last == "" else min(int(last), size - 1)


class ByteRange:
    """`length` bytes of an open file from `first`, read as FileResponse reads a file."""

    def __init__(self, handle, first, length):
        handle.seek(first)
        self.handle = handle
        self.left = length

    def read(self, size=-1):
        if size < 0 or size > self.left:
            size = self.left
        chunk = self.handle.read(size) if size else b""
        self.left -= len(chunk)
        return chunk

    def close(self):
        self.handle.close()


def checksum_response(request, download: FullDownload):
    """`<sha256>  <file name>`, as sha256sum writes and checks it."""
    export_file = current_file(download)
    if export_file is None:
        return preparing(request, download)
    response = HttpResponse(
        f"{export_file.sha256}  {download.download_name(export_file.built_at)}\n",
        content_type="text/plain; charset=utf-8",
    )
    response["Last-Modified"] = http_date(export_file.built_at.timestamp())
    response["Cache-Control"] = "no-cache"
    return same_in_every_language(response)


def filter_words(filterset):
    """ASCII words naming each applied filter, in the form's order: a year, a department's
    abbreviation (or its slug), an organisation's slug, a choice's value, the searched words."""
    words = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, ArchiveYear):
            words.append(str(value.year))
        elif getattr(value, "abbreviation", ""):
            words.append(value.abbreviation)
        elif hasattr(value, "slug"):
            words.append(value.slug)
        elif name == "historia":
            words.append("historia")
        else:
            words.append(str(value))
    return [word for word in (polish_slugify(word) for word in words) if word]


def filtered_file_name(export: ListExport, filterset, file_format):
    """`postulaty-2025-mops.csv`: the file says which part of the list it holds."""
    stem = "-".join([export.name, *filter_words(filterset)])
    return f"{polish_slugify(stem, max_length=FILE_NAME_MAX_LENGTH)}.{file_format}"


def export_quota(request):
    """The client's standing against the limit of filtered exports (None when unlimited).
    Only they are counted: each is built during its request, where the files of the whole
    lists are prebuilt and cost a file read."""
    if not settings.EXPORT_RATE_LIMIT:
        return None
    return take("exports", client_ip(request), settings.EXPORT_RATE_LIMIT)


def over_export_limit(request, links):
    """The 429 of a client past the limit of filtered files (any built during the request: the
    lists' and the statistics'), counting this one; None while it may have it."""
    quota = export_quota(request)
    if quota is None or quota.allowed:
        return None
    return refusal(
        request,
        "Z tego adresu pobrano w ostatniej chwili zbyt wiele plików z filtrami. Spróbuj "
        f"ponownie za {quota.retry_after()} s albo pobierz pełny plik bez filtrów.",
        429,
        retry_after=quota.retry_after(),
        title="Zbyt wiele pobrań plików z filtrami",
        links=links,
    )


def filtered_list_response(request, export: ListExport, filterset, file_format):
    """A filtered list's records, built in full before the first byte if there are few enough
    (so a slow or failing build is an error, never a short 200), or a refusal."""
    queryset = filterset.qs
    limit = settings.EXPORT_REQUEST_MAX_RECORDS
    full = FULL_DOWNLOADS[f"{export.name}.{file_format}"]
    query = request.GET.copy()
    query.pop("page", None)
    back = reverse(export.list_url_name) + (f"?{query.urlencode()}" if query else "")
    links = (("Wróć do listy", back), ("Pełny plik bez filtrów", reverse(full.url_name)))
    # A HEAD builds nothing, so it is not counted against the limit.
    if request.method != "HEAD" and (refused := over_export_limit(request, links)):
        return refused
    count = queryset[: limit + 1].count()
    if count > limit:
        most = grouped(limit)
        return refusal(
            request,
            f"Wybrano więcej niż {most} pozycji, a plik z filtrami może mieć najwyżej {most}. "
            "Zawęź filtry albo pobierz pełny plik.",
            422,
            title="Za dużo pozycji na plik z filtrami",
            links=links,
        )
    if request.method == "HEAD":
        # The GET's headers but those only the built file gives: its length, ETag and digest,
        # which RFC 9110 (9.3.2) lets a HEAD leave out. Building the file for them would run
        # every query of the export for a body the server drops. Streaming, though empty, so
        # that GZipMiddleware treats it as the GET.
        response = StreamingHttpResponse((), content_type=CONTENT_TYPES[file_format])
        response = with_download_headers(
            response, filtered_file_name(export, filterset, file_format)
        )
        response["X-Robots-Tag"] = "noindex"
        return response
    at = timezone.now()
    try:
        with consistent_snapshot():
            context = ExportContext.for_request(request, at)
            built = build(list_document(export, queryset, context, file_format), request_deadline())
    except BuildTooSlow:
        return refusal(
            request,
            "Przygotowanie pliku trwało zbyt długo i zostało przerwane. Zawęź filtry albo "
            "spróbuj ponownie później.",
            503,
            retry_after=60,
            title="Nie udało się przygotować pliku",
            links=links,
        )
    response = file_response(
        built.file,
        size=built.size,
        sha256=built.sha256,
        content_type=CONTENT_TYPES[file_format],
        filename=filtered_file_name(export, filterset, file_format),
    )
    # One export per filter combination: the lists themselves are what search engines index.
    response["X-Robots-Tag"] = "noindex"
    return response

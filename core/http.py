"""What a view tells the middleware about its response."""


def same_in_every_language(response):
    """Marks a response whose bytes are the same whatever the reader's language (a download, a
    data file): LocaleMiddleware (krakow_ngo.middleware) then adds neither Vary:
    Accept-Language, which would make proxies and CDNs keep one copy per browser language, nor
    a Content-Language naming the interface's language instead of the file's."""
    response.same_in_every_language = True
    return response


# Formats whose bytes are compressed already: ZIP and its containers (DOCX, XLSX, PPTX, ODT,
# ODS, ODP), PDF's own streams, images, sound and video. Gzip would gain nothing on them and
# cost what matters on a download: its length (no progress bar) and its byte ranges (no
# resumed download).
ALREADY_COMPRESSED = (
    "application/zip",
    "application/gzip",
    "application/x-7z-compressed",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.oasis.opendocument.",
    "image/",
    "audio/",
    "video/",
    "font/woff",
)


def compressible(content_type):
    """Whether gzip may pay on a response of this Content-Type (krakow_ngo.middleware.
    GZipMiddleware asks, and the prebuilt downloads' byte ranges follow it)."""
    return not content_type.strip().lower().startswith(ALREADY_COMPRESSED)

"""Optional OCR of scanned PDF pages: Tesseract (Debian's tesseract-ocr and tesseract-ocr-pol)
through pytesseract, run by the background worker, never during a request.

Without the tesseract program or its Polish data, `available()` is False and the archive only
flags the scan (accessibility.document_checks). Bounded as the other readers are: at most
MAX_PAGES pages and MAX_IMAGES_PER_PAGE images a page, each image given PAGE_TIMEOUT seconds
(Tesseract is killed past it), the whole file MAX_SECONDS; Pillow refuses images of more than
its MAX_IMAGE_PIXELS (a decompression bomb)."""

import logging
import shutil
import time

from pypdf import PasswordType, PdfReader

logger = logging.getLogger(__name__)

LANGUAGE = "pol"
MAX_PAGES = 100
MAX_IMAGES_PER_PAGE = 20
PAGE_TIMEOUT = 120
MAX_SECONDS = 30 * 60
MAX_CHARS = 1_000_000


def available():
    """Whether OCR can run here: pytesseract, the tesseract program and its Polish data."""
    try:
        import pytesseract
    except ImportError:
        return False
    if not shutil.which(pytesseract.pytesseract.tesseract_cmd):
        return False
    try:
        return LANGUAGE in pytesseract.get_languages(config="")
    except Exception:  # a broken installation is as good as none
        logger.warning("Tesseract is installed but does not answer", exc_info=True)
        return False


def recognise_pdf(file, pages):
    """{page number: text} of what Tesseract reads in the images of `pages` (numbers from 1)
    of a PDF; pages where it reads nothing are left out. Raises what the reader or Tesseract
    raises."""
    import pytesseract

    reader = PdfReader(file, strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        return {}
    deadline = time.monotonic() + MAX_SECONDS
    found, length = {}, 0
    for number in sorted(set(pages))[:MAX_PAGES]:
        if time.monotonic() > deadline or length >= MAX_CHARS or number > len(reader.pages):
            break
        parts = []
        for index, image in enumerate(reader.pages[number - 1].images):
            if index >= MAX_IMAGES_PER_PAGE:
                break
            text = pytesseract.image_to_string(image.image, lang=LANGUAGE, timeout=PAGE_TIMEOUT)
            if text.strip():
                parts.append(text.strip())
        if parts:
            found[number] = "\n\n".join(parts)[: MAX_CHARS - length]
            length += len(found[number])
    return found


def joined(pages):
    """The text of {page number: text}, page after page, as the search reads it."""
    return "\n\n".join(pages[number] for number in sorted(pages))

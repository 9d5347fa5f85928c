"""Our RTF reader (files/text_extraction.py) next to striprtf, the maintained RTF-to-text library.

    .venv/bin/pip install striprtf && .venv/bin/python bench/rtf_readers.py

On the cases that decide which one the archive keeps: Polish text as Word writes it (\\'xx
bytes in the code page of \\ansicpg or of the font's \\fcharset), \\uN escapes with their
fallback characters, nesting bombs, and a 5 MB document (time and peak memory, by
tracemalloc). striprtf takes text, so the bytes are given to it as Latin-1, which keeps every
byte as it is. A benchmark, not a test: it prints and asserts nothing.
"""

import io
import logging
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from files import text_extraction
from files.text_extraction import extract_text

try:
    from striprtf.striprtf import rtf_to_text
except ImportError:
    sys.exit("striprtf is not installed (it is no dependency): pip install striprtf")

POLISH = "Zażółć gęślą jaźń"
FONT_TABLE = rb"{\fonttbl{\f0\fswiss\fcharset238 Arial;}{\f1\froman\fcharset0 Times;}}"

CASES = {
    "cp1250 bytes, \\ansicpg1250": (
        rb"{\rtf1\ansi\ansicpg1250\deff0{\fonttbl{\f0 Arial;}}"
        rb"\f0 Za\'bf\'f3\'b3\'e6 g\'ea\'9cl\'b9 ja\'9f\'f1\par}",
        POLISH,
    ),
    "cp1250 bytes by the font's \\fcharset238 in a \\ansicpg1252 document": (
        rb"{\rtf1\ansi\ansicpg1252\deff0" + FONT_TABLE + rb"\f0 Za\'bf\'f3\'b3\'e6 g\'ea\'9cl\'b9 "
        rb"ja\'9f\'f1\par}",
        POLISH,
    ),
    "no code page named (a Polish Windows default)": (
        rb"{\rtf1\ansi Za\'bf\'f3\'b3\'e6 g\'ea\'9cl\'b9 ja\'9f\'f1\par}",
        POLISH,
    ),
    "a byte cp1250 leaves undefined (\\'98)": (
        rb"{\rtf1\ansi\ansicpg1250 przed\'98po\par}",
        "przed\ufffdpo",
    ),
    "\\uN with one fallback character": (
        rb"{\rtf1\ansi\uc1 Za\u380?\u243?\u322?\u263? g\u281?\u347?l\u261? ja\u378?\u324?\par}",
        POLISH,
    ),
    "\\uN with two-byte fallbacks (\\uc2) as \\'xx": (
        rb"{\rtf1\ansi\uc2 Za\u380\'bf\'bf\u243\'f3\'f3\u322\'b3\'b3\u263\'e6\'e6\par}",
        "Zażółć",
    ),
    "\\uN beyond U+FFFF as two negative halves": (
        rb"{\rtf1\ansi\uc1 u\u-10179?\u-8704? e\par}",
        "u\U0001f600 e",
    ),
    "a hyperlink field, a picture and the metadata": (
        rb"{\rtf1\ansi\ansicpg1250" + FONT_TABLE + rb"{\info{\title Tytu\'b3}{\author Autor}}"
        rb"{\field{\*\fldinst{HYPERLINK \"https://www.krakow.pl/\"}}{\fldrslt{Krak\'f3w}}}"
        rb"{\pict\pngblip 89504e470d0a1a0a0000}\par}",
        "Kraków",
    ),
}


def ours(data):
    return extract_text(io.BytesIO(data), "RTF")


def ours_uncapped(data):
    """The whole text, as striprtf gives it: no stop at MAX_CHARS."""
    capped, text_extraction.MAX_CHARS = text_extraction.MAX_CHARS, 10**9
    try:
        return ours(data)
    finally:
        text_extraction.MAX_CHARS = capped


def striprtf(data):
    return rtf_to_text(data.decode("latin-1"), errors="replace").strip()


READERS = {"ours": ours, "striprtf": striprtf}


def measure(reader, data):
    """(text or the error, seconds, peak MB)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = reader(data)
    except Exception as error:  # a reader that breaks is a result too
        result = f"{type(error).__name__}: {error}"[:80]
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return result, seconds, peak


def show(result, limit=60):
    text = result if isinstance(result, str) else repr(result)
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


def correctness():
    print("Correctness (✓ when the text is the expected one)")
    for name, (data, expected) in CASES.items():
        print(f"  {name}: expected {expected!r}")
        for reader_name, reader in READERS.items():
            result, _, _ = measure(reader, data)
            mark = "✓" if result.strip() == expected else "✗"
            print(f"    {mark} {reader_name:9} {show(result)}")


def big_document(megabytes=5):
    """A Word-like document: a font table, styles, paragraphs of Polish text in \\'xx bytes and
    \\uN escapes with formatting words, and a picture as hex, to `megabytes` MB."""
    head = rb"{\rtf1\ansi\ansicpg1250\deff0" + FONT_TABLE + rb"{\stylesheet{\s0 Normal;}}"
    paragraph = (
        rb"\pard\plain\s0\f0\fs24 Wydzia\'b3 \b \'8crodowiska\b0  odpowiada na postulat "
        rb"organizacji: \u380?\'f3\u322?w, \i g\'ea\'9c\i0  i \'bfuraw \'b3\'b9ka.\par" + b"\n"
    )
    picture = b"{\\pict\\pngblip " + b"89504e47" * 64 * 1024 + b"}\n"
    body = bytearray(head)
    while len(body) < megabytes * 1024 * 1024:
        body += paragraph * 1000
        body += picture if len(body) < 2 * 1024 * 1024 else b""
    return bytes(body + b"}")


def performance():
    samples = {
        "5 MB document": big_document(),
        "1 000 000 nested {": b"{\\rtf1 tekst " + b"{" * 1_000_000,
        "100 000 nested {} pairs": b"{\\rtf1 tekst " + b"{" * 100_000 + b"}" * 100_000 + b"}",
        "5 MB of plain text": b"{\\rtf1\\ansi " + b"slowo " * (5 * 1024 * 1024 // 6) + b"}",
    }
    print("\nSpeed and memory (time, peak of Python allocations, characters of text)")
    print(f"  ours stops at {text_extraction.MAX_CHARS:,} characters; ours* reads to the end")
    for name, data in samples.items():
        print(f"  {name} ({len(data) / 1024 / 1024:.1f} MB)")
        for reader_name, reader in {**READERS, "ours*": ours_uncapped}.items():
            result, seconds, peak = measure(reader, data)
            print(
                f"    {reader_name:9} {seconds:6.2f} s {peak:7.1f} MB  "
                f"{len(result):>9,} chars  {show(result, 30)}"
            )


if __name__ == "__main__":
    # Ours logs why it stopped (a nesting bomb); the table says what came out.
    logging.getLogger("files.text_extraction").setLevel(logging.CRITICAL)
    correctness()
    performance()

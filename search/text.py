"""Text as the search sees it: lowercase, without Polish diacritics, words only.

Polish inflects heavily and people type without diacritics, so both the stored text and the
query are folded ("Środowiska" → "srodowiska"), and each query word is cut to a stem that is
matched as a word prefix ("postulatów" → "postulat*" finds "postulat", "postulaty"). A full
Polish morphological dictionary (simplemma, pystempel) costs 200–400 MB of memory per worker;
suffix stripping gets the common cases for nothing.
"""

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "l"})

# Inflectional endings, longest first, in folded form (ów → ow). A stem keeps at least
# MIN_STEM letters, so short words are never cut to nothing.
_SUFFIXES = sorted(
    [
        "owie",
        "ami",
        "ach",
        "ego",
        "emu",
        "owi",
        "ych",
        "ymi",
        "imi",
        "iej",
        "ich",
        "ow",
        "om",
        "ie",
        "ia",
        "iu",
        "ej",
        "em",
        "ym",
        "zy",
        "y",
        "i",
        "a",
        "e",
        "o",
        "u",
    ],
    key=len,
    reverse=True,
)
MIN_STEM = 4
MAX_TERMS = 8
MIN_TERM = 2


# Characters below this are remembered once folded (Latin, Greek, Cyrillic, punctuation...);
# others are folded each time, so crafted queries cannot grow the table without bound.
_REMEMBERED_BELOW = 0x3000


class _FoldTable(dict):
    """Character code -> its folded character, worked out the first time it is met: a
    str.translate table, ten times faster than folding character by character in Python."""

    def __missing__(self, code):
        char = chr(code).translate(_LETTERS_WITHOUT_DECOMPOSITION)
        base = unicodedata.normalize("NFKD", char.lower()[:1] or " ")[:1]
        folded = base if base.isalnum() else " "
        if code < _REMEMBERED_BELOW:
            self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text):
    """`text` lowercased, without diacritics, with every non-alphanumeric character as a space.

    The result has exactly the length of `text`, so a match found in it marks the same
    characters in the original (used for highlighting)."""
    return text.translate(_FOLD)


# Invisible characters inside a word (a soft hyphen, zero-width spaces and joiners, a byte
# order mark): the word reads whole, so a name check must read it whole too.
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
# A word written with spaced letters ("K o w a l s k a"): three or more single letters one
# space apart; two spaces or more part the words.
_SPACED_LETTERS = re.compile(r"(?<!\w)\w(?: \w(?!\w)){2,}")


# Letters of other scripts drawn like Latin ones ("Zеnobia" with a Cyrillic е): a name
# written with them reads as the name. Only for checking whether a text names someone; the
# text itself is never rewritten with them (Cyrillic text stays Cyrillic).
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁԛԝзАВЕКМНОРСТХІЈЅЗΑΒΕΖΗΙΚΜΝΟΡΤΥΧαιοκνρτυχ",
    "aeopcyxijsdqwzABEKMHOPCTXIJSZABEZHIKMNOPTYXaioknptux",
)


def as_read(text):
    """`text` with the words a reader sees as words written as such: letters composed with
    their accents (NFC: a name typed as "Z" and a combining dot reads "Ż"), invisible
    characters taken out, spaced letters joined ("A n n a  K o w a l s k a" reads
    "Anna  Kowalska")."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACED_LETTERS.sub(lambda match: match.group().replace(" ", ""), text)


def without_lookalikes(text):
    """`text` with letters of other scripts drawn like Latin ones written as the Latin ones."""
    return text.translate(_LOOKALIKES)


def search_text(*parts):
    """What a record stores for searching: its folded words, space-delimited on both ends so
    a word prefix is always found as " prefix" (letters composed first: a decomposed accent
    would otherwise part a word in two)."""
    joined = unicodedata.normalize("NFC", " ".join(str(part) for part in parts if part))
    words = fold(joined).split()
    return f" {' '.join(words)} " if words else ""


# Stems ending in a vowel that alternates with "ę"/"ą" (zwierzęta, zwierząt; kocięta, kociąt):
# folded, the two forms differ ("zwierzet", "zwierzat"), so the stem stops before the vowel.
_ALTERNATING_ENDINGS = ("rzet", "rzat", "czet", "czat", "ciet", "ciat", "siet", "siat")


def stem(word):
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    if word.endswith(_ALTERNATING_ENDINGS) and len(word) - 2 >= MIN_STEM:
        return word[:-2]
    return word


# Cached: a search asks for the forms of each term once per kind and read, and stemming
# some ninety candidates each time was a fifth of the search's Python time.
@functools.lru_cache(maxsize=1024)
def word_forms(term):
    """The words whose stem is `term`: the forms of the typed word ("lokal": lokal, lokale,
    lokali, lokalach...; "zwierz": zwierzeta, zwierzat, zwierzetami...), not the longer words
    it begins ("lokalnych", "zwierzyniec"); a tuple, shared by every caller."""
    candidates = [term] if len(term) >= MIN_TERM else []
    for middle in ("", "et", "at"):
        candidates += [term + middle + suffix for suffix in ("", *_SUFFIXES)]
    return tuple(sorted({word for word in candidates if stem(word) == term}))


# Abbreviations people type for words the archive's texts spell out, folded: a term matches
# the abbreviation and every word its stand-in begins ("NGO" finds "organizacji
# pozarządowych", as the search box's own example "lokale dla NGO" promises).
STANDS_FOR = {
    "ngo": "pozarzad",
    "ngos": "pozarzad",
}


def alternatives(term):
    """The word prefixes `term` matches: itself, and what it abbreviates (STANDS_FOR)."""
    return [term, STANDS_FOR[term]] if term in STANDS_FOR else [term]


def is_whole(term):
    """Numbers and codes ("10", "c 10") match whole words only: "10" is not "100" or "2010"."""
    return any(char.isdigit() for char in term)


def query_words(query):
    """(term, word) for each distinct term a query asks for, at most MAX_TERMS, in order: the
    term is matched (a stem, as a word prefix; or a whole number or code), the word as typed
    ranks exact matches first. A single letter before a number is one code with it ("C 10")."""
    words = fold(query).split()
    pairs = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if len(word) == 1 and word.isalpha() and following.isdigit():
            word = f"{word} {following}"
            index += 1
        index += 1
        term = word if is_whole(word) else stem(word)
        if len(term) >= MIN_TERM and term not in (known for known, _word in pairs):
            pairs.append((term, word))
    return pairs[:MAX_TERMS]


def query_terms(query):
    """The distinct stems a query asks for, at most MAX_TERMS of them, in order."""
    return [term for term, _word in query_words(query)]


# Month names, as a meeting's text carries its month (nominative and genitive), so "czerwiec"
# and "czerwca" find meetings held in June.
_MONTHS = (
    ("styczen", "stycznia"),
    ("luty", "lutego"),
    ("marzec", "marca"),
    ("kwiecien", "kwietnia"),
    ("maj", "maja"),
    ("czerwiec", "czerwca"),
    ("lipiec", "lipca"),
    ("sierpien", "sierpnia"),
    ("wrzesien", "wrzesnia"),
    ("pazdziernik", "pazdziernika"),
    ("listopad", "listopada"),
    ("grudzien", "grudnia"),
)


def month_names(day):
    return _MONTHS[day.month - 1] if day else ()


def highlight(text, terms, width=240):
    """An escaped excerpt of `text` around the first match, with matches in <mark>."""
    if not text:
        return ""
    folded = fold(text)
    # A prefix marks the rest of its word; a number or code only itself, whole.
    patterns = (
        re.escape(term) + r"(?![^\W_])"
        if is_whole(term)
        else "|".join(re.escape(prefix) + r"\w*" for prefix in alternatives(term))
        for term in terms
    )
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(patterns) + ")")
    matches = list(pattern.finditer(folded)) if terms else []
    start = 0
    if matches and len(text) > width:
        start = max(0, min(matches[0].start() - width // 3, len(text) - width))
        # Begin at a word boundary, not in the middle of a word.
        while start > 0 and folded[start - 1] != " ":
            start -= 1
    end = min(len(text), start + width)
    pieces, cursor = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        cursor = match.end()
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces).strip() + suffix)  # every piece is escaped

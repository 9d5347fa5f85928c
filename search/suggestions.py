""" "Czy chodziło Ci o: …": the archive's own words closest to a query that found nothing.

PostgreSQL looks for them among all the words the full-text indexes hold (search_word,
search migration 0003) by trigram similarity (pg_trgm, its index added by migration 0005).
SQLite has neither: it compares with difflib against the words of the most recent meetings'
texts, a bounded list that holds the names and subjects people search for.

Both lists hold folded words ("mlodziezy", "krakow"), which readers do not write, so each
word offered is shown as the archive's public records write it most often ("młodzieży",
"Kraków"), read from a few of the records holding it (written_form). A word no public record
holds is not offered: its link would find nothing."""

import difflib
import re
import unicodedata
from collections import Counter

from django.db import connection

from meetings.models import Meeting
from search.engine import _holding_any, listed_words
from search.kinds import KINDS
from search.text import alternatives, fold, is_whole

# Words of this many most recent meetings make SQLite's list (a few thousand words).
SQLITE_MEETINGS = 500
# pg_trgm's similarity below which a word is not offered (its own default is 0.3).
SIMILARITY = 0.3
CLOSENESS = 0.75  # difflib's ratio below which a word is not offered
# The closest words tried, best first, until one is held by a public record.
CANDIDATES = 5
# How many times CANDIDATES PostgreSQL's trigram index reads before they are ordered again.
NEAREST_READ = 4
# Records of each kind read for a word's written form, and the occurrences after which no
# further kind is read: the form most records write shows in the first few.
RECORDS_READ = 10
ENOUGH_OCCURRENCES = 10
# Kinds in the order they are read: running text first (a meeting's text also holds its
# departments' and programme's names, title case), documents last (a document's text may be
# a million characters).
FORM_KINDS = ("postulaty", "stanowiska", "spotkania", "organizacje", "lata", "dokumenty")
# Characters after which a capital may be the sentence's or the title's, not the word's
# (a line's end, a tag's in rich text).
_SENTENCE_ENDS = ".!?:;\n\r>"


def _closest_on_postgresql(word):
    """The CANDIDATES words closest to `word`: the nearest by trigrams (what the index finds
    fast), ordered again by how much of the word they keep, as SQLite's difflib orders them.
    Trigrams alone put "edycja" before "edukacja" for "edukcja": a dropped letter breaks
    three trigrams, a changed one as many, but the word kept is the better guess."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM (SELECT DISTINCT word, word <-> %s AS distance FROM search_word "
            "WHERE word %% %s AND similarity(word, %s) >= %s "
            "ORDER BY distance, word LIMIT %s) AS closest ORDER BY distance, word",
            [word, word, word, SIMILARITY, CANDIDATES * NEAREST_READ],
        )
        nearest = [row[0] for row in cursor.fetchall()]
    # sorted() keeps the trigram order among words that keep as much.
    kept = sorted(nearest, key=lambda candidate: -_kept_of(word, candidate))
    return kept[:CANDIDATES]


def _kept_of(word, candidate):
    return difflib.SequenceMatcher(None, word, candidate).ratio()


def _sqlite_vocabulary():
    texts = (
        Meeting.objects.published()
        .order_by("-starts_on", "-pk")
        .values_list("search_text", flat=True)[:SQLITE_MEETINGS]
    )
    return sorted({word for text in texts for word in text.split() if len(word) > 2})


def _holding(kind, word):
    """Up to RECORDS_READ public records of `kind` holding the folded `word`, loaded for their
    text (any of them: the index yields them unordered, which is cheapest)."""
    records = _holding_any(kind.model.objects.published(), [word], "holding")
    return kind.load_for_text(records.order_by())[:RECORDS_READ]


def _occurrences(part, word):
    """(written form, whether a capital there may be the sentence's) of each occurrence of the
    folded `word` in the text `part`."""
    text = unicodedata.normalize("NFC", str(part))
    folded = fold(text)  # as long as the text, so a match marks the written characters
    for match in re.finditer(rf"(?<!\S){re.escape(word)}(?!\S)", folded):
        written = text[match.start() : match.end()]
        before = match.start() - 1
        while before >= 0 and text[before] in " \t\u00a0":
            before -= 1
        yield written, before < 0 or text[before] in _SENTENCE_ENDS


def written_form(word):
    """The folded `word` as the public records holding it write it, or None when no public
    record holds it. The letters are the most common spelling's ("młodzieży", not a web
    address's "mlodziezy"); of its forms, the lower-case one wherever running text writes it
    so (a name, "Rada Młodzieży", does not make the word a name), else the most common one
    inside a sentence ("Kraków"), else the lower-case word (a capital only where a sentence,
    a title or a line begins is theirs)."""
    inside, initial, held = Counter(), Counter(), False
    for key in FORM_KINDS:
        kind = KINDS[key]
        for record in _holding(kind, word):
            held = True
            for part in record.search_parts():
                if part:
                    for written, at_start in _occurrences(part, word):
                        (initial if at_start else inside)[written] += 1
        if sum(inside.values()) + sum(initial.values()) >= ENOUGH_OCCURRENCES:
            break
    if not held:
        return None
    spellings = Counter()
    for written, count in (inside + initial).items():
        spellings[written.lower()] += count
    if not spellings:
        return word  # held in a text the record composes (a month's name), not written in it
    spelling = _most_common(spellings)
    written_inside = Counter({form: n for form, n in inside.items() if form.lower() == spelling})
    if spelling in written_inside or not written_inside:
        return spelling
    return _most_common(written_inside)


def _most_common(forms):
    # On a tie the form with fewer capitals, then the first in order: the same every time.
    return min(forms, key=lambda form: (-forms[form], sum(map(str.isupper, form)), form))


def _begins_words(term, listed, vocabulary):
    prefixes = alternatives(term)
    if vocabulary is None:
        return any(listed.get(prefix) for prefix in prefixes)
    return any(word.startswith(prefix) for word in vocabulary for prefix in prefixes)


def _closest(word, vocabulary):
    if vocabulary is None:
        return _closest_on_postgresql(word)
    return difflib.get_close_matches(word, vocabulary, n=CANDIDATES, cutoff=CLOSENESS)


def suggestion(text, words):
    """The query `text` with each of its `words` ((term, word as typed) to match in the text)
    replaced by the closest word the archive holds, as its records write it, or None when
    there is nothing to offer. The other words stay as typed."""
    vocabulary = None if connection.vendor == "postgresql" else _sqlite_vocabulary()
    # A word that begins words of the archive is not the typo: it stays as typed.
    terms = [term for term, _word in words if not is_whole(term)]
    listed = listed_words(terms) if vocabulary is None and terms else {}
    replaced = {}
    for term, word in words:
        if is_whole(word) or len(word) < 4 or _begins_words(term, listed, vocabulary):
            continue
        for closest in _closest(word, vocabulary):
            if closest == word:
                break
            written = written_form(closest)
            if written:
                replaced[word] = written
                break
    if not replaced:
        return None
    text = unicodedata.normalize("NFC", text)
    return " ".join(
        replaced.get(match.group(), text[match.start() : match.end()])
        for match in re.finditer(r"\S+", fold(text))
    )

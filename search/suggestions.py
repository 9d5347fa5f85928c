""" "Czy chodziło Ci o: …": the archive's own words closest to a query that found nothing.

PostgreSQL looks for them among all the words the full-text indexes hold (search_word,
search migration 0003) by trigram similarity (pg_trgm, its index added by migration 0005).
SQLite has neither: it compares with difflib against the words of the most recent meetings'
texts, a bounded list that holds the names and subjects people search for."""

import difflib

from django.db import connection

from meetings.models import Meeting
from search.text import fold, is_whole

# Words of this many most recent meetings make SQLite's list (a few thousand words).
SQLITE_MEETINGS = 500
# pg_trgm's similarity below which a word is not offered (its own default is 0.3).
SIMILARITY = 0.3
CLOSENESS = 0.75  # difflib's ratio below which a word is not offered


def _closest_on_postgresql(word):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM search_word WHERE word %% %s AND similarity(word, %s) >= %s "
            "ORDER BY word <-> %s, word LIMIT 1",
            [word, word, SIMILARITY, word],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _sqlite_vocabulary():
    texts = (
        Meeting.objects.published()
        .order_by("-starts_on", "-pk")
        .values_list("search_text", flat=True)[:SQLITE_MEETINGS]
    )
    return sorted({word for text in texts for word in text.split() if len(word) > 2})


def suggestion(text, words):
    """The query `text` with each of its `words` ((term, word as typed) to match in the text)
    replaced by the closest word the archive holds, or None when there is nothing to offer."""
    postgresql = connection.vendor == "postgresql"
    vocabulary = None if postgresql else _sqlite_vocabulary()
    replaced = {}
    for _term, word in words:
        if is_whole(word) or len(word) < 4:
            continue
        if postgresql:
            closest = _closest_on_postgresql(word)
        else:
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=CLOSENESS)
            closest = close[0] if close else None
        if closest and closest != word:
            replaced[word] = closest
    if not replaced:
        return None
    return " ".join(replaced.get(word, word) for word in fold(text).split())

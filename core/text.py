"""Short forms of editors' texts, for names of records (titles, admin lists, feeds)."""

ELLIPSIS = "…"
# Left off the end of a cut text: a comma or a dash before "…" reads as a typo.
TRAILING = " ,;:.–—-"


def shorten(text, limit):
    """`text` on one line and, past `limit` characters, cut at the last whole word within
    them and ended with "…", so a cut never looks like the end of the text. A first word
    longer than `limit` alone is cut inside."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    # One character more: a space right after the limit means its last word is whole.
    head = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else ""
    head = head.rstrip(TRAILING) or text[:limit]
    return head + ELLIPSIS

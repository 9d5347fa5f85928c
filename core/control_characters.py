"""Characters no text of the archive may hold: control characters other than tab and line
ends, and the few code points XML 1.0 refuses outright (U+FFFE, U+FFFF, lone surrogates).

Atom and iCalendar cannot carry them, so one in a title would break every feed listing it.
They are refused where editors' text comes in (admin forms, the spreadsheet import) and
dropped where text goes out to a feed or a calendar, for anything stored before.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext

FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# How much of the text before the character the message quotes, to help find an invisible one.
_CONTEXT_CHARS = 30


def forbidden_character_message(text):
    """What an editor is told about the first forbidden character of `text`; "" if none."""
    match = FORBIDDEN_CHARACTERS.search(text)
    if match is None:
        return ""
    character = match.group()
    kind = (
        gettext("znak sterujący")
        if unicodedata.category(character) == "Cc"
        else gettext("znak specjalny")
    )
    before = _words_before(text[: match.start()])
    where = (
        gettext("po „%(before)s”") % {"before": before} if before else gettext("na początku tekstu")
    )
    return gettext(
        "Tekst zawiera niedozwolony %(kind)s (U+%(code)04X) %(where)s. Usuń go i zapisz ponownie."
    ) % {"kind": kind, "code": ord(character), "where": where}


def _words_before(text):
    """The last whole words of `text`, up to _CONTEXT_CHARS characters."""
    words, length = [], -1
    for word in reversed(text.split()):
        if words and length + 1 + len(word) > _CONTEXT_CHARS:
            break
        words.append(word)
        length += 1 + len(word)
    return " ".join(reversed(words))[-_CONTEXT_CHARS:]


def reject_forbidden_characters(value):
    """A form field validator."""
    if message := forbidden_character_message(str(value)):
        raise ValidationError(message, code="forbidden_character")


def strip_forbidden_characters(text):
    """`text` without them; those that separate words (Word's line break U+000B, form feed,
    U+0085, ...) become a space, so the words around them stay apart."""
    return FORBIDDEN_CHARACTERS.sub(_replacement, text)


def _replacement(match):
    return " " if match.group().isspace() else ""


def guard_text_field(formfield):
    """Make a form's text field refuse forbidden characters; returns the field."""
    # Django's own check covers NUL alone: one message about the character is enough.
    formfield.validators = [
        validator
        for validator in formfield.validators
        if not isinstance(validator, ProhibitNullCharactersValidator)
    ]
    formfield.validators.append(reject_forbidden_characters)
    # Stored with accents composed (NFC): text pasted from macOS or a PDF may carry a letter
    # and its accent as two characters, which the name checks, the redaction's database
    # search and the search's words would each read as two.
    to_python = formfield.to_python
    formfield.to_python = lambda value: composed(to_python(value))
    return formfield


def composed(value):
    """`value` with its letters and accents composed (NFC), if it is text; as given if not.
    Also what text stored before the guard is brought to (search migration 0007)."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value

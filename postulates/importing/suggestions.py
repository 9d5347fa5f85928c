"""What an editor probably meant: the closest entries of a list the editors keep ("did you
mean"), and the existing organisation a new name nearly repeats."""

import difflib
import re
from collections import defaultdict

from postulates.importing.columns import fold

# difflib's ratio: 1.0 for equal texts. A typo or two in a word-long name ("Kultra" for
# "Kultura": 0.92) stays well above this; department names share "wydzial ", so a lower bar
# would offer "Wydział Sportu" for "Wydział Kulturalny".
SUGGESTION_CUTOFF = 0.75
MAX_SUGGESTIONS = 3


class ClosestNames:
    """The names of one list (spheres, outcomes, departments), ready to be compared with
    whatever a cell says, folded; each distinct text is compared once."""

    def __init__(self, names):
        self._name_by_key = {}
        for name in names:
            if name:
                self._name_by_key.setdefault(fold(name), name)
        self._found = {}

    def to(self, text):
        """Up to MAX_SUGGESTIONS names closest to `text`, the closest first."""
        key = fold(text)
        if key not in self._found:
            keys = difflib.get_close_matches(
                key, self._name_by_key, n=MAX_SUGGESTIONS, cutoff=SUGGESTION_CUTOFF
            )
            self._found[key] = [self._name_by_key[found] for found in keys]
        return self._found[key]


def quoted_list(names, conjunction="lub"):
    """„A”, „B” lub „C”."""
    quoted = [f"„{name}”" for name in names]
    if len(quoted) < 2:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {conjunction} {quoted[-1]}"


def did_you_mean(names):
    """The question to add to an error, or "" when nothing is close."""
    return f"Czy chodziło o: {quoted_list(names)}?" if names else ""


# --- Organisations ----------------------------------------------------------------------------

# Abbreviations of legal forms as NGO lists write them; "Fund. X" is "Fundacja X".
_LEGAL_FORM_ABBREVIATIONS = {
    "fund": "fundacja",
    "fundacji": "fundacja",
    "stow": "stowarzyszenie",
    "stowarz": "stowarzyszenie",
    "stowarzyszenia": "stowarzyszenie",
    "tow": "towarzystwo",
    "towarzystwa": "towarzystwo",
    "zw": "zwiazek",
    "zwiazku": "zwiazek",
}
_LEGAL_FORMS = frozenset(_LEGAL_FORM_ABBREVIATIONS.values())
_NOT_A_LETTER = re.compile(r"[\W_]+")
# Closer than a typo-free abbreviation of a word: "Koci Patrol" and "Koci Patol" (0.95).
ORGANISATION_LIKENESS_CUTOFF = 0.9


def likeness_key(name):
    """`name` without what makes two spellings of one organisation differ: case, Polish
    letters, quotation marks and other punctuation, abbreviated legal forms."""
    words = _NOT_A_LETTER.sub(" ", fold(name)).split()
    return " ".join(_LEGAL_FORM_ABBREVIATIONS.get(word, word) for word in words)


def _without_legal_form(key):
    # "Koci Patrol" is most likely "Fundacja Koci Patrol"; a name that is only a legal form
    # ("Fundacja") resembles nothing.
    return " ".join(word for word in key.split() if word not in _LEGAL_FORMS)


# A word's first letters find an organisation despite a typo further on. The rarest ones are
# compared first, and only so many names in all: prefixes beginning hundreds of names ("fund",
# "stow") tell little, and would make an import of many new names compare each with thousands.
_PREFIX_LENGTH = 4
_MAX_CANDIDATES = 300


def _prefixes(key):
    return {word[:_PREFIX_LENGTH] for word in key.split()}


class SimilarOrganisations:
    """Existing organisations by their likeness key, to find the one a new name resembles."""

    def __init__(self, organisations):
        self._by_key, self._by_core = {}, {}
        for organisation in organisations:
            key = likeness_key(organisation.name)
            self._by_key.setdefault(key, organisation)
            if core := _without_legal_form(key):
                self._by_core.setdefault(core, organisation)
        self._by_prefix = defaultdict(list)
        for key in self._by_key:
            for prefix in _prefixes(key):
                self._by_prefix[prefix].append(key)
        self._found = {}

    def to(self, name):
        """The existing organisation `name` most likely means, or None."""
        key = likeness_key(name)
        if key not in self._found:
            self._found[key] = (
                self._by_key.get(key)
                or self._by_core.get(_without_legal_form(key) or None)
                or self._closest(key)
            )
        return self._found[key]

    def _closest(self, key):
        candidates = set()
        postings = sorted((self._by_prefix.get(p, []) for p in _prefixes(key)), key=len)
        for keys in postings:
            if len(candidates) + len(keys) > _MAX_CANDIDATES:
                break
            candidates.update(keys)
        found = difflib.get_close_matches(key, candidates, n=1, cutoff=ORGANISATION_LIKENESS_CUTOFF)
        return self._by_key[found[0]] if found else None

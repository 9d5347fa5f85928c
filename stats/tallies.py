"""Postulates counted by outcome category, and what follows from the counts: each
category's share, the median, mean and longest wait for an answer, and how long unanswered
postulates have waited so far, exact from histograms of days. Plain arithmetic: nothing here
queries the database."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from postulates.models import Outcome

# A postulate without a published answer: counted beside the editors' outcome categories.
UNANSWERED = "bez-odpowiedzi"

# Column headings name postulates ("uwzględnione"), the vocabulary names one answer.
CATEGORY_LABELS = {
    Outcome.Category.ACCEPTED: _("uwzględnione"),
    Outcome.Category.PARTLY_ACCEPTED: _("częściowo uwzględnione"),
    Outcome.Category.REJECTED: _("nieuwzględnione"),
    Outcome.Category.PENDING: _("w toku"),
    Outcome.Category.NEUTRAL: _("wyjaśnienie lub poza zakresem"),
    UNANSWERED: _("bez odpowiedzi"),
}


@dataclass(frozen=True)
class Category:
    value: str
    label: str


def outcome_categories():
    """The categories in the order of charts, tables and CSV columns."""
    values = [*Outcome.Category.values, UNANSWERED]
    return [
        Category(value, CATEGORY_LABELS.get(value) or Outcome.Category(value).label)
        for value in values
    ]


def rounded(value, places=1):
    """`value` rounded half up (as people round) for the page and the CSV alike: a whole
    number without decimals, else a Decimal with `places` decimals; None stays None."""
    if value is None:
        return None
    number = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(number) if number == number.to_integral_value() else number


@dataclass(frozen=True)
class Share:
    category: Category
    count: int
    percent: float  # of the group's postulates
    offset: float  # where the category's segment starts in a 100% bar

    @property
    def rounded_percent(self):
        """One decimal place, always shown ("40.0"), so a table's column lines up."""
        return Decimal(repr(self.percent)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median(histogram):
    """Half the counted items took at most this many days (a half for an even count), exact
    from a histogram {days: items}; None for an empty one."""
    items = sum(histogram.values())
    if not items:
        return None
    middle = [nth_days(histogram, index) for index in {(items - 1) // 2, items // 2}]
    return rounded(sum(middle) / len(middle))


def nth_days(histogram, index):
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if index < seen:
            return days
    raise IndexError(index)


@dataclass
class Tally:
    """Postulates counted by outcome category, a histogram of days to the answer, and one of
    days the unanswered postulates have waited so far."""

    counts: Counter = field(default_factory=Counter)
    waits: Counter = field(default_factory=Counter)
    open_waits: Counter = field(default_factory=Counter)

    def add(self, category, days, postulates):
        self.counts[category] += postulates
        # A position dated before its meeting is an input error, not a negative wait; an
        # unanswered postulate of a meeting still to come has not started waiting.
        if days is not None and days >= 0:
            waits = self.open_waits if category == UNANSWERED else self.waits
            waits[days] += postulates

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def answered(self):
        return self.total - self.counts[UNANSWERED]

    @property
    def unanswered(self):
        return self.counts[UNANSWERED]

    @property
    def timed(self):
        """Answered postulates whose wait is known (both dates recorded)."""
        return sum(self.waits.values())

    @property
    def open_timed(self):
        """Unanswered postulates whose meeting's date is known."""
        return sum(self.open_waits.values())

    def shares(self):
        total, offset, shares = self.total, 0.0, []
        for category in outcome_categories():
            count = self.counts[category.value]
            percent = 100 * count / total if total else 0.0
            shares.append(Share(category, count, percent, offset))
            offset += percent
        return shares

    @property
    def median_days(self):
        return median(self.waits)

    @property
    def mean_days(self):
        timed = self.timed
        return rounded(sum(d * n for d, n in self.waits.items()) / timed) if timed else None

    @property
    def max_days(self):
        return max(self.waits) if self.waits else None

    @property
    def open_median_days(self):
        """Half the unanswered postulates have waited at least this many days until today."""
        return median(self.open_waits)

    @property
    def open_max_days(self):
        return max(self.open_waits) if self.open_waits else None

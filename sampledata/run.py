"""One run of the generator: its random draws, its clock, the slug prefix that sets its rows
apart, a count of what it wrote, and the ways every module writes rows."""

import random
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.core.management.base import CommandError
from django.db.models import Max
from django.db.models.functions import Substr
from django.utils import timezone

from core.publishing import Status
from core.slugs import polish_slugify
from departments.models import Department
from meetings.models import Meeting, Round
from organisations.models import Organisation
from programmes.models import Programme

SLUG_ROOT = "przyklad-r"
RUN_DIGITS = 4
BATCH_SIZE = 2000
# The models whose slugs carry the run number.
NUMBERED_MODELS = (Department, Organisation, Programme, Round, Meeting)


def next_run_number():
    """One more than the highest run number found in any sample slug."""
    pattern = rf"^{SLUG_ROOT}[0-9]{{{RUN_DIGITS}}}-"
    start = len(SLUG_ROOT) + 1
    highest = 0
    for model in NUMBERED_MODELS:
        # Comparing only the fixed-width digits keeps MAX() independent of collation.
        value = (
            model.objects.filter(slug__regex=pattern)
            .aggregate(run=Max(Substr("slug", start, RUN_DIGITS)))
            .get("run")
        )
        if value:
            highest = max(highest, int(value))
    if highest >= 10**RUN_DIGITS - 1:
        raise CommandError(
            "Za dużo serii danych przykładowych w bazie; usuń starsze dane przykładowe."
        )
    return highest + 1


def a_few(count, share):
    """How many of `count` records get a rare trait: `share` of them, but at least one once
    there are ten, so a small demo set shows the trait too."""
    return max(round(count * share), 1) if count >= 10 else 0


class SampleRun:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.counts = {}  # {rows written, in Polish: how many}
        self.held_back = Counter()  # {"szkice" or "publikacje zaplanowane": how many}
        self.written_models = set()
        self.number = next_run_number()
        self.prefix = f"{SLUG_ROOT}{self.number:0{RUN_DIGITS}d}-"

    def count(self, label, number):
        self.counts[label] = self.counts.get(label, 0) + number

    def slug(self, text, max_length):
        # The unique part sits at the front, so truncating the descriptive tail never makes
        # two slugs equal.
        return polish_slugify(f"{self.prefix}{text}", max_length=max_length)

    # --- Dates -----------------------------------------------------------------------------

    def last_day(self, year):
        # Meetings of the current year have already happened: no postulates from the future.
        if year == self.today.year:
            return self.today
        return date(year, 12, 31)

    def random_day(self, year):
        start = date(year, 1, 1)
        day = start + timedelta(days=self.rng.randrange((self.last_day(year) - start).days + 1))
        # Meetings happen on working days; move weekends to the previous Friday when possible.
        if day.weekday() >= 5:
            friday = day - timedelta(days=day.weekday() - 4)
            if friday.year == year:
                day = friday
        return day

    def moment(self, day, random_time=True):
        """An aware datetime on `day` in office hours, never later than now.

        Rows that a run may or may not create, depending on what the database already
        holds (years, programmes), pass random_time=False: drawing from the generator for
        them would shift every later draw and make the same seed give different content.
        """
        if random_time:
            at = clock(self.rng.randint(8, 17), self.rng.choice((0, 15, 30, 45)))
        else:
            at = clock(9)
        return min(datetime.combine(day, at, tzinfo=self.tz), self.now)

    # --- Publication -----------------------------------------------------------------------

    def published(self, day, random_time=True, **fields):
        """Field values every created Publishable row shares."""
        return {
            "status": Status.PUBLISHED,
            "published_at": self.moment(day, random_time),
            "is_sample": True,
            **fields,
        }

    def hold_back(self, records, drafts, scheduled):
        """Turns a few of `records` (not saved yet) into drafts and a few into publications
        scheduled within a month: shares `drafts` and `scheduled` of them (a_few())."""
        draft_count = a_few(len(records), drafts)
        chosen = self.rng.sample(records, draft_count + a_few(len(records), scheduled))
        for record in chosen[:draft_count]:
            record.status, record.published_at = Status.DRAFT, None
        for record in chosen[draft_count:]:
            later = timedelta(days=self.rng.randint(1, 30), hours=self.rng.randint(0, 23))
            record.published_at = self.now + later
        self.held_back.update(
            {"szkice": draft_count, "publikacje zaplanowane": len(chosen) - draft_count}
        )

    # --- Writing ---------------------------------------------------------------------------

    def insert(self, model, objects, label):
        """bulk_create, counting the rows under `label` in the run's summary."""
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self.count(label, len(objects))
        self.written_models.add(model)
        return objects

    def save_all(self, model, objects, key_fields, scope, label):
        """insert(), making sure every object ends up with its primary key.

        PostgreSQL and SQLite >= 3.35 return the new ids; other backends do not, so the
        rows are looked up again by a natural key unique within `scope`.
        """
        self.insert(model, objects, label)
        if objects and objects[0].pk is None:
            ids = {
                tuple(row[:-1]): row[-1]
                for row in model.objects.filter(scope).values_list(*key_fields, "pk")
            }
            for obj in objects:
                obj.pk = ids[tuple(getattr(obj, name) for name in key_fields)]
        return objects

"""The command line of the sample data generator (sampledata.generator), which documents the
rules every sample row follows."""

import random
import re
import time

from django.core.management.base import BaseCommand, CommandError

from sampledata.generator import generate

DEFAULT_YEARS = "2015-2026"
YEAR_LIMITS = (1990, 2100)
YEARS_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?$")


def parse_years(value):
    """'2015-2026' or '2020' -> range; CommandError with a readable message otherwise."""
    match = YEARS_PATTERN.match(value or "")
    if not match:
        raise CommandError(
            "--years: podaj zakres lat w postaci 2015-2026 albo jeden rok, np. 2020 "
            f"(podano {value!r})."
        )
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first > last:
        raise CommandError(
            f"--years: pierwszy rok nie może być późniejszy niż ostatni (podano {value!r})."
        )
    low, high = YEAR_LIMITS
    if first < low or last > high:
        raise CommandError(
            f"--years: lata muszą mieścić się między {low} a {high} (podano {value!r})."
        )
    return range(first, last + 1)


class Command(BaseCommand):
    help = (
        "Generates clearly marked sample data (is_sample=True, titles prefixed with "
        "'[PRZYKŁAD] ') of any size for demos and benchmarks. Existing real rows are only "
        "reused, never changed; running it again adds another independent batch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=100, help="number of meetings")
        parser.add_argument("--postulates", type=int, default=1000, help="number of postulates")
        parser.add_argument(
            "--organisations", type=int, default=300, help="number of sample organisations"
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed, for repeatable content"
        )
        parser.add_argument(
            "--years",
            default=DEFAULT_YEARS,
            help=f"year range of the meetings, e.g. {DEFAULT_YEARS} or 2024",
        )

    def handle(self, *args, **options):
        for name in ("meetings", "postulates", "organisations"):
            if options[name] < 0:
                raise CommandError(
                    f"--{name}: liczba nie może być ujemna (podano {options[name]})."
                )
        if options["postulates"] and not options["meetings"]:
            raise CommandError(
                "--postulates: postulaty wymagają co najmniej jednego spotkania "
                "(--meetings 1 lub więcej)."
            )
        years = parse_years(options["years"])
        seed = options["seed"]
        if seed is None:
            # Still print a seed, so an interesting random run can be repeated.
            seed = random.SystemRandom().randrange(2**31)

        started = time.perf_counter()
        summary = generate(
            meetings=options["meetings"],
            postulates=options["postulates"],
            organisations=options["organisations"],
            years=years,
            seed=seed,
        )
        elapsed = time.perf_counter() - started

        if summary.hidden_years:
            # Real years are never touched, so their sample content stays hidden with them.
            self.stdout.write(
                self.style.WARNING(
                    "Lata niepublikowane (pozostawione bez zmian, ich dane przykładowe nie "
                    f"będą widoczne publicznie): {', '.join(map(str, summary.hidden_years))}."
                )
            )
        counts = ", ".join(f"{label}: {number}" for label, number in summary.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Utworzono dane przykładowe (seria {summary.run}, ziarno {seed}) — {counts} "
                f"— w {elapsed:.1f} s."
            )
        )

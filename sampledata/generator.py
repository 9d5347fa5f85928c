"""Clearly marked sample data of any size for demos and benchmarks.

Every publishable row a run creates has is_sample=True, a visible "[PRZYKŁAD] " marker in its
title, name or content, and (departments, organisations, programmes, rounds, meetings) a slug
starting with "przyklad-r<run>-", so a human (and a DELETE ... WHERE is_sample) can always
tell it from the real archive. Rows with no is_sample of their own (department changes,
postulate links, earlier versions of answers) hang from sample rows and carry the marker in
their note or justification. Real rows are never modified: existing archive years,
programmes, areas and outcomes are only reused.

The data exercises what the archive shows: renamed departments and a takeover, joint meetings
of two departments, rounds and annual programmes, documents of meetings and rounds, postulates
linked across years, answers with commitments and earlier versions, and a few drafts and
scheduled publications among meetings, postulates and answers.
"""

from dataclasses import dataclass
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction

from core.publishing import created_by_publication
from sampledata.files import attach_sample_files
from sampledata.meetings import create_documents, create_meetings, distribute_postulates
from sampledata.postulates import PostulateWriter
from sampledata.reference import create_reference_data
from sampledata.run import SampleRun

# Postulates and documents are written per group of meetings, so memory stays flat at any
# size and the no-RETURNING fallback can re-query a group with a small `meeting_id IN (...)`
# (SQLite allows only 999 parameters per query).
MEETINGS_PER_GROUP = 500


@dataclass
class Summary:
    run: int
    counts: dict  # {what, in Polish: how many rows}, the drafts and scheduled ones last
    hidden_years: list[int]  # real draft years: their sample content stays hidden with them


def generate(*, meetings, postulates, organisations, years, seed):
    """Writes one run of sample data in one transaction."""
    with transaction.atomic():
        run = SampleRun(seed)
        reference = create_reference_data(run, years, organisations)
        plans = create_meetings(run, reference, meetings)
        distribute_postulates(run.rng, plans, postulates)
        for label in ("postulaty", "stanowiska"):  # in the summary even when there are none
            run.count(label, 0)
        writer = PostulateWriter(run, reference)
        for start in range(0, len(plans), MEETINGS_PER_GROUP):
            group = plans[start : start + MEETINGS_PER_GROUP]
            create_documents(run, group)
            attach_sample_files(run, [d for plan in group for d in plan.documents.values()])
            writer.write(group)
        created_by_publication(run.written_models, is_sample=True)
        # bulk_create skips save(), which keeps each record's search text.
        call_command("update_search_text", only_missing=True, stdout=StringIO())
        call_command("build_document_texts", only_missing=True, stdout=StringIO())
    refresh_statistics(run.written_models)
    return Summary(run.number, {**run.counts, **run.held_back}, reference.hidden_years)


def refresh_statistics(models):
    """Let the database's planner see the rows just loaded into the tables of `models`.

    Until autovacuum gets round to it (never, where it is switched off), PostgreSQL's planner
    believes the tables are still empty: Position.objects.published().count() over 100,000
    sample postulates ran for over ten minutes instead of milliseconds. SQLite without
    statistics counts an organisation's postulates through the publication-state index rather
    than the organisation's: the organisation list took 11 s instead of 0.4 s.
    """
    names = sorted(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(names)}")
        else:
            for name in names:  # SQLite analyses one table per statement
                cursor.execute(f"ANALYZE {name}")

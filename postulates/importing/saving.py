"""A valid preview saved in one transaction: everything or nothing."""

from dataclasses import dataclass

import reversion
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.publishing import Status
from organisations.models import Organisation
from postulates.importing.validation import organisation_key
from postulates.models import Position, Postulate
from search.models import store_search_days


@dataclass(frozen=True)
class ImportResult:
    postulates_created: int
    positions_created: int
    organisations_created: int


IMPORT_LOG_MESSAGE = "Zaimportowano z arkusza postulatów."


def import_postulates(preview, meeting, user=None, file_name=""):
    """Save a valid preview's rows as draft postulates (and positions): all or nothing, in
    one history revision on the meeting, which names the file (`file_name`)."""
    if not preview.is_valid:
        raise ValueError("Nie można zaimportować pliku z błędami.")
    if preview.meeting_id != meeting.pk:
        raise ValueError("Podgląd dotyczy innego spotkania.")
    with transaction.atomic(), reversion.create_revision():
        organisations = _create_missing_organisations(preview.new_organisation_names)
        postulates = Postulate.objects.bulk_create(
            _postulate(row.values, meeting, organisations) for row in preview.rows
        )
        # Bulk-created rows skip save(), which keeps the day the search orders them by.
        store_search_days(Postulate.objects.filter(pk__in=[p.pk for p in postulates]))
        positions = Position.objects.bulk_create(
            _position(row.values, postulate)
            for row, postulate in zip(preview.rows, postulates, strict=True)
            if row.values.outcome is not None
        )
        if user is not None and user.pk is not None:
            for records in (list(organisations.values()), postulates, positions):
                if records:
                    LogEntry.objects.log_actions(
                        user.pk, records, ADDITION, change_message=IMPORT_LOG_MESSAGE
                    )
        result = ImportResult(
            postulates_created=len(postulates),
            positions_created=len(positions),
            organisations_created=len(organisations),
        )
        # Bulk-created rows send no signals: the meeting brings them into the revision (it
        # follows its postulates, and they their answers), as their first versions.
        reversion.set_user(user if user is not None and user.pk is not None else None)
        reversion.set_comment(import_comment(result, file_name))
        reversion.add_to_revision(meeting)
    return result


def import_comment(result, file_name):
    """The meeting's history entry for an import: "Zaimportowano 60 postulatów z pliku …"."""
    postulates = ngettext(
        "%(counter)s postulat", "%(counter)s postulatów", result.postulates_created
    ) % {"counter": result.postulates_created}
    source = _(" z pliku „%(file)s”") % {"file": file_name} if file_name else ""
    return _(
        "Zaimportowano %(postulates)s%(source)s (stanowiska: %(positions)d, nowe organizacje: "
        "%(organisations)d)."
    ) % {
        "postulates": postulates,
        "source": source,
        "positions": result.positions_created,
        "organisations": result.organisations_created,
    }


def _create_missing_organisations(names):
    """Folded name -> new Organisation, published by its own state: organisation names are
    public, and it shows once a public record names it (Organisation.named_by), so not before
    the imported postulates are published."""
    created = {}
    for name in names:
        organisation = Organisation(name=name, status=Status.PUBLISHED, published_at=timezone.now())
        organisation.save()  # one by one, so each gets a unique slug
        created[organisation_key(name)] = organisation
    return created


def _postulate(values, meeting, new_organisations):
    organisation = values.organisation
    if values.new_organisation_name:
        organisation = new_organisations[organisation_key(values.new_organisation_name)]
    # Drafts: editors publish the list after reviewing it in the admin.
    return Postulate(
        meeting=meeting,
        programme=meeting.programme,
        number=values.number,
        content=values.content,
        organisation=organisation,
        area=values.area,
        responsible_department=values.responsible_department,
        status=Status.DRAFT,
        published_at=None,
    )


def _position(values, postulate):
    return Position(
        postulate=postulate,
        outcome=values.outcome,
        justification=values.justification,
        department=values.position_department,
        answered_on=values.answered_on,
        commitment=values.commitment,
        commitment_due_on=values.commitment_due_on,
        commitment_fulfilled_on=values.commitment_fulfilled_on,
        status=Status.DRAFT,
        published_at=None,
    )

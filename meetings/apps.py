from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Spotkania i dokumenty")

    def ready(self):
        import reversion

        from meetings.models import (
            ArchiveYear,
            Document,
            Meeting,
            MeetingDate,
            MeetingDepartment,
            MeetingParticipant,
            MeetingPerson,
            Round,
        )
        from permalinks.tracking import track_url_changes

        # A meeting's history carries everything recorded under it, so a deleted meeting
        # comes back whole: its days, departments, participants, documents and postulates.
        reversion.register(
            Meeting,
            follow=(
                "dates",
                "department_links",
                "participant_links",
                "people",
                "documents",
                "postulates",
            ),
        )
        reversion.register(Round, follow=("documents",))
        for model in (
            ArchiveYear,
            Document,
            MeetingDate,
            MeetingDepartment,
            MeetingParticipant,
            MeetingPerson,
        ):
            reversion.register(model)

        # Old addresses keep answering (301) after a rename; documents' URLs hang under
        # their meeting's or round's, so they move with it.
        track_url_changes(Meeting, url_fields=("year", "slug"), children=("documents",))
        track_url_changes(Round, url_fields=("year", "slug"), children=("documents",))
        track_url_changes(Document, url_fields=("meeting", "round", "slug"))

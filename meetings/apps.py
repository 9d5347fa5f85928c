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
            Round,
        )

        # A meeting's history carries everything recorded under it, so a deleted meeting
        # comes back whole: its days, departments, participants, documents and postulates.
        reversion.register(
            Meeting,
            follow=("dates", "department_links", "participant_links", "documents", "postulates"),
        )
        reversion.register(Round, follow=("documents",))
        for model in (ArchiveYear, Document, MeetingDate, MeetingDepartment, MeetingParticipant):
            reversion.register(model)

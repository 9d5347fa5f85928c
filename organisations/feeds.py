"""An organisation's feed of new materials and the calendar of the meetings it took part in."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views import View

from meetings.calendar import meetings_calendar
from meetings.feeds import SITE_NAME, MaterialsFeed, document_entries
from meetings.models import MeetingParticipant
from organisations.models import Organisation
from postulates.feeds import postulate_entries


def published_organisation(slug):
    return get_object_or_404(Organisation.objects.published(), slug=slug)


class OrganisationMaterialsFeed(MaterialsFeed):
    """Documents of the meetings an organisation took part in, and its postulates."""

    def get_object(self, request, slug):
        return published_organisation(slug)

    def title(self, organisation):
        return f"Nowe materiały: {organisation.name} – {SITE_NAME}"

    def subtitle(self, organisation):
        return (
            f"Nowo opublikowane dokumenty spotkań z udziałem: {organisation.name}, "
            "oraz zgłoszone przez nią postulaty."
        )

    def page_path(self, organisation):
        return organisation.get_absolute_url()

    def entries(self, organisation):
        meeting_ids = MeetingParticipant.objects.filter(organisation=organisation).values("meeting")
        return [
            *document_entries(Q(meeting__in=meeting_ids)),
            *postulate_entries(Q(organisation=organisation)),
        ]


class OrganisationCalendarView(View):
    def get(self, request, slug):
        organisation = published_organisation(slug)
        return meetings_calendar(
            request,
            Q(meeting__participants=organisation),
            name=f"Spotkania z udziałem: {organisation.name}",
            description=(
                f"Terminy spotkań Miasta Kraków z organizacjami pozarządowymi z udziałem: "
                f"{organisation.name}."
            ),
        )

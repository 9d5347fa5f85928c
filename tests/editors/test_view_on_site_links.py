"""Every "Pokaż na stronie" link on an editor's change pages opens a page of the archive:
rows with no page of their own (a meeting's dates, departments, participants; a postulate's
answers and links) have no such link, as the record's own link above leads there."""

import re

import pytest
from django.urls import reverse

from departments.models import DepartmentChange
from postulates.models import PostulateLink
from tests.factories import PostulateFactory

pytestmark = pytest.mark.django_db

VIEW_ON_SITE = re.compile(r'<a href="([^"]+)"[^>]*>\s*Pokaż na stronie\s*</a>')


def links_on(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return VIEW_ON_SITE.findall(page.content.decode())


def test_every_view_on_site_link_on_an_editors_pages_opens_a_page(world, login):
    client = login("kultura")
    own = world["own"]
    PostulateLink.objects.create(
        from_postulate=own["postulate"],
        to_postulate=PostulateFactory(meeting=own["meeting"], content="Inny postulat"),
    )
    meeting_links = links_on(
        client, reverse("admin:meetings_meeting_change", args=[own["meeting"].pk])
    )
    postulate_links = links_on(
        client, reverse("admin:postulates_postulate_change", args=[own["postulate"].pk])
    )
    # The meeting's own, its document's and its two postulates'; the postulate's own.
    assert len(meeting_links) == 4
    assert len(postulate_links) == 1
    for link in meeting_links + postulate_links:
        assert client.get(link, follow=True).status_code == 200, link


def test_a_departments_predecessors_have_no_link_of_their_own(world, login):
    client = login("koordynator")
    culture = world["culture"]
    DepartmentChange.objects.create(predecessor=world["sport"], successor=culture, year=2020)
    links = links_on(client, reverse("admin:departments_department_change", args=[culture.pk]))
    assert len(links) == 1
    assert client.get(links[0], follow=True).status_code == 200

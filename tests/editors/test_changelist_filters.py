"""A list opened with a filter it does not offer (an edited or old address) shows the whole
list in the admin, saying so, rather than the public site's error page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_filter_the_list_does_not_offer_leads_to_the_whole_list(world, login):
    client = login("kultura")
    url = reverse("admin:meetings_meeting_changelist")
    response = client.get(url, {"department_links__department__id__exact": world["culture"].pk})
    assert response.status_code == 302
    assert response["Location"] == url
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Nie można tak filtrować tej listy. Pokazano całą listę."
    ]
    assert client.get(url).status_code == 200

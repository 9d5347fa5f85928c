"""A long text field takes some 25 pages at most: more (2 MB pasted into a meeting's topic) is
refused with the limit and the length, and nothing is saved."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def test_a_topic_longer_than_the_limit_is_refused_with_its_length(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = client.get(url)
    assertContains(page, 'maxlength="50000"')
    response = client.post(url, form_data(page, "meeting_form", topic="a" * 50_001))
    assert response.status_code == 200
    assertContains(
        response, "Upewnij się, że ta wartość ma co najwyżej 50000 znaków (obecnie ma 50001)."
    )
    meeting.refresh_from_db()
    assert meeting.topic != "a" * 50_001
    response = client.post(url, form_data(page, "meeting_form", topic="a" * 50_000))
    assert response.status_code == 302

"""The timeline, earlier versions, commitments and an organisation's postulates are valid
HTML (Nu Html Checker): the shared page-type check sees a postulate without them."""

import datetime

import pytest

from tests.factories import (
    ArchiveYearFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    PostulateLinkFactory,
)
from tests.html_validator import html_problems

pytestmark = pytest.mark.django_db


def test_pages_with_a_timeline_and_commitments_are_valid_html(client, tmp_path):
    organisation = OrganisationFactory()
    older, newer = (
        PostulateFactory(
            organisation=organisation,
            meeting=MeetingFactory(year=ArchiveYearFactory(year=year)),
        )
        for year in (2024, 2025)
    )
    PostulateLinkFactory(from_postulate=newer, to_postulate=older, note="ta sama sprawa")
    PositionFactory(postulate=older, answered_on=datetime.date(2024, 9, 1))
    position = PositionFactory(
        postulate=newer,
        commitment="Konkurs na lokale.",
        commitment_due_on=datetime.date(2020, 1, 1),
    )
    position.outcome = OutcomeFactory()
    position.save()  # keeps an earlier version
    files = []
    for name, url in {
        "older": older.get_absolute_url(),
        "newer": newer.get_absolute_url(),
        "organisation": organisation.get_absolute_url(),
    }.items():
        response = client.get(url)
        assert response.status_code == 200
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    newer_page = (tmp_path / "newer.html").read_text()
    assert "Wcześniejsze wersje stanowiska" in newer_page
    assert "po terminie" in newer_page

    assert html_problems(files) == []

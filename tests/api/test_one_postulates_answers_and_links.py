"""A reuser following one postulate's history asks for its answers and links alone, not for
every answer and link of the archive (the outside pass had to download all of them)."""

import pytest

from tests.factories import PositionFactory, PostulateFactory, PostulateLinkFactory

pytestmark = pytest.mark.django_db


def ids(client, address):
    response = client.get(address)
    assert response.status_code == 200, response.content
    return sorted(record["id"] for record in response.json()["dane"])


def test_a_postulates_answers_and_links_are_filtered_by_its_id(client):
    earlier, postulate, later, other = PostulateFactory.create_batch(4)
    answers = [PositionFactory(postulate=postulate), PositionFactory(postulate=postulate)]
    PositionFactory(postulate=other)
    before = PostulateLinkFactory(from_postulate=postulate, to_postulate=earlier)
    after = PostulateLinkFactory(from_postulate=later, to_postulate=postulate)
    PostulateLinkFactory(from_postulate=later, to_postulate=earlier)

    assert ids(client, f"/api/v1/stanowiska/?postulat={postulate.pk}") == sorted(
        answer.pk for answer in answers
    )
    assert ids(client, f"/api/v1/powiazania-postulatow/?postulat={postulate.pk}") == sorted(
        [before.pk, after.pk]
    )


@pytest.mark.parametrize("value", ["5.5", "abc", "0", "-1", "99999999999999999999"])
@pytest.mark.parametrize("resource", ["stanowiska", "powiazania-postulatow"])
def test_a_postulate_id_that_is_not_one_is_a_400_naming_the_parameter(client, resource, value):
    response = client.get(f"/api/v1/{resource}/?postulat={value}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["parametry"]) == ["postulat"]


def test_the_openapi_document_describes_the_filter_as_an_integer(client):
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/stanowiska/", "/api/v1/powiazania-postulatow/"):
        (parameter,) = [
            p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "postulat"
        ]
        assert parameter["schema"] == {"type": "integer"}

"""An editor deleting a postulate the city has answered is told why it cannot go, what blocks
it, what to do instead, and is given the way back."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from postulates.models import Postulate

pytestmark = pytest.mark.django_db


def test_deleting_an_answered_postulate_says_why_not_and_what_to_do(world, login):
    postulate = world["own"]["postulate"]
    position = world["own"]["position"]
    url = reverse("admin:postulates_postulate_delete", args=[postulate.pk])

    response = login("kultura").get(url)

    assert response.status_code == 200
    assertContains(response, f"Nie można usunąć: postulat „{postulate}”. Zależą od tego wpisu:")
    assertContains(response, "Stanowisko: ")
    assertContains(response, str(position))
    assertContains(
        response,
        "Postulat, na który Miasto odpowiedziało, można usunąć dopiero po usunięciu jego "
        "stanowisk (na stronie postulatu, w części „Stanowiska”). Jeśli postulat ma tylko "
        "zniknąć ze strony publicznej, nie usuwaj go: ustaw jego stan publikacji na „szkic”.",
    )
    assertContains(
        response,
        f'<a href="{reverse("admin:postulates_postulate_change", args=[postulate.pk])}" '
        'class="button">Wróć do wpisu</a>',
        html=True,
    )
    assertContains(response, "Usunięty wpis koordynator może potem przywrócić z historii.")
    assertNotContains(response, "Usunięte spotkanie")
    assertNotContains(response, "wymagałoby skasowania")
    assert Postulate.objects.filter(pk=postulate.pk).exists()

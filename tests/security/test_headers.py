import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/", "/spotkania/", "/szukaj/?q=kultura", "/admin/login/", "/nie-ma/"]
)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_session_and_csrf_cookies_are_http_only_or_same_site(client, django_user_model):
    django_user_model.objects.create_superuser("admin", password="Archiwum-Krakow-2026!")
    login = client.get("/admin/login/")
    assert login.cookies["csrftoken"]["samesite"] == "Lax"
    response = client.post(
        "/admin/login/", {"username": "admin", "password": "Archiwum-Krakow-2026!"}
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"

from html.parser import HTMLParser

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


def directives(policy):
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("url", ["/", "/szukaj/?q=kultura", "/admin/login/", "/nie-ma/"])
def test_the_content_security_policy_allows_nothing_inline(client, url):
    policy = directives(client.get(url)["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    everything = " ".join(value for values in policy.values() for value in values)
    assert "unsafe-inline" not in everything
    assert "unsafe-eval" not in everything


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style elements and attributes,
    event-handler attributes and javascript: links."""

    def __init__(self):
        super().__init__()
        self.blocked = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self._in_script = attributes.get("type", "")
        if tag == "style":
            self.blocked.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"{tag} {name}={value!r}")
            if name in ("href", "src", "action") and (value or "").startswith("javascript:"):
                self.blocked.append(f"{tag} {name}={value!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            if self._in_script not in (None, "application/ld+json"):
                self.blocked.append(f"inline script type={self._in_script!r}")
            self._in_script = None


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.blocked


def test_no_public_page_has_inline_code_a_strict_policy_would_block(client, public_pages):
    for name, url in public_pages.items():
        assert inline_code(client.get(url).content.decode()) == [], name


def test_the_admin_pages_editors_use_have_no_inline_code(admin_client, public_pages):
    from meetings.models import Meeting

    meeting = Meeting.objects.first()
    for url in (
        "/admin/",
        "/admin/meetings/meeting/",
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        "/admin/meetings/meeting/add/",
        f"/admin/meetings/meeting/{meeting.pk}/history/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url

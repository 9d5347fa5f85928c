"""Where a resident asks for a document in an accessible form, the alternative the statute
requires for a file that is not accessible: the address editors keep in the accessibility
statement, else the deployment's (DJANGO_ACCESSIBILITY_CONTACT_EMAIL); without either, the
city's own contact details (DJANGO_CITY_CONTACT_URL), never a placeholder."""

from urllib.parse import quote

from django.conf import settings
from django.utils import translation


def contact_email(stored=""):
    """The address for accessibility requests, given the statement's stored one."""
    return stored or settings.ACCESSIBILITY_CONTACT_EMAIL


def current_contact_email():
    from accessibility.models import AccessibilityStatement

    stored = AccessibilityStatement.objects.values_list("contact_email", flat=True).first()
    return contact_email(stored or "")


def request_subject(document):
    """The subject of a request for `document` in an accessible form, in Polish, the office's
    language: the document's title, its meeting and the meeting's day."""
    with translation.override("pl"):
        return (
            f"Prośba o dostępną wersję dokumentu: {document.title} "
            f"({document.parent.title}, {document.when()})"
        )


def request_mailto(email, document):
    return f"mailto:{email}?subject={quote(request_subject(document))}"

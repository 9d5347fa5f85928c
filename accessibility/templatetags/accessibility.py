from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext

from accessibility.contact import current_contact_email, request_mailto
from meetings.templatetags.archive import pl

register = template.Library()


def _email(context):
    """The contact address, read once per page."""
    if "accessibility_email" not in context.render_context:
        context.render_context["accessibility_email"] = current_contact_email()
    return context.render_context["accessibility_email"]


@register.simple_tag(takes_context=True)
def accessible_version_request(context, document):
    """How to ask for `document` in an accessible form: an e-mail whose subject names it, or,
    where no address is configured, the city's contact details and what to write."""
    email = _email(context)
    if email:
        return format_html(
            '{} <a class="accessible-request" href="{}">{}</a>.',
            gettext("Potrzebujesz tego dokumentu w dostępnej formie?"),
            request_mailto(email, document),
            format_html(gettext("Napisz e-mail na adres {}"), email),
        )
    return format_html(
        '{} <a class="accessible-request" href="{}" hreflang="pl">{}</a>. {}',
        gettext(
            "Potrzebujesz tego dokumentu w dostępnej formie? Napisz do Urzędu Miasta Krakowa"
            " – adresy i telefony Urzędu podaje"
        ),
        settings.CITY_CONTACT_URL,
        gettext("Biuletyn Informacji Publicznej Miasta Krakowa"),
        format_html(
            gettext(
                "W wiadomości podaj tytuł dokumentu „{}” ({}, {}) i formę, w jakiej go potrzebujesz."
            ),
            pl(document.title),
            pl(document.parent.title),
            document.when(),
        ),
    )

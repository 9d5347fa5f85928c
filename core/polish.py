"""Text the archive holds in Polish (titles, names, postulates) on pages in another language.

The interface is translated; what editors entered is not. On an English page such text must
say it is Polish (lang="pl", WCAG 3.1.2) or a screen reader reads it with English
pronunciation. Templates mark it with the `pl` filter (meetings/templatetags/archive.py);
views that hand text to a shared template (the breadcrumbs) wrap it in PolishText."""


class PolishText(str):
    """A piece of stored Polish text among labels that are the interface's own."""

"""The object around the records of every JSON export: licence, source, time and count."""

from django.urls import reverse
from django.utils import timezone

from opendata.fields import Field, serialize
from opendata.licence import licence_summary

LICENCE_FIELDS = (
    Field("nazwa", "string", "Skrócona nazwa licencji."),
    Field("adres", "url", "Adres treści licencji."),
    Field("uznanie_autorstwa", "string", "Kogo podać jako źródło danych."),
    Field("warunki", "url", "Strona z opisem danych, schematem plików i warunkami licencji."),
)

ENVELOPE_FIELDS = (
    Field("licencja", "object", "Licencja, na której udostępnia się dane.", fields=LICENCE_FIELDS),
    Field(
        "zrodlo",
        "url",
        "Skąd pochodzą dane: adres listy z zastosowanymi filtrami albo strony otwartych danych.",
    ),
    Field("wygenerowano", "datetime", "Chwila przygotowania pliku (czas polski)."),
    Field("liczba", "integer", "Liczba rekordów w polu „dane”."),
    Field("dane", "array", "Rekordy; ich pola opisuje schemat pliku.", items="object"),
)


def envelope(context, source, count):
    """Every member of the envelope but "dane", which is streamed after them."""
    values = {
        "licencja": licence_summary(context.url(reverse("opendata_page:index"))),
        "zrodlo": source,
        "wygenerowano": timezone.localtime(context.at).isoformat(timespec="seconds"),
        "liczba": count,
    }
    return serialize(ENVELOPE_FIELDS[:-1], values, context)

"""The terms under which the archive's data are offered, said once for every export."""

ATTRIBUTION = "Gmina Miejska Kraków"
LICENCE_NAME = "Creative Commons Uznanie autorstwa 4.0 Międzynarodowe (CC BY 4.0)"
LICENCE_SHORT_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.pl"
LICENCE_LEGAL_CODE_URL = "https://creativecommons.org/licenses/by/4.0/legalcode.pl"
ACT = (
    "ustawa z dnia 11 sierpnia 2021 r. o otwartych danych i ponownym wykorzystywaniu "
    "informacji sektora publicznego"
)

# Paragraphs of the licence, shown on /dane/ and written to LICENCJA.txt.
LICENCE_PARAGRAPHS = (
    "Dane archiwum spotkań Miasta Krakowa z organizacjami pozarządowymi są informacją "
    "publiczną Gminy Miejskiej Kraków. Można je ponownie wykorzystywać na zasadach, które "
    f"określa {ACT}.",
    "Warunki ponownego wykorzystywania zadeklarowane dla tego archiwum: dane udostępnia się "
    f"na licencji {LICENCE_NAME}, {LICENCE_URL}. Wolno je kopiować, rozpowszechniać, "
    "przetwarzać i wykorzystywać w dowolnym celu, także komercyjnym, pod warunkiem podania "
    f"źródła: „{ATTRIBUTION}” (np. „Źródło: {ATTRIBUTION}, archiwum spotkań z organizacjami "
    "pozarządowymi”) i zaznaczenia, czy dane zostały zmienione.",
    "Eksport obejmuje wyłącznie opublikowane wpisy archiwum. Osoby prywatne zgłaszające "
    "postulaty nie są w nim wymieniane. Pliki dokumentów nie wchodzą w skład eksportu: pliki "
    "danych podają ich adresy, pod którymi można je pobrać z archiwum.",
)


def licence_summary(terms_url):
    """The "licencja" member of every JSON export."""
    return {
        "nazwa": LICENCE_SHORT_NAME,
        "adres": LICENCE_URL,
        "uznanie_autorstwa": ATTRIBUTION,
        "warunki": terms_url,
    }


def licence_text(terms_url):
    """LICENCJA.txt of the full export."""
    return (
        "\n\n".join(
            [
                "LICENCJA – archiwum spotkań Miasta Krakowa z organizacjami pozarządowymi",
                *LICENCE_PARAGRAPHS,
                f"Pełna treść licencji: {LICENCE_LEGAL_CODE_URL}",
                f"Opis danych i schemat plików: {terms_url}",
            ]
        )
        + "\n"
    )

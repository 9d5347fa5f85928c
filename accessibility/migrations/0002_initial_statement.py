"""Creates the statement so the footer link works from the first start; editors complete it."""

import datetime

from django.db import migrations

COMPLIANCE = (
    "Dokumenty archiwalne z lat 2023–2026 (podsumowania spotkań, zestawienia postulatów, "
    "stanowiska) są w archiwum opisane tytułem i rodzajem; ich pliki są dołączane stopniowo. "
    "Pliki przygotowane przed publikacją archiwum mogą nie spełniać wymagań dostępności: "
    "na żądanie udostępnimy je w formie dostępnej."
)
ARCHITECTURE = (
    "Informacje o dostępności architektonicznej budynków Urzędu Miasta Krakowa, w tym o "
    "wejściach, windach, toaletach i miejscach parkingowych dla osób z niepełnosprawnościami, "
    "publikuje Urząd Miasta Krakowa w deklaracji dostępności swojego serwisu."
)
COMMUNICATION = (
    "Osoby doświadczające trwale lub okresowo trudności w komunikowaniu się mogą skorzystać z "
    "pomocy tłumacza polskiego języka migowego (PJM), systemu językowo-migowego (SJM) lub "
    "sposobu komunikowania się osób głuchoniewidomych (SKOGN), zgłaszając tę potrzebę "
    "Urzędowi Miasta Krakowa co najmniej 3 dni robocze przed terminem wizyty."
)


def create_statement(apps, schema_editor):
    statement = apps.get_model("accessibility", "AccessibilityStatement")
    if statement.objects.exists():
        return
    prepared = datetime.date(2026, 11, 25)
    statement.objects.create(
        entity="Gmina Miejska Kraków",
        site_name="Archiwum spotkań Miasta Krakowa z organizacjami pozarządowymi",
        site_published_on=prepared,
        site_updated_on=prepared,
        status="czesciowo-zgodna",
        non_compliance=COMPLIANCE,
        prepared_on=prepared,
        assessment="samoocena przeprowadzona przez podmiot publiczny",
        contact_name=(
            "Referat ds. Współpracy z Organizacjami Pozarządowymi, "
            "Wydział Polityki Społecznej, Równości i Zdrowia Urzędu Miasta Krakowa"
        ),
        architecture=ARCHITECTURE,
        communication=COMMUNICATION,
    )


class Migration(migrations.Migration):
    dependencies = [("accessibility", "0001_initial")]

    operations = [migrations.RunPython(create_statement, migrations.RunPython.noop)]

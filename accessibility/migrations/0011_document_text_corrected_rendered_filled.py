"""The corrections stored before their cleaned HTML was: cleaned once now, as a save does
(html_version.correction_markup), so no page view cleans them."""

from django.db import migrations

from accessibility.html_version import correction_markup


def clean_stored_corrections(apps, schema_editor):
    DocumentText = apps.get_model("accessibility", "DocumentText")
    corrected = DocumentText.objects.exclude(corrected_html="").only("pk", "corrected_html")
    for version in corrected.iterator(chunk_size=50):
        DocumentText.objects.filter(pk=version.pk).update(
            corrected_rendered=correction_markup(version.corrected_html)
        )


class Migration(migrations.Migration):
    dependencies = [("accessibility", "0010_document_text_corrected_rendered")]

    operations = [migrations.RunPython(clean_stored_corrections, migrations.RunPython.noop)]

"""A file in a format the archive does not check (RTF, DOC, XLS, PPTX, ODP) is marked on its
page and in the statement as not checked: its stored check's flag is set as a new check's is."""

from django.db import migrations


def mark_unchecked_formats(apps, schema_editor):
    DocumentCheck = apps.get_model("accessibility", "DocumentCheck")
    marked = [
        check.pk
        for check in DocumentCheck.objects.filter(blocking=False).only("pk", "findings").iterator()
        if any(
            isinstance(finding, dict) and finding.get("code") == "format-not-checked"
            for finding in check.findings or []
        )
    ]
    DocumentCheck.objects.filter(pk__in=marked).update(blocking=True)


class Migration(migrations.Migration):
    dependencies = [("accessibility", "0006_document_check_ocr_pages")]

    operations = [migrations.RunPython(mark_unchecked_formats, migrations.RunPython.noop)]

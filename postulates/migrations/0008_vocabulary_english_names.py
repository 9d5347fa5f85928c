import json

from django.conf import settings
from django.db import migrations, models

NAME_EN_HELP = "Pokazywana na stronach po angielsku; puste pole: nazwa po polsku."


def fill_english_names(apps, schema_editor):
    """Give the archive's outcomes and areas the English names of the vocabularies fixture
    (the one list of them), matched by slug; names editors added stay empty until translated."""
    with open(settings.BASE_DIR / "fixtures" / "vocabularies.json", encoding="utf-8") as file:
        records = json.load(file)
    for record in records:
        model = apps.get_model(*record["model"].split("."))
        fields = record["fields"]
        model.objects.filter(slug=fields["slug"], name_en="").update(
            name_en=fields.get("name_en", "")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("postulates", "0007_alter_outcome_slug_alter_publictaskarea_slug"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcome",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text=NAME_EN_HELP,
                max_length=300,
                verbose_name="nazwa po angielsku",
            ),
        ),
        migrations.AddField(
            model_name="publictaskarea",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text=NAME_EN_HELP,
                max_length=300,
                verbose_name="nazwa po angielsku",
            ),
        ),
        migrations.RunPython(fill_english_names, migrations.RunPython.noop),
    ]

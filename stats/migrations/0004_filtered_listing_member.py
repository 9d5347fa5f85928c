from django.db import migrations, models


def forget_built_generation(apps, schema_editor):
    """The snapshot built by the previous code holds no lists for the filters kept now (a
    programme, an outcome, a follow-up, a history): were it read as current, those lists
    would show no postulates until the next generation. Until the worker builds it again, the
    pages are worked out live."""
    apps.get_model("stats", "OutcomeSnapshot").objects.update(generation="")


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_filtered_listing"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="filteredlisting",
            index=models.Index(
                fields=["filter", "key", "postulate_id"], name="stats_filtered_member"
            ),
        ),
        migrations.RunPython(forget_built_generation, migrations.RunPython.noop),
    ]

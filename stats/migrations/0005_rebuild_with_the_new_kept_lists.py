"""The kept lists now hold a programme's postulates and the outcome, follow-up and history
filters' too (FilteredListing, filters "program", "rozstrzygniecie", "uwaga", "historia"). A
snapshot built before this change is labelled with the generation in force, so the pages would
read its lists, which have none of those rows, as complete: a programme or such a filter would
show no postulates until the next save. Forgetting the label makes the snapshot stale; the pages count
live until the worker's next round rebuilds it (stats.snapshot.rebuild)."""

from django.db import migrations


def forget_the_built_generation(apps, schema_editor):
    apps.get_model("stats", "OutcomeSnapshot").objects.update(generation="")


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0004_filtered_listing_member"),
    ]

    operations = [
        migrations.RunPython(forget_the_built_generation, migrations.RunPython.noop),
    ]

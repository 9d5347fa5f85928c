"""Register rows of a text version or an easy-read summary written before these were named
once (accessibility.models, DocumentText and EasyReadSummary's `title`) hold their kind in
their title as well, and the register, putting the kind before the title, showed it twice
("Wersja tekstowa dokumentu: Wersja tekstowa: …"). A row keeps the title it was first
written with (history.entries); this takes out only the repeated kind, and only where the
rest is the record's title now, so no title is ever guessed."""

from django.db import migrations

# (app label, model): what the old names put before the title.
OLD_PREFIXES = {
    ("accessibility", "documenttext"): "Wersja tekstowa: ",
    ("accessibility", "easyreadsummary"): "Tekst łatwy do czytania: ",
}


def _titles_now(apps, app_label, model_name, pks):
    """{pk: the title the register names the record by now}, for the records still stored."""
    model = apps.get_model(app_label, model_name)
    if model_name == "documenttext":
        rows = model.objects.filter(pk__in=pks).values_list("pk", "document__title")
        return dict(rows)
    rows = model.objects.filter(pk__in=pks).values_list("pk", "document__title", "meeting__title")
    return {pk: document or meeting or "" for pk, document, meeting in rows}


def name_once(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    RegisterEntry = apps.get_model("history", "RegisterEntry")
    for (app_label, model_name), prefix in OLD_PREFIXES.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is None:
            continue
        rows = list(RegisterEntry.objects.filter(content_type=content_type, title__startswith=prefix))
        titles = _titles_now(apps, app_label, model_name, {row.object_id for row in rows})
        for row in rows:
            title = titles.get(row.object_id)
            if title and row.title == prefix + title:
                RegisterEntry.objects.filter(pk=row.pk).update(title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0007_merge_session13_branches"),
        ("accessibility", "0009_text_page_label"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(name_once, migrations.RunPython.noop)]

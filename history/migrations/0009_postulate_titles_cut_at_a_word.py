"""A postulate's name (postulates.models.Postulate.__str__) held the first 60 characters of its
content, cut inside a word and with nothing to say so; it is now cut at a word and ends with
"…" (core.text.shorten). The register rows written with the old name, a postulate's and its
answers' ("Uwzględniony: Postulat nr 5: …"), get the new one, only where the old one is the
record's content now, so no title is ever guessed (as 0008 did)."""

from django.db import migrations

from core.text import shorten

NAME_LENGTH = 60
BATCH = 2000


def _names(Postulate, pks):
    """{pk: (old name, new name)} of the postulates whose name was cut."""
    names = {}
    rows = Postulate.objects.filter(pk__in=pks).values_list("pk", "number", "content")
    for pk, number, content in rows:
        old = f"Postulat nr {number}: {content[:NAME_LENGTH]}"
        new = f"Postulat nr {number}: {shorten(content, NAME_LENGTH)}"
        if old != new and len(content) > NAME_LENGTH:
            names[pk] = (old, new)
    return names


def cut_at_a_word(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    RegisterEntry = apps.get_model("history", "RegisterEntry")
    Postulate = apps.get_model("postulates", "Postulate")
    Position = apps.get_model("postulates", "Position")
    PositionRevision = apps.get_model("postulates", "PositionRevision")
    # How each kind of row finds its postulate: {model name: {object id: postulate id}}.
    postulate_of = {
        "postulate": lambda ids: {pk: pk for pk in ids},
        "position": lambda ids: dict(
            Position.objects.filter(pk__in=ids).values_list("pk", "postulate_id")
        ),
        "positionrevision": lambda ids: dict(
            PositionRevision.objects.filter(pk__in=ids).values_list(
                "pk", "position__postulate_id"
            )
        ),
    }
    for model_name, lookup in postulate_of.items():
        content_type = ContentType.objects.filter(app_label="postulates", model=model_name).first()
        if content_type is None:
            continue
        rows = RegisterEntry.objects.filter(content_type=content_type, title__contains="Postulat nr ")
        pending = list(rows.values_list("pk", "object_id", "title"))
        for start in range(0, len(pending), BATCH):
            batch = pending[start : start + BATCH]
            postulates = lookup({object_id for _pk, object_id, _title in batch})
            names = _names(Postulate, set(postulates.values()))
            changed = []
            for pk, object_id, title in batch:
                old, new = names.get(postulates.get(object_id), (None, None))
                if old and old in title:
                    changed.append(RegisterEntry(pk=pk, title=title.replace(old, new, 1)[:500]))
            RegisterEntry.objects.bulk_update(changed, ["title"])


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0008_register_titles_named_once"),
        ("postulates", "0012_postulate_search_day"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(cut_at_a_word, migrations.RunPython.noop)]

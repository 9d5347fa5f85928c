"""No migration of the project's own apps may destroy archival data, and the models never drift
from their migrations.

A migration removing a field or a model of the archive, or running SQL (or Python) that drops
a table or a column, truncates or deletes rows, fails this test unless it is listed in
ALLOWED below with the reason it is safe (e.g. the data was moved elsewhere by an earlier
operation of the same migration, and a test proves it).
"""

import inspect
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

# (app label, migration name): why it may remove what it removes. Empty: none may.
ALLOWED: dict[tuple[str, str], str] = {}

# Apps of the project whose tables hold no archival content.
NOT_ARCHIVAL = {
    "editors": "who may edit what; accounts, not archive content",
    "pagecache": "bookkeeping of the page cache, rebuilt at will",
}

# SQL that destroys stored data. DROP INDEX / CONSTRAINT / TRIGGER / FUNCTION only drop what
# can be rebuilt from the data, so they are not listed.
DESTRUCTIVE_SQL = re.compile(
    r"\b(DROP\s+(TABLE|COLUMN|SCHEMA|DATABASE)|ALTER\s+TABLE\s+\S+\s+DROP\s+(?!CONSTRAINT\b|INDEX\b)\w+"
    r"|TRUNCATE|DELETE\s+FROM)\b",
    re.IGNORECASE,
)
# The same in a RunPython function's source, plus the ORM's deletes.
DESTRUCTIVE_PYTHON = re.compile(DESTRUCTIVE_SQL.pattern + r"|\.delete\(\)", re.IGNORECASE)


def project_app_labels():
    """Apps living in a folder at the top of the repository (not Django's, not packages')."""
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
    }


def archival_app_labels():
    return project_app_labels() - set(NOT_ARCHIVAL)


def sql_text(sql):
    """RunSQL's forward SQL: a string, or a list of strings or (sql, params) pairs."""
    if isinstance(sql, str):
        return sql
    return "\n".join(item[0] if isinstance(item, (list, tuple)) else item for item in sql)


def database_operations(operations):
    """The operations that touch the database, looking inside SeparateDatabaseAndState."""
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from database_operations(operation.database_operations)
        else:
            yield operation


def destructive_operations(app_label, migration, archival_apps):
    """Descriptions of what `migration` would destroy in archival tables."""
    if app_label not in archival_apps:
        return []
    found = []
    for operation in database_operations(migration.operations):
        if isinstance(operation, migrations.RemoveField):
            found.append(f"RemoveField {operation.model_name}.{operation.name}")
        elif isinstance(operation, migrations.DeleteModel):
            found.append(f"DeleteModel {operation.name}")
        elif isinstance(operation, migrations.RunSQL):
            text = sql_text(operation.sql)
            if DESTRUCTIVE_SQL.search(text):
                found.append(f"RunSQL {DESTRUCTIVE_SQL.search(text).group(0)!r}")
        elif isinstance(operation, migrations.RunPython):
            try:
                source = inspect.getsource(operation.code)
            except (OSError, TypeError):
                source = ""
            match = DESTRUCTIVE_PYTHON.search(source)
            if match:
                found.append(f"RunPython {operation.code.__name__}: {match.group(0)!r}")
    return found


def project_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    labels = project_app_labels()
    return {key: migration for key, migration in loader.disk_migrations.items() if key[0] in labels}


def test_the_check_sees_the_project_migrations():
    found = project_migrations()
    labels = {label for label, _name in found}
    assert {"meetings", "postulates", "departments", "organisations", "programmes"} <= labels
    assert len(found) >= 10


def test_no_migration_destroys_archival_data():
    archival = archival_app_labels()
    problems = {}
    for (label, name), migration in sorted(project_migrations().items()):
        found = destructive_operations(label, migration, archival)
        if found and (label, name) not in ALLOWED:
            problems[f"{label}.{name}"] = found
    assert not problems, (
        "These migrations would destroy archival data. Keep the data (rename, add a new field, "
        f"copy first) or list the migration in ALLOWED with the reason: {problems}"
    )


def test_every_allowed_migration_exists_and_says_why():
    migrations_on_disk = project_migrations()
    for key, reason in ALLOWED.items():
        assert key in migrations_on_disk, f"{key} is allowed but does not exist"
        assert len(reason) > 20, f"{key}: give a real reason"


def test_the_check_catches_each_kind_of_destruction():
    def wipe(apps, schema_editor):
        apps.get_model("meetings", "Meeting").objects.all().delete()

    class Migration(migrations.Migration):
        operations = [
            migrations.RemoveField("meeting", "topic"),
            migrations.DeleteModel("MeetingDate"),
            migrations.RunSQL("ALTER TABLE meetings_meeting DROP place"),
            migrations.RunSQL("ALTER TABLE meetings_meeting DROP CONSTRAINT x"),
            migrations.RunSQL(["DROP INDEX IF EXISTS x", "DROP TABLE meetings_round"]),
            migrations.RunSQL("CREATE INDEX y ON meetings_meeting (title)", "DROP INDEX y"),
            migrations.RunPython(wipe),
            migrations.SeparateDatabaseAndState(
                database_operations=[migrations.RemoveField("meeting", "place")],
                state_operations=[],
            ),
        ]

    found = destructive_operations("meetings", Migration("0999_bad", "meetings"), {"meetings"})
    assert found == [
        "RemoveField meeting.topic",
        "DeleteModel MeetingDate",
        "RunSQL 'ALTER TABLE meetings_meeting DROP place'",
        "RunSQL 'DROP TABLE'",
        "RunPython wipe: '.delete()'",
        "RemoveField meeting.place",
    ]
    # Other apps, and dropping an index, are not archival destruction.
    assert destructive_operations("editors", Migration("0999_bad", "editors"), {"meetings"}) == []


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """`makemigrations --check`: a model change without its migration fails here, not in
    production."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models have changes without migrations:\n{out.getvalue()}")

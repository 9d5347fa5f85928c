"""ops/backup.sh and ops/restore.sh: a backup restored into a new database and a new media
folder keeps every record of every table and every byte of every uploaded file.

The test makes its own PostgreSQL databases (krakow_ngo_bk_<random>_*), whatever database the
suite runs on, fills one through manage.py in subprocesses (migrate, the real archive, sample
data, uploaded documents, answers), backs it up, restores it into the other and compares both
table by table (row count and a checksum of the rows' text) and file by file. They are dropped
at the end, passed or failed.
"""

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from tests.conftest import require_tool
from tests.files.builders import pdf_bytes

SERVER = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(settings.BASE_DIR)
BACKUP = ROOT / "ops" / "backup.sh"
RESTORE = ROOT / "ops" / "restore.sh"

# Run in the source database after load_archive and generate_sample_data: uploaded documents
# with real files (through the model's upload_to, as the admin stores them), an answered
# postulate with awkward text, and a file that no record points to (backups keep the folder
# whole, not only what the database names). Prints what the download check needs.
FILL = r"""
import datetime, json
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from core.publishing import Status
from meetings.models import Document, Meeting
from postulates.models import Outcome, Position, Postulate

call_command("load_archive", verbosity=0)
call_command("generate_sample_data", meetings=20, postulates=100, verbosity=0)

FILES = json.loads(FILES_JSON)
meeting = Meeting.objects.published().filter(is_sample=False).order_by("pk").first()
uploaded = []
for number, (name, hex_content) in enumerate(FILES.items(), start=1):
    document = Document(
        meeting=meeting, kind=Document.Kind.MATERIALS, title=f"Załącznik testowy nr {number}",
        status=Status.PUBLISHED,
    )
    document.file.save(name, ContentFile(bytes.fromhex(hex_content)), save=False)
    document.save()
    uploaded.append({"url": document.get_download_url(), "name": name, "stored": document.file.name})

postulate = Postulate.objects.create(
    meeting=meeting, number=9001, status=Status.PUBLISHED,
    content="Postulat z „cudzysłowem”, znakami ąęłńóśźż, tabulatorem\tnową linią\ni 'apostrofem' – \\ backslash",
)
Position.objects.create(
    postulate=postulate, outcome=Outcome.objects.first(), status=Status.PUBLISHED,
    justification="Stanowisko testowe kopii zapasowej.", answered_on=datetime.date(2025, 9, 1),
)
default_storage.save("inne/plik-bez-rekordu.txt", ContentFile("sierota, ale w kopii też".encode()))
print("UPLOADED=" + json.dumps(uploaded))
"""

# Run against the restored copy: the public download of each uploaded document.
DOWNLOAD = r"""
import hashlib, json
from django.test import Client
client = Client()
for item in json.loads(UPLOADED_JSON):
    response = client.get(item["url"])
    body = b"".join(response.streaming_content) if response.streaming else response.content
    print("DOWNLOADED=" + json.dumps([item["url"], response.status_code, hashlib.sha256(body).hexdigest()]))
"""


UPLOADS = {
    "Podsumowanie spotkania – łąki.pdf": pdf_bytes("Podsumowanie lak kwietnych"),
    "zestawienie postulatów.pdf": pdf_bytes("Zestawienie postulatow"),
    # Not text: every byte value, to catch any re-encoding on the way.
    "binarny.pdf": pdf_bytes("binarny") + bytes(range(256)) * 64,
}


def server_connection(database="postgres"):
    import psycopg

    return psycopg.connect(f"{SERVER}/{database}", autocommit=True, connect_timeout=5)


@pytest.fixture
def databases():
    """Two new, empty databases on the local server, dropped afterwards."""
    import psycopg

    require_tool("pg_dump", "PostgreSQL client tools")
    require_tool("pg_restore", "PostgreSQL client tools")
    try:
        server = server_connection()
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {SERVER} is not reachable: {error}")
        pytest.skip(f"PostgreSQL at {SERVER} is not reachable")
    names = [f"krakow_ngo_bk_{uuid.uuid4().hex[:10]}_{part}" for part in ("zrodlo", "kopia")]
    try:
        for name in names:
            server.execute(f'CREATE DATABASE "{name}"')
        yield {name.rsplit("_", 1)[1]: f"{SERVER}/{name}" for name in names}
    finally:
        for name in names:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def run(args, env, **kwargs):
    result = subprocess.run(
        args,
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )
    assert result.returncode == 0, (
        f"{args[:3]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    return result


def manage(*args, database_url, media_root):
    return run(
        [sys.executable, "manage.py", *args],
        {
            "DATABASE_URL": database_url,
            "DJANGO_MEDIA_ROOT": str(media_root),
            "DJANGO_DEBUG": "true",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_LOG_LEVEL": "WARNING",
        },
    )


def printed(result, key):
    return [
        json.loads(line.removeprefix(f"{key}="))
        for line in result.stdout.splitlines()
        if line.startswith(f"{key}=")
    ]


def project_tables():
    """Every table of every installed app (many-to-many tables included)."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return tables


def snapshot(database_url):
    """{table: (row count, md5 of the rows' text in a fixed order)} for every table in the
    public schema, and {sequence: last value} so new records cannot collide after a restore."""
    with server_connection(database_url.rsplit("/", 1)[1]) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        content = {}
        for table in tables:
            count, digest = connection.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"
            ).fetchone()
            content[table] = (count, digest)
        sequences = dict(
            connection.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            )
        )
        # The full-text indexes and triggers search/migrations create on PostgreSQL.
        indexes = sorted(
            connection.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            ).fetchall()
        )
    return content, sequences, indexes


def files_in(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def test_a_restored_backup_keeps_every_record_and_every_file(databases, tmp_path):
    source_media, restored_media = tmp_path / "media", tmp_path / "przywrocone" / "media"
    source, copy = databases["zrodlo"], databases["kopia"]

    manage("migrate", "--noinput", "-v0", database_url=source, media_root=source_media)
    files_json = json.dumps({name: content.hex() for name, content in UPLOADS.items()})
    filled = manage(
        "shell",
        "-c",
        f"FILES_JSON = {files_json!r}\n{FILL}",
        database_url=source,
        media_root=source_media,
    )
    (uploaded,) = printed(filled, "UPLOADED")
    assert len(uploaded) == len(UPLOADS)

    backup = run(
        ["bash", str(BACKUP), str(tmp_path / "kopie")],
        {"DATABASE_URL": source, "DJANGO_MEDIA_ROOT": str(source_media)},
    )
    backup_dir = Path(backup.stdout.strip())
    assert backup_dir.parent == tmp_path / "kopie"
    assert backup_dir.name.startswith("archiwum-")
    assert sorted(p.name for p in backup_dir.iterdir()) == [
        "MANIFEST.txt",
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
    ]
    assert "postgres@127.0.0.1:5432/" in (backup_dir / "MANIFEST.txt").read_text()

    restore = [
        "bash",
        str(RESTORE),
        "--database-url",
        copy,
        "--media-root",
        str(restored_media),
        str(backup_dir),
    ]
    run(restore, {})

    # Every table, with the same rows.
    before, before_sequences, before_indexes = snapshot(source)
    assert project_tables() <= set(before), project_tables() - set(before)
    assert snapshot(copy) == (before, before_sequences, before_indexes)
    # ... and the comparison compared something: the archive, samples, uploads, history.
    for table in (
        "meetings_meeting",
        "meetings_document",
        "postulates_postulate",
        "postulates_position",
        "departments_department",
        "organisations_organisation",
        "reversion_version",
        "django_migrations",
    ):
        assert before[table][0] > 0, table

    # Every file, byte for byte, the uploads under the names the database gives them.
    source_files, restored_files = files_in(source_media), files_in(restored_media)
    assert restored_files == source_files
    for item, content in zip(uploaded, UPLOADS.values(), strict=True):
        assert source_files[item["stored"]] == hashlib.sha256(content).hexdigest()
    assert "inne/plik-bez-rekordu.txt" in restored_files

    # Restoring again over a copy that changed since (the usual case: going back to last
    # night's state) gives the backup's state again; the changed media folder is set aside.
    with server_connection(copy.rsplit("/", 1)[1]) as connection:
        connection.execute("UPDATE meetings_meeting SET title = 'zmienione po kopii'")
        # An answer without kept earlier versions (those would refuse the delete).
        connection.execute(
            "DELETE FROM postulates_position WHERE id IN (SELECT min(id) FROM postulates_position"
            " AS p WHERE NOT EXISTS (SELECT 1 FROM postulates_positionrevision AS r"
            " WHERE r.position_id = p.id))"
        )
    (restored_media / "dokumenty" / "nowy-po-kopii.pdf").write_bytes(b"%PDF-1.4 nowy")
    run(restore, {})
    assert snapshot(copy) == (before, before_sequences, before_indexes)
    assert files_in(restored_media) == source_files
    (set_aside,) = restored_media.parent.glob("media.before-restore-*")
    assert "dokumenty/nowy-po-kopii.pdf" in files_in(set_aside)

    # The restored copy serves the documents.
    downloads = manage(
        "shell",
        "-c",
        f"UPLOADED_JSON = {json.dumps(uploaded)!r}\n{DOWNLOAD}",
        database_url=copy,
        media_root=restored_media,
    )
    assert printed(downloads, "DOWNLOADED") == [
        [item["url"], 200, hashlib.sha256(content).hexdigest()]
        for item, content in zip(uploaded, UPLOADS.values(), strict=True)
    ]


def test_restore_refuses_without_an_explicit_target(tmp_path):
    require_tool("pg_restore", "PostgreSQL client tools")
    backup_dir = tmp_path / "archiwum-20250101T000000Z"
    backup_dir.mkdir()
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/nie_ruszac", "DJANGO_MEDIA_ROOT": "/nie"}
    for args in (
        [str(backup_dir)],
        ["--media-root", str(tmp_path / "media"), str(backup_dir)],
        ["--database-url", f"{SERVER}/cel", str(backup_dir)],
        ["--database-url", f"{SERVER}/cel", "--media-root", str(tmp_path / "media")],
    ):
        result = subprocess.run(
            ["bash", str(RESTORE), *args], env=env, capture_output=True, text=True, timeout=30
        )
        assert result.returncode != 0, args
        assert "restore: error:" in result.stderr, result.stderr
    assert not (tmp_path / "media").exists()


def test_restore_refuses_a_damaged_backup_before_touching_anything(tmp_path):
    require_tool("pg_restore", "PostgreSQL client tools")
    backup_dir = tmp_path / "archiwum-20250101T000000Z"
    backup_dir.mkdir()
    (backup_dir / "database.dump").write_bytes(b"not a dump")
    (backup_dir / "media.tar.gz").write_bytes(b"not a tar")
    subprocess.run(
        "sha256sum database.dump media.tar.gz > SHA256SUMS", shell=True, cwd=backup_dir, check=True
    )
    (backup_dir / "media.tar.gz").write_bytes(b"changed after the checksum")
    media = tmp_path / "media"
    media.mkdir()
    (media / "keep.txt").write_text("untouched")
    result = subprocess.run(
        [
            "bash",
            str(RESTORE),
            "--database-url",
            f"{SERVER}/krakow_ngo_bk_does_not_exist",
            "--media-root",
            str(media),
            str(backup_dir),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "checksums do not match" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archiwum-20250101T000000Z", "media"]
    assert (media / "keep.txt").read_text() == "untouched"


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    result = subprocess.run(
        ["bash", str(BACKUP), str(tmp_path)],
        env={**os.environ, "DATABASE_URL": "sqlite:///db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    if "is not installed" in result.stderr:
        pytest.skip("PostgreSQL client tools are not installed")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr
    assert list(tmp_path.iterdir()) == []

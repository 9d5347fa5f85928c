"""Uploaded documents in S3-compatible object storage (django-storages), as several app servers
share them: nothing is written to the machine's own disk. moto plays the storage server."""

import uuid

import pytest
from django.core.files.base import ContentFile

from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def storage_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def object_storage(settings, tmp_path, storage_server):
    import boto3

    endpoint = storage_server
    bucket = f"archiwum-{uuid.uuid4().hex[:12]}"
    credentials = {
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
        "region_name": "eu-central-1",
    }
    boto3.client("s3", endpoint_url=endpoint, **credentials).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    settings.MEDIA_ROOT = tmp_path / "media-never-used"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "eu-central-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    return boto3.client("s3", endpoint_url=endpoint, **credentials), bucket


def test_a_document_is_stored_in_the_bucket_and_downloaded_from_it(client, object_storage):
    s3, bucket = object_storage
    document = DocumentFactory(title="Podsumowanie w chmurze")
    document.file.save("podsumowanie.pdf", ContentFile(PDF))

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [document.file.name]

    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


def test_two_documents_with_the_same_file_name_never_overwrite_each_other(object_storage):
    first = DocumentFactory()
    first.file.save("lista.pdf", ContentFile(PDF))
    second = DocumentFactory()
    second.file.save("lista.pdf", ContentFile(PDF + b"% inna\n"))
    assert first.file.name != second.file.name
    assert first.file.read() == PDF

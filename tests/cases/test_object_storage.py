"""Documents in S3-compatible object storage (issue 17), against a real S3 server on this
machine (moto's standalone server, tests/backing_services.py): stored in the bucket,
downloaded only through the checked, audited views, nothing half-saved when the store is
down, and readiness says so."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotus.api.services import api_token_create
from lotus.audit.models import AuditEvent
from lotus.cases import services, storage
from lotus.cases.models import Document, TimelineEvent
from lotus.config.backing import s3_document_storage
from lotus.config.env import SettingError
from lotus.portal.models import Reflection
from tests.api.conftest import API, bearer_client
from tests.backing_services import bucket_keys, free_port, s3_settings
from tests.cases.test_uploads import upload

pytestmark = pytest.mark.django_db

STATEMENT = b"A fictional statement about the handover.\n"


@pytest.fixture
def token_for(world):
    def make(role: str) -> str:
        return api_token_create(actor=None, user=world.users[role], name="S3 test", expires_days=5).raw

    return make


@pytest.fixture
def store_down(settings):
    """Documents in S3, at an address where nothing listens."""
    settings.LOTUS_DOCUMENT_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES, "documents": s3_settings(f"http://127.0.0.1:{free_port()}", "lotus-unreachable"),
    }


def counts() -> tuple[int, int, int]:
    return Document.objects.count(), TimelineEvent.objects.count(), AuditEvent.objects.filter(action="upload").count()


def test_an_upload_goes_to_the_bucket_and_downloads_through_the_checked_view(world, client_for, s3_documents, settings):
    client, bucket = s3_documents
    response = upload(client_for("case_manager"), world.case, "statement.txt", STATEMENT, title="Statement")
    assert response.status_code == 302
    document = Document.objects.get()
    assert bucket_keys(client, bucket) == [f"{document.stored_name[:2]}/{document.stored_name}"]
    assert client.get_object(Bucket=bucket, Key=storage.document_key(document.stored_name))["Body"].read() == STATEMENT
    assert not settings.DOCUMENT_ROOT.exists() or not any(settings.DOCUMENT_ROOT.rglob("*.*"))

    # As if on another server: a new connection to the store, another team member.
    storages._storages.pop("documents", None)
    url = f"/cases/{world.case.pk}/documents/{document.pk}/download/"
    download = client_for("professional_advisor").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == STATEMENT
    assert download["Content-Disposition"] == 'attachment; filename="statement.txt"'
    assert download["Content-Length"] == str(len(STATEMENT))
    assert AuditEvent.objects.filter(action="download", object_id=str(document.pk)).count() == 1
    # Someone who may not see the case's documents still gets 404, whatever the store.
    assert client_for("pastoral_contact").get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_api_downloads_from_the_bucket_too(world, s3_documents, token_for):
    document = services.document_upload(actor=world.users["case_manager"], case=world.case, title="",
                                        file_name="statement.txt", data=STATEMENT)
    response = bearer_client(token_for("case_manager")).get(
        f"{API}/cases/{world.case.pk}/documents/{document.pk}/download/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == STATEMENT


def test_a_file_missing_from_the_bucket_is_404_and_not_audited_as_a_download(world, client_for, s3_documents):
    client, bucket = s3_documents
    document = services.document_upload(actor=world.users["case_manager"], case=world.case, title="",
                                        file_name="statement.txt", data=STATEMENT)
    client.delete_object(Bucket=bucket, Key=storage.document_key(document.stored_name))
    response = client_for("case_manager").get(f"/cases/{world.case.pk}/documents/{document.pk}/download/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()


def test_with_the_store_down_an_upload_is_refused_clearly_and_nothing_is_saved(world, client_for, store_down):
    before = counts()
    response = upload(client_for("case_manager"), world.case, "statement.txt", STATEMENT, title="Kept title")
    assert response.status_code == 200
    html = response.content.decode()
    assert "document storage is not available just now. Nothing was saved. Try again in a few minutes" in html
    assert "Kept title" in html  # what was typed is kept
    assert counts() == before


def test_with_the_store_down_the_api_answers_503_and_saves_nothing(world, token_for, store_down):
    before = counts()
    response = bearer_client(token_for("case_manager")).post(
        f"{API}/cases/{world.case.pk}/documents/",
        {"title": "Statement", "file": SimpleUploadedFile("statement.txt", STATEMENT)}, format="multipart",
    )
    assert response.status_code == 503
    assert "document storage is not available just now" in response.json()["errors"]["file"][0]
    assert counts() == before


def test_with_the_store_down_a_reflection_with_documents_is_refused_whole(world, client_for, store_down):
    response = client_for("practitioner").post(
        reverse("portal:add_reflection", args=[world.case.pk]),
        {"text": "My reflections", "documents": [SimpleUploadedFile("notes.txt", STATEMENT)]},
    )
    assert response.status_code == 200
    assert "document storage is not available just now" in response.content.decode()
    assert (Reflection.objects.count(), Document.objects.count()) == (0, 0)


def test_when_the_record_cannot_be_saved_the_object_is_removed_again(world, s3_documents, monkeypatch):
    client, bucket = s3_documents

    def refuse(self, *args, **kwargs):
        raise ValidationError({"title": "Refused by the test"})

    monkeypatch.setattr(Document, "full_clean", refuse)
    with pytest.raises(ValidationError):
        services.document_upload(actor=world.users["case_manager"], case=world.case, title="",
                                 file_name="statement.txt", data=STATEMENT)
    assert Document.objects.count() == 0
    assert bucket_keys(client, bucket) == []


def test_with_the_store_down_a_download_is_the_503_page_and_not_audited(world, client_for, store_down):
    document = Document.objects.create(
        case=world.case, title="Statement", original_name="statement.txt", stored_name="ab" + "0" * 46,
        media_type="text/plain", size_bytes=len(STATEMENT), sha256="0" * 64, uploaded_by=world.users["case_manager"],
        uploaded_at=timezone.now(),
    )
    response = client_for("case_manager").get(f"/cases/{world.case.pk}/documents/{document.pk}/download/")
    assert response.status_code == 503
    assert not AuditEvent.objects.filter(action="download").exists()


def test_readiness_reports_the_bucket(s3_documents, settings):
    assert Client().get("/health/ready").json()["checks"]["documents"] == "ok"
    settings.STORAGES = {**settings.STORAGES, "documents": {
        **settings.STORAGES["documents"],
        "OPTIONS": {**settings.STORAGES["documents"]["OPTIONS"], "bucket_name": "lotus-no-such-bucket"},
    }}
    assert Client().get("/health/ready").json()["checks"]["documents"] == "unavailable"


def test_readiness_reports_a_store_that_does_not_answer(store_down):
    response = Client().get("/health/ready")
    assert response.status_code == 200  # the server stays in the pool
    assert response.json()["checks"]["documents"] == "unavailable"
    assert response.json()["status"] == "degraded"


# -- settings -----------------------------------------------------------------------------


def s3(**overrides):
    values = {"bucket": "lotus-documents", "endpoint_url": None, "region": None, "access_key": None,
              "secret_key": None, "prefix": None, **overrides}
    return s3_document_storage(**values)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"bucket": ""}, "LOTUS_S3_BUCKET must be set"),
        ({"bucket": "Lotus_Documents"}, "LOTUS_S3_BUCKET must be a bucket name"),
        ({"bucket": "a..b"}, "LOTUS_S3_BUCKET must be a bucket name"),
        ({"endpoint_url": "minio.internal:9000"}, "LOTUS_S3_ENDPOINT_URL must be an http:// or https:// address"),
        ({"endpoint_url": "http://minio:port"}, "LOTUS_S3_ENDPOINT_URL is not a valid address"),
        ({"region": "London please"}, "LOTUS_S3_REGION must be a region name"),
        ({"access_key": "AKIA-only"}, "LOTUS_S3_ACCESS_KEY_ID and LOTUS_S3_SECRET_ACCESS_KEY must be set together"),
    ],
)
def test_a_wrong_storage_setting_is_refused_naming_the_variable(overrides, named):
    with pytest.raises(SettingError, match=named):
        s3(**overrides)


def test_a_secret_never_appears_in_a_message():
    with pytest.raises(SettingError) as refused:
        s3(endpoint_url="ftp://user:hunter2-secret@minio.internal")
    assert "hunter2-secret" not in str(refused.value)


def test_the_defaults_are_private_and_regional():
    options = s3()["OPTIONS"]
    assert options["region_name"] == "eu-west-2"
    assert options["default_acl"] is None
    assert "access_key" not in options  # boto3 finds credentials itself

"""Backup and restore with documents in S3-compatible object storage (issue 17): every
object in the bucket is copied into the backup and covered by the manifest's checksums;
restore puts them into an empty bucket, and refuses one that already holds objects."""

import json
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from lotus.accounts.roles import Role
from lotus.cases.services import document_upload
from lotus.cases.storage import document_key
from lotus.ops.backup import MANIFEST, sha256_file
from tests.backing_services import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, bucket_keys, s3_client
from tests.factories import CaseFactory, OrganisationFactory, PractitionerFactory, UserFactory
from tests.ops import test_backup

fresh_installation = test_backup.fresh_installation  # a new, empty database of its own
lotus = test_backup.lotus
pdf = test_backup.pdf


@pytest.fixture
def seeded_bucket(transactional_db, s3_documents):
    organisation = OrganisationFactory()
    manager = UserFactory(organisation=organisation, roles=(Role.CASE_MANAGER,))
    practitioner = PractitionerFactory(organisation=organisation)
    stored = []
    for number in range(2):
        case = CaseFactory(organisation=organisation, practitioner=practitioner, owner=manager, team=[manager])
        stored.append(document_upload(actor=manager, case=case, title=f"Letter {number}",
                                      file_name=f"letter-{number}.pdf", data=pdf(f"letter {number}")))
    return s3_documents, stored


def s3_environment(env: dict, endpoint: str, bucket: str) -> dict:
    return {**env, "LOTUS_DOCUMENT_STORAGE": "s3", "LOTUS_S3_BUCKET": bucket, "LOTUS_S3_ENDPOINT_URL": endpoint,
            "LOTUS_S3_REGION": S3_REGION, "LOTUS_S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "LOTUS_S3_SECRET_ACCESS_KEY": S3_SECRET_KEY}


def test_the_bucket_is_backed_up_checksummed_and_restored(seeded_bucket, s3_endpoint, tmp_path, fresh_installation):
    (client, source_bucket), stored = seeded_bucket
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["documents"] == 2
    for document in stored:
        entry = manifest["files"][f"documents/{document_key(document.stored_name)}"]
        assert entry["sha256"] == document.sha256 == sha256_file(backup / "documents" / document_key(document.stored_name))

    # Restore into a new installation whose bucket is empty.
    target_client, target_bucket = s3_client(s3_endpoint), f"lotus-restored-{uuid.uuid4().hex[:12]}"
    target_client.create_bucket(Bucket=target_bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    env = s3_environment(fresh_installation, s3_endpoint, target_bucket)
    restored = lotus(env, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert bucket_keys(target_client, target_bucket) == bucket_keys(client, source_bucket)
    for key in bucket_keys(client, source_bucket):
        original = client.get_object(Bucket=source_bucket, Key=key)["Body"].read()
        assert target_client.get_object(Bucket=target_bucket, Key=key)["Body"].read() == original
    assert lotus(env, "audit", "verify").returncode == 0


def test_restore_refuses_a_bucket_that_already_holds_objects(seeded_bucket, s3_endpoint, tmp_path, fresh_installation):
    (_, source_bucket), _ = seeded_bucket
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    refused = lotus(s3_environment(fresh_installation, s3_endpoint, source_bucket), "restore", str(backup))
    assert refused.returncode != 0
    assert f"the bucket s3://{source_bucket} already holds objects" in refused.stderr


def test_a_document_missing_from_the_bucket_fails_the_backup(seeded_bucket, tmp_path):
    (client, bucket), stored = seeded_bucket
    client.delete_object(Bucket=bucket, Key=document_key(stored[0].stored_name))
    with pytest.raises(Exception, match="missing or changed in the bucket"):
        call_command("backup", str(tmp_path / "backup"))
    assert not Path(tmp_path / "backup" / MANIFEST).exists()

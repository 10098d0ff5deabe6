"""`lotus backup` / `lotus restore`: the round trip (same rows, same files, the audit chain
verifies), and refusals: a damaged backup, a non-empty installation, a wrong database kind.

The restore runs in a separate process against a fresh installation: a new SQLite file in
a temporary LOTUS_VAR_DIR, or a second, new PostgreSQL database when the suite runs on
PostgreSQL."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lotus.accounts.roles import Role
from lotus.cases.services import document_upload
from lotus.ops.backup import MANIFEST, describe_current_database, sha256_file
from tests.factories import CaseFactory, OrganisationFactory, PractitionerFactory, UserFactory
from tests.ops.describe import describe

ROOT = Path(__file__).resolve().parents[2]


def pdf(text: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + f"% {text}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


@pytest.fixture
def documents(settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "source-documents"
    settings.DOCUMENT_ROOT.mkdir()
    return settings.DOCUMENT_ROOT


@pytest.fixture
def seeded(transactional_db, documents):
    """Committed data (pg_dump reads from another session): users, cases, documents, audit."""
    organisation = OrganisationFactory()
    manager = UserFactory(organisation=organisation, roles=(Role.CASE_MANAGER,))
    practitioner = PractitionerFactory(organisation=organisation)
    for number in range(3):
        case = CaseFactory(organisation=organisation, practitioner=practitioner, owner=manager, team=[manager])
        document_upload(actor=manager, case=case, title=f"Letter {number}", file_name=f"letter-{number}.pdf",
                        data=pdf(f"letter {number}"))
    return documents


def file_digests(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): sha256_file(path) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def fresh_installation(tmp_path):
    """Environment for a new, empty LOTUS: its own SQLite file or its own PostgreSQL database."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.ops.restore_settings",
        LOTUS_VAR_DIR=str(tmp_path / "restored-var"),
        LOTUS_DOCUMENT_ROOT=str(tmp_path / "restored-documents"),
        PYTHONPATH=str(ROOT),
    )
    (tmp_path / "restored-var").mkdir()
    created = None
    if connection.vendor == "postgresql":
        source = connection.settings_dict
        created = f"{source['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        admin = psycopg.connect(host=source["HOST"] or None, port=source["PORT"] or None,
                                user=source["USER"] or None, password=source["PASSWORD"] or None,
                                dbname="postgres", autocommit=True)
        with admin:
            admin.execute(f'CREATE DATABASE "{created}"')
        user = source["USER"] or ""
        password = f":{source['PASSWORD']}" if source["PASSWORD"] else ""
        at = "@" if user else ""
        env["DATABASE_URL"] = (
            f"postgres://{user}{password}{at}{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}/{created}"
        )
    yield env
    if created:
        admin = psycopg.connect(host=source["HOST"] or None, port=source["PORT"] or None,
                                user=source["USER"] or None, password=source["PASSWORD"] or None,
                                dbname="postgres", autocommit=True)
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def lotus(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lotus.cli", *args], env=env, cwd=ROOT,  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=False)


def test_round_trip_same_rows_same_files_audit_verifies(seeded, tmp_path, fresh_installation):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    source = describe_current_database()
    source_contents = describe()
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["row_counts"] == source["row_counts"]
    assert manifest["row_counts"]["cases_case"] == 3
    assert manifest["documents"] == 3
    assert manifest["audit_head"] == source["audit_head"]
    assert manifest["audit_head"]["sequence"] > 0
    assert manifest["lotus_version"]
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())

    restored = lotus(fresh_installation, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout

    described = subprocess.run([sys.executable, "-m", "tests.ops.describe"], env=fresh_installation, cwd=ROOT,
                               capture_output=True, text=True, timeout=120, check=True)
    after = json.loads(described.stdout)
    assert after["row_counts"] == source["row_counts"]
    assert after["audit_head"] == source["audit_head"]
    assert after["contents"] == source_contents["contents"]  # every row and column of the main tables
    assert after["triggers"] == source_contents["triggers"] and after["triggers"]  # still append-only
    assert file_digests(Path(fresh_installation["LOTUS_DOCUMENT_ROOT"])) == file_digests(seeded)
    assert len(file_digests(seeded)) == 3

    verified = lotus(fresh_installation, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert f"{source['audit_head']['sequence']} events" in verified.stdout

    again = lotus(fresh_installation, "restore", str(backup))
    assert again.returncode != 0
    assert "empty installation" in again.stderr


@pytest.mark.parametrize("damage", ["document", "database", "manifest_row", "extra_file", "missing_file"])
def test_a_damaged_backup_is_refused(seeded, tmp_path, damage):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    document = next(name for name in manifest["files"] if name.startswith("documents/"))
    if damage == "document":
        path = backup / document
        path.write_bytes(path.read_bytes().replace(b"letter", b"lettex"))
    elif damage == "database":
        path = backup / manifest["database"]["file"]
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    elif damage == "manifest_row":
        manifest["files"][document]["sha256"] = "0" * 64
        (backup / MANIFEST).write_text(json.dumps(manifest))
    elif damage == "extra_file":
        (backup / "documents" / "zz").mkdir()
        (backup / "documents" / "zz" / "planted").write_bytes(b"not from LOTUS")
    else:
        (backup / document).unlink()

    # The checksums are checked before anything else, so even this (non-empty) installation
    # gets the damage reported, and nothing is touched.
    before = describe_current_database()
    with pytest.raises(CommandError, match="is damaged and was not restored"):
        call_command("restore", str(backup))
    assert describe_current_database() == before


def test_restore_refuses_a_non_empty_installation(seeded, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    before = describe_current_database()
    with pytest.raises(CommandError, match="only goes into an empty installation"):
        call_command("restore", str(backup))
    assert describe_current_database() == before


def test_restore_refuses_a_folder_without_a_manifest(db, tmp_path):
    with pytest.raises(CommandError, match="manifest.json is missing"):
        call_command("restore", str(tmp_path))


def test_restore_refuses_a_backup_of_the_other_database_kind(seeded, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["database"]["vendor"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="Restore it into an installation of the same kind"):
        call_command("restore", str(backup))


def test_backup_refuses_an_existing_folder_with_files(db, tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", str(tmp_path))


def test_backup_refuses_when_a_recorded_document_is_missing(seeded, tmp_path):
    victim = next(path for path in seeded.rglob("*") if path.is_file())
    victim.unlink()
    with pytest.raises(CommandError, match="missing or changed"):
        call_command("backup", str(tmp_path / "backup"))

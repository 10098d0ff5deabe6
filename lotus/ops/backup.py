"""Backup and restore of a LOTUS installation: database, uploaded documents, manifest.

A backup is a folder:

    manifest.json        what is in the backup and the SHA-256 of every other file
    database.sqlite3     SQLite: a page-by-page copy made with the online backup API
    database.pgdump      PostgreSQL: pg_dump custom format
    documents/...        the uploaded documents, same layout as DOCUMENT_ROOT (and as the
                         bucket's keys, with LOTUS_DOCUMENT_STORAGE=s3: every object in it
                         is copied here, so the manifest's checksums cover them too)

Consistency while the service runs: the database snapshot is taken first, then the
documents are copied. A document's file is written before the row that names it is
committed and is never changed afterwards, so every document the snapshot knows about is
on disk when the copy runs; the backup checks that (size and SHA-256 against the row).
Files uploaded after the snapshot may also be copied; they are harmless orphans.

Row counts and the audit head are read from the snapshot itself (SQLite: the copy;
PostgreSQL: the same exported snapshot that pg_dump reads), so they describe exactly
what is in the backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # runs pg_dump/pg_restore with fixed argument lists
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from lotus.cases import storage

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
DOCUMENTS = "documents"
DOCUMENT_TABLE = "cases_document"
AUDIT_HEAD_TABLE = "audit_auditchainhead"
EMPTY_CHECK_TABLES = ("accounts_user", "cases_case")


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why, for an operator."""


@dataclass
class RestoreReport:
    tables: int
    rows: int
    documents: int
    audit_sequence: int
    audit_hash: str


def lotus_version() -> str:
    try:
        return importlib.metadata.version("lotus")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - source checkout
        return "unknown"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- reading a snapshot ---------------------------------------------------------------


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _describe(cursor, tables: list[str]) -> dict:
    """Row counts per table, the audit head and the document rows, read through cursor."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608  # nosec B608  # table names come from the catalogue, quoted
        counts[table] = cursor.fetchone()[0]
    head = {"sequence": 0, "hash": ""}
    if AUDIT_HEAD_TABLE in tables:
        cursor.execute(f"SELECT sequence, hash FROM {AUDIT_HEAD_TABLE} WHERE id = 1")  # noqa: S608  # nosec B608  # constant table name
        row = cursor.fetchone()
        if row:
            head = {"sequence": int(row[0]), "hash": row[1]}
    documents = []
    if DOCUMENT_TABLE in tables:
        cursor.execute(f"SELECT stored_name, sha256, size_bytes FROM {DOCUMENT_TABLE}")  # noqa: S608  # nosec B608  # constant table name
        documents = [(name, digest, size) for name, digest, size in cursor.fetchall()]
    return {"row_counts": counts, "audit_head": head, "documents": documents}


def describe_sqlite_file(path: Path) -> dict:
    with sqlite3.connect(path) as snapshot:
        cursor = snapshot.cursor()
        return _describe(cursor, _sqlite_tables(cursor))


def describe_current_database() -> dict:
    """The same description of the live database (used after a restore and by tests)."""
    with connection.cursor() as cursor:
        tables = _sqlite_tables(cursor) if connection.vendor == "sqlite" else _pg_tables(cursor)
        return _describe(cursor, tables)


# -- PostgreSQL command line -------------------------------------------------------------


def _pg_args_env(settings_dict: dict) -> tuple[list[str], dict]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    args += ["--dbname", str(settings_dict["NAME"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])  # never on the command line
    return args, env


def _run(command: list[str], env: dict, what: str) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(f"{command[0]} was not found; install the PostgreSQL client tools ({what}).")
    result = subprocess.run(  # noqa: S603  # nosec B603  # fixed executable, no shell, arguments from settings
        [executable, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.stdout.strip()}")


# -- backup ----------------------------------------------------------------------------


def _prepare_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} already exists and is not an empty folder; choose a new path.")
    target.mkdir(parents=True, exist_ok=True)


def _snapshot_sqlite(target: Path) -> dict:
    connection.ensure_connection()
    source = connection.connection  # the raw sqlite3 connection (also works for :memory:)
    destination = sqlite3.connect(target / SQLITE_FILE)
    try:
        # Copies the whole database in one step under a read lock: a consistent snapshot,
        # and writers (WAL mode) carry on meanwhile.
        source.backup(destination)
    finally:
        destination.close()
    return describe_sqlite_file(target / SQLITE_FILE)


def _snapshot_postgresql(target: Path) -> dict:
    args, env = _pg_args_env(connection.settings_dict)
    # One REPEATABLE READ transaction exports its snapshot; pg_dump reads that same
    # snapshot, and the row counts and audit head are read in it too.
    connection.ensure_connection()
    raw = connection.connection
    was_autocommit = raw.autocommit
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot_id}", "--file", str(target / PG_FILE), *args],
                env,
                "pg_dump",
            )
            description = _describe(cursor, _pg_tables(cursor))
        raw.rollback()
    finally:
        raw.autocommit = was_autocommit
    return description


def _safe_relative(key: str) -> bool:
    parts = key.split("/")
    return bool(key) and not key.startswith("/") and all(part not in ("", ".", "..") for part in parts)


def _copy_objects(destination_root: Path) -> None:
    """Every object in the document bucket, into the backup folder in the same layout."""
    try:
        for key in storage.stored_keys():
            if not _safe_relative(key):
                raise BackupError(f"The bucket holds an object with an unsafe name ({key!r}); remove it first.")
            copy = destination_root / key
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(storage.read_document_key(key))
    except storage.StorageUnavailable as error:
        raise BackupError(f"The documents could not be copied from {storage.describe_store()}: {error}") from error


def _copy_documents(target: Path, documents: list[tuple[str, str, int]]) -> None:
    source_root = Path(settings.DOCUMENT_ROOT)
    destination_root = target / DOCUMENTS
    destination_root.mkdir()
    if storage.uses_object_storage():
        _copy_objects(destination_root)
        source_root = storage.describe_store()
    elif source_root.is_dir():
        for path in sorted(source_root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                relative = path.relative_to(source_root)
                (destination_root / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination_root / relative)
    missing = []
    for stored_name, digest, size in documents:
        copy = destination_root / stored_name[:2] / stored_name
        if not copy.is_file() or copy.stat().st_size != size or sha256_file(copy) != digest:
            missing.append(stored_name)
    if missing:
        raise BackupError(
            f"{len(missing)} document(s) recorded in the database are missing or changed in "
            f"{source_root} (first: {missing[0]}). The backup is incomplete; check where documents are stored "
            "(LOTUS_DOCUMENT_ROOT, or the bucket)."
        )


def create_backup(target: Path) -> dict:
    """Write a backup of the running installation to the new folder target; return the manifest."""
    target = Path(target)
    _prepare_target(target)
    vendor = connection.vendor
    if vendor == "sqlite":
        description = _snapshot_sqlite(target)
        database_file = SQLITE_FILE
    elif vendor == "postgresql":
        description = _snapshot_postgresql(target)
        database_file = PG_FILE
    else:  # pragma: no cover
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    _copy_documents(target, description["documents"])
    files = {}
    for path in sorted(target.rglob("*")):
        if path.is_file():
            files[path.relative_to(target).as_posix()] = {
                "sha256": sha256_file(path),
                "bytes": path.stat().st_size,
            }
    manifest = {
        "format": FORMAT,
        "lotus_version": lotus_version(),
        "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "database": {"vendor": vendor, "file": database_file},
        "row_counts": description["row_counts"],
        "audit_head": description["audit_head"],
        "documents": len(description["documents"]),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


# -- restore ---------------------------------------------------------------------------


def read_verified_manifest(source: Path) -> dict:
    """Read the manifest and check every file against it; refuse anything that differs."""
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a LOTUS backup: {MANIFEST} is missing.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
        database = manifest["database"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"The backup's {MANIFEST} is damaged: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not supported (expected {FORMAT}).")
    problems = []
    for name, expected in sorted(files.items()):
        path = (source / name).resolve()
        if source.resolve() not in path.parents:
            problems.append(f"{name}: outside the backup folder")
        elif not path.is_file():
            problems.append(f"{name}: missing")
        elif path.stat().st_size != expected["bytes"] or sha256_file(path) != expected["sha256"]:
            problems.append(f"{name}: checksum does not match the manifest")
    listed = set(files) | {MANIFEST}
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.relative_to(source).as_posix() not in listed:
            problems.append(f"{path.relative_to(source).as_posix()}: not listed in the manifest")
    if database.get("file") not in files:
        problems.append(f"{database.get('file')}: the database file is not in the manifest")
    if problems:
        shown = "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else "")
        raise BackupError(
            f"The backup in {source} is damaged and was not restored ({len(problems)} problem(s)): {shown}"
        )
    return manifest


def installation_is_empty() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        tables = set(_sqlite_tables(cursor) if connection.vendor == "sqlite" else _pg_tables(cursor))
        for table in EMPTY_CHECK_TABLES:
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608  # nosec B608  # constant table names
                count = cursor.fetchone()[0]
                if count:
                    return False, f"the database already holds {count} row(s) in {table}"
    if storage.uses_object_storage():
        try:
            held = next(iter(storage.stored_keys()), None)
        except storage.StorageUnavailable as error:
            raise BackupError(f"{storage.describe_store()} cannot be read: {error}") from error
        if held is not None:
            return False, f"{storage.describe_store()} already holds objects"
        return True, ""
    root = Path(settings.DOCUMENT_ROOT)
    if root.is_dir() and any(path.is_file() for path in root.rglob("*")):
        return False, f"the document folder {root} already holds files"
    return True, ""


def restore_backup(source: Path) -> RestoreReport:
    source = Path(source)
    manifest = read_verified_manifest(source)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; this installation uses {connection.vendor}. "
            "Restore it into an installation of the same kind."
        )
    empty, reason = installation_is_empty()
    if not empty:
        raise BackupError(
            f"Restore only goes into an empty installation, and {reason}. "
            "Point LOTUS at a new database and document folder, then run restore again."
        )
    database_file = source / manifest["database"]["file"]
    if vendor == "sqlite":
        _restore_sqlite(database_file)
    else:
        _restore_postgresql(database_file)
    _restore_documents(source / DOCUMENTS)
    after = describe_current_database()
    if after["row_counts"] != manifest["row_counts"]:
        differing = sorted(
            table
            for table in set(after["row_counts"]) | set(manifest["row_counts"])
            if after["row_counts"].get(table) != manifest["row_counts"].get(table)
        )
        raise BackupError(f"After the restore the row counts differ from the manifest in: {', '.join(differing)}")
    return RestoreReport(
        tables=len(after["row_counts"]),
        rows=sum(after["row_counts"].values()),
        documents=len(after["documents"]),
        audit_sequence=after["audit_head"]["sequence"],
        audit_hash=after["audit_head"]["hash"],
    )


def _restore_sqlite(database_file: Path) -> None:
    connection.ensure_connection()
    destination = connection.connection
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    try:
        # Replaces every page of the live database with the backup's, atomically.
        source.backup(destination)
    finally:
        source.close()
    connection.close()


def _restore_postgresql(database_file: Path) -> None:
    args, env = _pg_args_env(connection.settings_dict)
    connection.close()
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", *args, str(database_file)],
        env,
        "pg_restore",
    )


def _restore_documents(source_root: Path) -> None:
    if storage.uses_object_storage():
        if not source_root.is_dir():
            return
        try:
            for path in sorted(source_root.rglob("*")):
                if path.is_file():
                    storage.write_document_key(path.relative_to(source_root).as_posix(), path.read_bytes())
        except storage.StorageUnavailable as error:
            raise BackupError(
                f"The documents could not be written to {storage.describe_store()}: {error}. The database was "
                "restored; empty the bucket and the database, then run restore again."
            ) from error
        return
    destination_root = Path(settings.DOCUMENT_ROOT)
    destination_root.mkdir(parents=True, exist_ok=True)
    if not source_root.is_dir():
        return
    for path in sorted(source_root.rglob("*")):
        if path.is_file():
            relative = path.relative_to(source_root)
            (destination_root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination_root / relative)

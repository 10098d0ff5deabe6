"""Where case documents are kept: a folder on this machine (the embedded default,
LOTUS_DOCUMENT_ROOT) or, with LOTUS_DOCUMENT_STORAGE=s3, a bucket in S3-compatible object
storage shared by every server (ADR 0006, ADR 0022).

Documents are stored under a random name in a two-character folder
(`ab/abcdef...`), the same layout in both places, and are only ever handed out by the
permission-checked, audited download views: the store is never served directly.

Every call here turns the store's own failures (a full disk, a refused connection, a
bucket that answers "access denied") into one of two exceptions, so the pages can say
what happened: `DocumentStoreUnavailable` (try again later; nothing was saved) and
`DocumentMissing` (the record is there but its file is not).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

from lotus.cases.filetypes import UploadRefused

logger = logging.getLogger("lotus.documents")

UNAVAILABLE = (
    "The document could not be saved because document storage is not available just now. "
    "Nothing was saved. Try again in a few minutes"
)


class StorageUnavailable(Exception):
    """The document store cannot be reached or refuses to work; the message is for the log."""


class DocumentStoreUnavailable(UploadRefused):
    """An upload that could not be stored. An UploadRefused, so every form that shows a
    refused upload shows this message on the file field too."""

    def __init__(self, message: str = UNAVAILABLE):
        super().__init__(message)


class DocumentMissing(Exception):
    """The document's record exists but the store has no file for it."""


def uses_object_storage() -> bool:
    return getattr(settings, "LOTUS_DOCUMENT_STORAGE", "local") == "s3"


def document_storage() -> Storage:
    """The document store. The local folder is read from settings on every call, so an
    operator's LOTUS_DOCUMENT_ROOT and a test's override both take effect."""
    if uses_object_storage():
        return storages["documents"]
    return FileSystemStorage(location=Path(settings.DOCUMENT_ROOT))


def document_key(stored_name: str) -> str:
    return f"{stored_name[:2]}/{stored_name}"


def _store_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (OSError,)
    if uses_object_storage():
        from botocore.exceptions import BotoCoreError, ClientError

        errors += (BotoCoreError, ClientError)
    return errors


def _is_not_found(error: BaseException) -> bool:
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", "")) in ("404", "NoSuchKey", "NotFound")


def store_document_bytes(stored_name: str, data: bytes) -> None:
    """Write one document's content, or raise DocumentStoreUnavailable having written nothing."""
    key = document_key(stored_name)
    storage = document_storage()
    try:
        saved = storage.save(key, ContentFile(data, name=stored_name))
    except _store_errors() as error:
        logger.error("Document storage unavailable while saving %s: %s: %s", key, type(error).__name__, error)
        raise DocumentStoreUnavailable from error
    if saved != key:  # the store chose another name: never expected with random names
        remove_document_bytes(saved)
        logger.error("Document storage saved %s as %s; removed again", key, saved)
        raise DocumentStoreUnavailable


def remove_document_bytes(stored_name_or_key: str) -> bool:
    """Remove a stored file whose record was not saved. True if it is gone; False (and an
    error in the log naming it, for an operator to remove) if the store refused."""
    key = stored_name_or_key if "/" in stored_name_or_key else document_key(stored_name_or_key)
    try:
        document_storage().delete(key)
    except _store_errors() as error:
        logger.error("Could not remove the unrecorded document file %s (%s); remove it by hand", key, error)
        return False
    return True


def open_document(stored_name: str):
    """The document's content as an open binary file, already fetched from the store, so
    a failure shows as an error page and never as a broken download."""
    key = document_key(stored_name)
    storage = document_storage()
    try:
        handle = storage.open(key, "rb")
        return handle.file  # for S3 this downloads the object (a spooled temporary file)
    except _store_errors() as error:
        if _is_not_found(error):
            raise DocumentMissing(key) from error
        logger.error("Document storage unavailable while reading %s: %s: %s", key, type(error).__name__, error)
        raise StorageUnavailable(str(error)) from error


def stored_keys() -> Iterator[str]:
    """Every file in the store, as `ab/abcdef...` keys (for backup and restore)."""
    storage = document_storage()
    try:
        if not uses_object_storage():
            root = Path(settings.DOCUMENT_ROOT)
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        yield path.relative_to(root).as_posix()
            return
        prefix = f"{storage.location}/" if storage.location else ""
        paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"][len(prefix):]
    except _store_errors() as error:
        raise StorageUnavailable(f"the document store could not be listed: {error}") from error


def read_document_key(key: str) -> bytes:
    try:
        with document_storage().open(key, "rb") as handle:
            return handle.read()
    except _store_errors() as error:
        raise StorageUnavailable(f"{key} could not be read: {error}") from error


def write_document_key(key: str, data: bytes) -> None:
    try:
        saved = document_storage().save(key, ContentFile(data, name=key.rsplit("/", 1)[-1]))
    except _store_errors() as error:
        raise StorageUnavailable(f"{key} could not be written: {error}") from error
    if saved != key:
        raise StorageUnavailable(f"{key} was stored as {saved}")


def describe_store() -> str:
    """Where documents go, for messages: never a credential."""
    if uses_object_storage():
        storage = document_storage()
        where = f"s3://{storage.bucket_name}/{storage.location}".rstrip("/")
        return f"the bucket {where}"
    return f"the document folder {settings.DOCUMENT_ROOT}"


def documents_reachable() -> None:
    """Raise StorageUnavailable unless documents can be stored now (used by readiness)."""
    if uses_object_storage():
        storage = document_storage()
        try:
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        except _store_errors() as error:
            raise StorageUnavailable(f"the bucket does not answer: {type(error).__name__}: {error}") from error
        return
    root = Path(settings.DOCUMENT_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageUnavailable(f"the document folder cannot be created ({error.strerror})") from error
    if not os.access(root, os.W_OK | os.X_OK):
        raise StorageUnavailable("the document folder cannot be written to")

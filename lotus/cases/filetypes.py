"""Recognising an uploaded file by its content, not its name. Pure: no Django import.

LOTUS accepts PDF, DOCX, XLSX, ODT, plain text, PNG and JPEG. The type is read from the
bytes; the name's extension must agree with it, so an executable renamed `.pdf` is
refused and so is a PNG called `.docx`.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    media_type: str
    extensions: tuple[str, ...]


KINDS = {
    "pdf": FileKind("pdf", "PDF", "application/pdf", (".pdf",)),
    "docx": FileKind(
        "docx",
        "Word document (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": FileKind(
        "xlsx",
        "Excel spreadsheet (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
    ),
    "odt": FileKind("odt", "OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text", (".odt",)),
    "txt": FileKind("txt", "plain text file", "text/plain", (".txt",)),
    "png": FileKind("png", "PNG image", "image/png", (".png",)),
    "jpeg": FileKind("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg")),
}
ARTICLES = {
    "pdf": "a", "docx": "a", "xlsx": "an", "odt": "an", "txt": "a", "png": "a", "jpeg": "a",
}

ALLOWED_DESCRIPTION = "PDF, DOCX, XLSX, ODT, TXT, PNG or JPEG"
MAX_NAME_LENGTH = 200


class UploadRefused(ValueError):
    """The message is written for the person uploading and says how to put it right."""


def check_file_name(name: str) -> str:
    """Return the name if safe to show and store as a label, or raise UploadRefused."""
    if not name or not name.strip():
        raise UploadRefused("The file has no name. Rename it and upload it again")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise UploadRefused(
            "The file name contains hidden control characters. Rename the file and upload it again"
        )
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name.split("/"):
        raise UploadRefused(
            "The file name must not contain slashes or start with a full stop. "
            "Rename the file and upload it again"
        )
    if ".." in name:
        raise UploadRefused(
            "The file name must not contain two full stops in a row. Rename the file and upload it again"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRefused(f"The file name must be {MAX_NAME_LENGTH} characters or fewer")
    return name


def _zip_kind(head: bytes, data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except Exception:  # noqa: BLE001 - any damaged archive is simply not a file we accept
        return None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if "mimetype" in names:
        try:
            # Read a few bytes only: a hostile archive may inflate to gigabytes.
            with archive.open("mimetype") as member:
                mimetype = member.read(100).strip()
        except Exception:  # noqa: BLE001 - damaged or encrypted member: not acceptable
            return None
        if mimetype == b"application/vnd.oasis.opendocument.text":
            return "odt"
    return None


def _looks_like_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(
        unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text
    )


def sniff(data: bytes) -> FileKind | None:
    """The kind of file these bytes are, or None if it is not one LOTUS accepts."""
    head = data[:8]
    if data.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if head == b"\x89PNG\r\n\x1a\n":
        return KINDS["png"]
    if data.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if data.startswith(b"PK\x03\x04"):
        key = _zip_kind(head, data)
        return KINDS[key] if key else None
    if _looks_like_text(data):
        return KINDS["txt"]
    return None


def classify_upload(name: str, data: bytes, *, max_bytes: int) -> FileKind:
    """Check an upload completely; return its kind or raise UploadRefused."""
    check_file_name(name)
    if len(data) == 0:
        raise UploadRefused("The selected file is empty. Choose a file that has something in it")
    if len(data) > max_bytes:
        raise UploadRefused(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB")
    kind = sniff(data)
    if kind is None:
        raise UploadRefused(f"The selected file must be a {ALLOWED_DESCRIPTION}")
    lowered = name.lower()
    if not lowered.endswith(kind.extensions):
        raise UploadRefused(
            f"The file's content is {ARTICLES[kind.key]} {kind.label}, but its name does not end in "
            f"{' or '.join(kind.extensions)}. Check you chose the right file"
        )
    return kind

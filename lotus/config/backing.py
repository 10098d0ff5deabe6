"""Settings for the services LOTUS uses when it runs on more than one machine: the shared
cache (REDIS_URL) and document storage in an S3-compatible bucket. Each parser checks
its values at start-up and names the variable when one is wrong; none of them puts a
password or key in its message.

With none of these set, LOTUS is the embedded default: Django's local memory cache and
documents on the local disk, and neither redis nor boto3 is even imported.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lotus.config.env import SettingError

REDIS_SCHEMES = ("redis", "rediss", "unix")


def _redacted(url: str) -> str:
    """The URL with any password replaced, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(not a URL)"
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def redis_cache(url: str, *, key_prefix: str = "lotus") -> dict:
    """The CACHES entry for the shared Redis cache at `url` (REDIS_URL)."""
    from redis.backoff import NoBackoff  # imported only when used: the default needs no Redis
    from redis.retry import Retry

    example = "redis://127.0.0.1:6379/0 (or rediss:// for TLS, redis://:PASSWORD@host:6379/0)"
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError as error:
        raise SettingError(f"REDIS_URL is not a valid address ({error}); use {example}") from error
    if parts.scheme not in REDIS_SCHEMES:
        raise SettingError(
            f"REDIS_URL must start with redis://, rediss:// or unix://, not {_redacted(url)!r}; use {example}"
        )
    if parts.scheme != "unix" and not parts.hostname:
        raise SettingError(f"REDIS_URL names no host: {_redacted(url)!r}; use {example}")
    database = parts.path.strip("/")
    if parts.scheme != "unix" and database and not database.isdigit():
        raise SettingError(
            f"REDIS_URL must end with a database number such as /0, not {'/' + database!r}; use {example}"
        )
    del port
    return {
        "BACKEND": "lotus.core.cache.FailSoftRedisCache",
        "LOCATION": url.strip(),
        "KEY_PREFIX": key_prefix,
        "TIMEOUT": 300,
        "OPTIONS": {
            # A cache that does not answer quickly is treated as gone, so a page never
            # waits long for it (lotus.core.cache answers as an empty cache meanwhile).
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            # One immediate retry, so a connection dropped by a Redis restart is simply
            # reopened; no back-off that would hold a request up.
            "retry": Retry(NoBackoff(), 1),
            "health_check_interval": 30,
        },
    }


# -- documents in S3-compatible object storage ------------------------------------------

DOCUMENT_STORAGES = ("local", "s3")
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
_REGION = re.compile(r"[a-z]{2}(-[a-z0-9]+)+-\d+|[a-z0-9\-]{1,40}")


def document_storage_kind(value: str | None) -> str:
    kind = (value or "local").strip().lower()
    if kind not in DOCUMENT_STORAGES:
        raise SettingError(f"LOTUS_DOCUMENT_STORAGE must be local or s3, not {value!r}")
    return kind


def s3_document_storage(
    *,
    bucket: str | None,
    endpoint_url: str | None,
    region: str | None,
    access_key: str | None,
    secret_key: str | None,
    prefix: str | None,
) -> dict:
    """The STORAGES entry for documents in an S3-compatible bucket (django-storages).

    LOTUS_S3_BUCKET is required. LOTUS_S3_ENDPOINT_URL is for a store other than AWS
    (MinIO, Ceph, a cloud's S3 service); LOTUS_S3_REGION defaults to eu-west-2 (London).
    LOTUS_S3_ACCESS_KEY_ID and LOTUS_S3_SECRET_ACCESS_KEY come together or not at all
    (without them boto3 finds credentials itself: an instance role, AWS_* variables).
    """
    from botocore.config import Config  # imported only when used

    bucket = (bucket or "").strip()
    if not bucket:
        raise SettingError("LOTUS_S3_BUCKET must be set when LOTUS_DOCUMENT_STORAGE is s3: the bucket's name")
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise SettingError(
            f"LOTUS_S3_BUCKET must be a bucket name (3 to 63 lower-case letters, digits, dots or hyphens), not {bucket!r}"
        )
    endpoint_url = (endpoint_url or "").strip() or None
    if endpoint_url:
        try:
            parts = urlsplit(endpoint_url)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError as error:
            raise SettingError(f"LOTUS_S3_ENDPOINT_URL is not a valid address ({error})") from error
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingError(
                f"LOTUS_S3_ENDPOINT_URL must be an http:// or https:// address, not {_redacted(endpoint_url)!r}"
            )
    region = (region or "").strip() or "eu-west-2"
    if not _REGION.fullmatch(region):
        raise SettingError(f"LOTUS_S3_REGION must be a region name such as eu-west-2, not {region!r}")
    if bool(access_key) != bool(secret_key):
        raise SettingError(
            "LOTUS_S3_ACCESS_KEY_ID and LOTUS_S3_SECRET_ACCESS_KEY must be set together (or neither, "
            "to let boto3 find credentials itself)"
        )
    prefix = (prefix or "").strip().strip("/")
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "region_name": region,
        "location": prefix,
        # Objects are private and never linked to: downloads go through LOTUS's checked view.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": True,  # names are random (48 hex digits); no existence check first
        "client_config": Config(
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            signature_version="s3v4",
            connect_timeout=3,
            read_timeout=20,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}

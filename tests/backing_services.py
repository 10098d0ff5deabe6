"""The real services that the production-shape tests talk to: Redis on this machine (and
in CI), found at LOTUS_TEST_REDIS_URL (default redis://127.0.0.1:6379/0).

Other checkouts may share that Redis, so every test works under a key prefix of its own
and never flushes the database. Without Redis a test is skipped, except in CI (CI set),
where it fails: the production shape must be proved there.
"""

import os
import socket
import uuid
from contextlib import closing

import pytest
import redis

REDIS_URL = os.environ.get("LOTUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def unavailable(reason: str):
    if in_ci():
        pytest.fail(f"CI is set and {reason}: the production-shape tests cannot be skipped there")
    pytest.skip(reason)


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {REDIS_URL} does not answer ({error})")
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url):
    """A key prefix for this test alone; its keys are removed afterwards."""
    prefix = f"lotus-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def dead_redis_url() -> str:
    """A Redis address where nothing listens."""
    return f"redis://127.0.0.1:{free_port()}/0"


# -- an S3-compatible server: moto's standalone server, started here --------------------

S3_ACCESS_KEY = "lotus-test-access-key"
S3_SECRET_KEY = "lotus-test-secret-key"  # moto accepts any pair
S3_REGION = "eu-west-2"


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto_server on a free loopback port for the whole run, stopped afterwards."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    executable = Path(sys.executable).with_name("moto_server")
    command = str(executable) if executable.exists() else shutil.which("moto_server")
    if not command:
        unavailable("moto_server is not installed (uv sync installs it with the dev dependencies)")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - moto's own server, on loopback
        [command, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):  # noqa: S310 - loopback
                break
        except urllib.error.HTTPError:
            break  # it answers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                unavailable(f"moto_server did not start: {server.stderr.read()[-500:] if server.stderr else ''}")
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=S3_REGION,
                        aws_access_key_id=S3_ACCESS_KEY, aws_secret_access_key=S3_SECRET_KEY)


def s3_settings(endpoint: str, bucket: str) -> dict:
    from lotus.config.backing import s3_document_storage

    return s3_document_storage(bucket=bucket, endpoint_url=endpoint, region=S3_REGION,
                               access_key=S3_ACCESS_KEY, secret_key=S3_SECRET_KEY, prefix="")


@pytest.fixture
def s3_bucket(s3_endpoint):
    """A new, empty bucket for this test; returns (client, name)."""
    client = s3_client(s3_endpoint)
    name = f"lotus-test-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    return client, name


@pytest.fixture
def s3_documents(settings, s3_endpoint, s3_bucket):
    """Documents in the test's bucket, as LOTUS_DOCUMENT_STORAGE=s3 would put them."""
    settings.LOTUS_DOCUMENT_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "documents": s3_settings(s3_endpoint, s3_bucket[1])}
    return s3_bucket


def bucket_keys(client, bucket: str) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", []))

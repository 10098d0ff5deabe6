"""Several LOTUS processes at once, as a region runs it (issue 17, ADR 0028): two
`lotus serve` and two `lotus worker` processes against one PostgreSQL database, one
Redis and one S3-compatible store (moto's server), and bounded traffic through both
servers:

- a session begun on one server carries on on the other (password on A, code on B);
- a document uploaded through one server downloads through the other;
- the API's rate limit and the sign-in lockout are counted once for both servers;
- tasks enqueued by two other processes each run exactly once;
- 1,000 concurrent audited API requests, with the tasks' audit events among them, leave
  one linear audit chain that `lotus audit verify` passes.

PostgreSQL only (skipped on SQLite, which runs one worker; CI runs this file on
PostgreSQL, where Redis or moto missing is a failure, not a skip). About a minute.
"""

import concurrent.futures
import re
import subprocess
import sys
import time
import uuid

import pytest
import requests

from lotus.accounts.roles import Role
from lotus.api.services import api_token_create
from lotus.audit.chain import GENESIS_HASH
from lotus.audit.models import AuditChainHead, AuditEvent
from lotus.cases.models import Document
from lotus.ops.models import QueuedTask
from tests.backing_services import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, bucket_keys
from tests.factories import (
    PASSWORD,
    CaseFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
    totp_code,
)
from tests.ops.example_tasks import audited
from tests.ops.processes import ROOT, base_env, wait_until_serving

pytestmark = pytest.mark.multiprocess

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
AUDITED_REQUESTS = 1000
CLIENT_THREADS = 16
TASKS_PER_ENQUEUER = 40
ANON_RATE = 5
FAILURE_LIMIT = 3

ENQUEUER = """
import sys
import django
django.setup()
from tests.ops.example_tasks import audited
for n in range(int(sys.argv[2])):
    audited.enqueue(f"{sys.argv[1]}-{n}")
print("enqueued", flush=True)
"""


@pytest.fixture
def cluster(processes, tmp_path, redis_url, redis_prefix, s3_endpoint, s3_bucket):
    """Two servers and two workers (and one process enqueuing tasks) sharing everything."""
    client, bucket = s3_bucket
    env = base_env(
        tmp_path,
        REDIS_URL=redis_url, LOTUS_CACHE_PREFIX=redis_prefix,
        LOTUS_DOCUMENT_STORAGE="s3", LOTUS_S3_BUCKET=bucket, LOTUS_S3_ENDPOINT_URL=s3_endpoint,
        LOTUS_S3_REGION=S3_REGION, LOTUS_S3_ACCESS_KEY_ID=S3_ACCESS_KEY, LOTUS_S3_SECRET_ACCESS_KEY=S3_SECRET_KEY,
        LOTUS_WORKERS="1", LOTUS_THREADS="8", LOG_LEVEL="WARNING",
        LOTUS_API_RATE_USER="100000/minute", LOTUS_API_RATE_ANON=f"{ANON_RATE}/minute",
        LOTUS_SIGN_IN_FAILURE_LIMIT=str(FAILURE_LIMIT), LOTUS_TASK_LEASE_SECONDS="10",
    )
    servers = [processes.server(name, env) for name in ("server-a", "server-b")]
    workers = [processes.worker(name, env) for name in ("worker-1", "worker-2")]
    enqueuer = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", ENQUEUER, "other-process", str(TASKS_PER_ENQUEUER)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    for process, base in servers:
        wait_until_serving(process, base)
    for worker in workers:
        worker.wait_for("started;")
    output, _ = enqueuer.communicate(timeout=180)
    assert enqueuer.returncode == 0, output
    return [base for _, base in servers], workers, (client, bucket), env


def people(settings):
    # The servers check passwords with the production hashers (the suite's is MD5).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    organisation = OrganisationFactory(name="Cluster Region (fictional)")
    manager = UserFactory(email="manager@cluster.lotus.test", organisation=organisation, roles=(Role.CASE_MANAGER,))
    device = TOTPDeviceFactory(user=manager)
    case = CaseFactory(organisation=organisation, owner=manager, team=[manager])
    other = UserFactory(email="locked@cluster.lotus.test", organisation=organisation, roles=(Role.CASE_MANAGER,))
    TOTPDeviceFactory(user=other)
    token = api_token_create(actor=None, user=manager, name="cluster test", expires_days=1).raw
    return manager, device, case, other, token


def form_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=60)
    assert page.status_code == 200, (url, page.status_code)
    return CSRF.search(page.text).group(1)


def sign_in(session, base, email, password):
    token = form_token(session, f"{base}/account/sign-in/")
    return session.post(f"{base}/account/sign-in/", data={"email": email, "password": password,
                                                          "csrfmiddlewaretoken": token}, timeout=60)


def assert_one_linear_chain() -> int:
    events = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "previous_hash", "hash"))
    assert [sequence for sequence, _, _ in events] == list(range(1, len(events) + 1)), "a gap or a repeat"
    previous = GENESIS_HASH
    for sequence, previous_hash, digest in events:
        assert previous_hash == previous, f"the chain forks at event {sequence}"
        previous = digest
    head = AuditChainHead.objects.get(pk=1)
    assert (head.sequence, head.hash) == (len(events), previous)
    return len(events)


def test_two_servers_and_two_workers_share_sessions_documents_limits_tasks_and_the_audit_chain(cluster, settings):
    (a, b), workers, (s3, bucket), env = cluster
    manager, device, case, other, api_token = people(settings)

    # -- a session begun on A goes on on B ----------------------------------------------
    browser = requests.Session()  # cookies for 127.0.0.1 go to both ports
    answer = sign_in(browser, a, manager.email, PASSWORD)
    assert answer.status_code == 200 and "/account/sign-in/security-code/" in answer.url, answer.url
    code_page = f"{b}/account/sign-in/security-code/"
    answer = browser.post(code_page, data={"code": totp_code(device),
                                           "csrfmiddlewaretoken": form_token(browser, code_page)}, timeout=60)
    assert answer.status_code == 200 and "security-code" not in answer.url, answer.url
    for base in (a, b):
        listing = browser.get(f"{base}/cases/", timeout=60)
        assert listing.status_code == 200 and case.reference in listing.text

    # -- a document uploaded through A downloads through B (from the bucket) --------------
    content = f"Meeting notes (fictional) {uuid.uuid4()}\n".encode()
    upload = f"{a}/cases/{case.pk}/documents/upload/"
    answer = browser.post(upload, data={"title": "Notes", "csrfmiddlewaretoken": form_token(browser, upload)},
                          files={"file": ("notes.txt", content, "text/plain")}, timeout=60)
    assert answer.status_code == 200 and answer.url.endswith(f"/cases/{case.pk}/"), (answer.status_code, answer.url)
    document = Document.objects.get(case=case)
    assert len(bucket_keys(s3, bucket)) == 1
    download = browser.get(f"{b}/cases/{case.pk}/documents/{document.pk}/download/", timeout=60)
    assert download.status_code == 200
    assert download.content == content

    # -- the API's limit for requests without a valid token counts both servers ----------
    statuses = [requests.get(f"{(a, b)[n % 2]}/api/v1/cases/", headers={"Authorization": "Bearer wrong"},
                             timeout=60).status_code for n in range(ANON_RATE + 3)]
    assert statuses == [401] * ANON_RATE + [429] * 3

    # -- the sign-in lockout counts both servers ------------------------------------------
    # Wrong passwords on A, B, A: the last one reaches the limit and locks the account.
    answers = [sign_in(requests.Session(), (a, b)[n % 2], other.email, "not the password")
               for n in range(FAILURE_LIMIT)]
    assert [answer.status_code for answer in answers] == [200] * (FAILURE_LIMIT - 1) + [429]
    assert all("/account/sign-in/" in answer.url for answer in answers[:-1])
    # The right password, on the other server, now finds the account locked too.
    locked = sign_in(requests.Session(), (a, b)[FAILURE_LIMIT % 2], other.email, PASSWORD)
    assert locked.status_code == 429 and "Signing in is paused" in locked.text

    # -- 1,000 audited requests through both servers while the workers run tasks ---------
    for n in range(TASKS_PER_ENQUEUER):
        audited.enqueue(f"test-process-{n}")
    events_before = AuditEvent.objects.count()

    def api_call(n: int) -> int:
        response = requests.get(f"{(a, b)[n % 2]}/api/v1/organisations/",
                                headers={"Authorization": f"Bearer {api_token}"}, timeout=120)
        return response.status_code

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(CLIENT_THREADS) as pool:
        results = list(pool.map(api_call, range(AUDITED_REQUESTS)))
    took = time.monotonic() - started
    assert results == [200] * AUDITED_REQUESTS

    tasks = QueuedTask.objects.filter(task_path="tests.ops.example_tasks.audited")
    deadline = time.monotonic() + 60
    while tasks.exclude(status=QueuedTask.Status.SUCCESSFUL).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert tasks.count() == 2 * TASKS_PER_ENQUEUER
    assert set(tasks.values_list("status", flat=True)) == {QueuedTask.Status.SUCCESSFUL}
    assert all(len(ids) == 1 for ids in tasks.values_list("worker_ids", flat=True))  # each claimed once
    assert set(tasks.values_list("attempts", flat=True)) == {1}
    notes = list(AuditEvent.objects.filter(object_type="example").values_list("object_id", flat=True))
    assert len(notes) == len(set(notes)) == 2 * TASKS_PER_ENQUEUER  # each ran exactly once

    total = assert_one_linear_chain()
    api_events = AuditEvent.objects.filter(action="api request").count()
    assert api_events >= AUDITED_REQUESTS
    assert total >= events_before + AUDITED_REQUESTS
    verify = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "lotus.cli", "audit", "verify"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert verify.returncode == 0, verify.stderr
    assert f"{total} events" in verify.stdout
    ran_by = {ids[0] for ids in tasks.values_list("worker_ids", flat=True)}
    print(f"\n{AUDITED_REQUESTS} audited API requests through two servers in {took:.1f} s "
          f"({AUDITED_REQUESTS / took:.0f}/s); {tasks.count()} tasks run by {len(ran_by)} workers; "
          f"chain of {total} events verified", file=sys.stderr)
    for worker in workers:
        assert worker.popen.poll() is None, worker.output()[-2000:]

"""Concurrent appends cannot fork the chain.

Several threads, each with its own database connection, append at once. On PostgreSQL
the chain head row is locked (SELECT ... FOR UPDATE); on SQLite every write transaction
is BEGIN IMMEDIATE (settings: OPTIONS["transaction_mode"]), so writers queue. Either way
the result must be one linear chain: sequences 1..N with no gap or repeat, each event
pointing at the one before, and the verifier passing.

On SQLite the suite's test database is in memory with a shared cache, where a second
writer gets "database table is locked" at once (SQLITE_LOCKED ignores busy_timeout);
that is not how LOTUS runs. So on SQLite the same race runs in separate processes
against a real database file with the production settings (WAL, IMMEDIATE, busy
timeout), through `manage.py migrate` and `manage.py audit verify`.
"""

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, connections, transaction

from lotus.audit.chain import GENESIS_HASH
from lotus.audit.models import AuditChainHead, AuditEvent
from lotus.audit.services import audit_append, audit_verify

THREADS = 6
APPENDS_PER_THREAD = 15


def run_in_threads(work, threads: int = THREADS) -> list[BaseException]:
    """Start `threads` threads together on `work(index)`; return any errors they raised."""
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=target, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "an appending thread hung"
    return errors


def assert_linear_chain(expected: int) -> None:
    events = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "previous_hash", "hash"))
    assert [sequence for sequence, _, _ in events] == list(range(1, expected + 1))
    previous = GENESIS_HASH
    for sequence, previous_hash, digest in events:
        assert previous_hash == previous, f"event {sequence} does not follow event {sequence - 1}"
        previous = digest
    head = AuditChainHead.objects.get(pk=1)
    assert (head.sequence, head.hash) == (expected, previous)
    result = audit_verify()
    assert result.ok, result
    assert result.verified == expected


@pytest.fixture
def threads_share_the_database():
    if connection.vendor == "sqlite":
        pytest.skip("in-memory shared-cache SQLite test database; see the file-database tests below")


def _append_many(index: int) -> None:
    for n in range(APPENDS_PER_THREAD):
        audit_append(action="view", actor_label=f"thread{index}", object_type="case", object_id=n,
                     details={"thread": index, "n": n})
        close_old_connections()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_linear_chain(threads_share_the_database, capsys):
    errors = run_in_threads(_append_many)
    assert errors == []
    total = THREADS * APPENDS_PER_THREAD
    assert_linear_chain(total)
    call_command("audit", "verify")
    assert f"{total} events" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_from_an_empty_table_agree_on_the_chain_head(threads_share_the_database):
    """No head row yet (a fresh database after a flush): the first appenders race to create it."""
    AuditChainHead.objects.all().delete()
    errors = run_in_threads(lambda index: audit_append(action="sign in", actor_label=f"t{index}"))
    assert errors == []
    assert_linear_chain(THREADS)


def _append_inside_longer_transaction(index: int) -> None:
    """An append inside a service's own transaction, with other writes around it."""
    for n in range(5):
        with transaction.atomic():
            audit_append(action="change", actor_label=f"thread{index}", details={"n": n})
            audit_append(action="view", actor_label=f"thread{index}", details={"n": n})


@pytest.mark.django_db(transaction=True)
def test_appends_inside_caller_transactions_stay_linear(threads_share_the_database):
    errors = run_in_threads(_append_inside_longer_transaction, threads=4)
    assert errors == []
    assert_linear_chain(4 * 5 * 2)


@pytest.mark.django_db(transaction=True)
def test_the_database_settings_serialise_writers():
    """The guarantee the service relies on, stated so a settings change is noticed."""
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"
    else:
        assert connection.vendor == "postgresql"
        assert connection.features.has_select_for_update


# ---------------------------------------------------------------------------
# SQLite as LOTUS runs it: a database file, several processes, several threads each
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import sys, threading
import django
django.setup()
from django.db import connections
from lotus.audit.services import audit_append

label, threads, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
barrier = threading.Barrier(threads)
errors = []

def work(index):
    try:
        barrier.wait(timeout=60)
        for n in range(per):
            audit_append(action="view", actor_label=f"{label}-{index}", details={"n": n})
    except BaseException as error:
        errors.append(repr(error))
    finally:
        connections.close_all()

workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
if errors:
    print(errors)
    sys.exit(1)
"""

PROCESSES = 3
THREADS_PER_PROCESS = 4
APPENDS_PER_WORKER = 10


@pytest.fixture
def sqlite_file_environment(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file database is exercised in the SQLite run")
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DATABASE_URL_FILE")}
    env.update(DJANGO_SETTINGS_MODULE="lotus.config.settings.base", LOTUS_VAR_DIR=str(tmp_path),
               PYTHONPATH=str(ROOT))
    migrate = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    return env, tmp_path / "lotus.sqlite3"


def test_sqlite_file_database_processes_and_threads_make_one_linear_chain(sqlite_file_environment):
    env, database = sqlite_file_environment
    workers = [
        subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "-c", WORKER, f"p{n}", str(THREADS_PER_PROCESS), str(APPENDS_PER_WORKER)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(PROCESSES)
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, out + err

    total = PROCESSES * THREADS_PER_PROCESS * APPENDS_PER_WORKER
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT sequence, previous_hash, hash FROM audit_auditevent ORDER BY sequence").fetchall()
        head = db.execute("SELECT sequence, hash FROM audit_auditchainhead WHERE id = 1").fetchone()
    assert [row[0] for row in rows] == list(range(1, total + 1))
    previous = GENESIS_HASH
    for sequence, previous_hash, digest in rows:
        assert previous_hash == previous, f"event {sequence} does not follow event {sequence - 1}"
        previous = digest
    assert head == (total, previous)

    verify = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "audit", "verify"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert verify.returncode == 0, verify.stderr
    assert f"{total} events" in verify.stdout

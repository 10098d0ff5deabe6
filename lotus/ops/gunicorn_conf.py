"""Gunicorn hooks for `lotus serve` (passed as --config python:lotus.ops.gunicorn_conf).

Each worker process keeps its Prometheus numbers in files under PROMETHEUS_MULTIPROC_DIR
(set by `lotus serve`), so a scrape answered by any worker reports the whole server; a
worker that exits is marked dead so its live gauges stop counting.
"""


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)

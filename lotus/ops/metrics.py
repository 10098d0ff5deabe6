"""GET /metrics: Prometheus metrics for the monitoring system (ADR 0022).

- `lotus_http_requests_total{method,view,status}` and
  `lotus_http_request_duration_seconds{method,view}` (lotus.core.metrics);
- `lotus_tasks{status}`: rows in the task queue by status, and
  `lotus_tasks_failed_total`: tasks that failed (rows are never removed, so it only grows);
- `lotus_task_queue_oldest_ready_seconds`: how long the longest-waiting due task has waited;
- `lotus_cache_failures_total`: calls to the shared cache that failed.

Only counts and times, never data about people or cases. The endpoint answers only a
scraper that sends `Authorization: Bearer <LOTUS_METRICS_TOKEN>`; without the setting, or
with a wrong token, it is 404, as if it did not exist.
"""

from __future__ import annotations

import hmac
import logging
import os

from django.conf import settings
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger("lotus.metrics")


class TaskQueueCollector:
    """Read from the database at each scrape, so every server reports the same queue."""

    def collect(self):
        from lotus.ops.selectors import task_queue_state

        state = task_queue_state()
        tasks = GaugeMetricFamily("lotus_tasks", "Tasks in the queue by status", labels=["status"])
        for status, count in sorted(state.by_status.items()):
            tasks.add_metric([status.lower()], count)
        yield tasks
        yield CounterMetricFamily("lotus_tasks_failed", "Tasks that failed", value=state.by_status.get("FAILED", 0))
        yield GaugeMetricFamily(
            "lotus_task_queue_oldest_ready_seconds", "How long the longest-waiting due task has waited",
            value=state.oldest_ready_seconds,
        )


def scrape_registry() -> CollectorRegistry:
    """This process's metrics, or (under `lotus serve`) every worker's, plus the queue's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in list(REGISTRY._collector_to_names):  # this process's own metrics
            registry.register(collector)
    registry.register(TaskQueueCollector())
    return registry


def scraper_allowed(request) -> bool:
    expected = settings.LOTUS_METRICS_TOKEN
    if not expected:
        return False
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    allowed = scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected.encode())
    if not allowed:
        logger.warning("Metrics refused: %s", "wrong token" if header else "no token")
    return allowed


def render() -> tuple[bytes, str]:
    return generate_latest(scrape_registry()), CONTENT_TYPE_LATEST

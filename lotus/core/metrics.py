"""Request metrics for Prometheus (served by lotus.ops.metrics at /metrics, ADR 0022).

Requests are labelled by the URL pattern's name (for example `cases:show_case`), never
by the path, so no record number or other data becomes a label and the number of series
stays bounded. Under `lotus serve` every gunicorn worker writes its numbers to a shared
folder (PROMETHEUS_MULTIPROC_DIR), so a scrape sees the whole server.
"""

from __future__ import annotations

import time

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "lotus_http_requests", "HTTP requests answered", ["method", "view", "status"]
)
LATENCY = Histogram(
    "lotus_http_request_duration_seconds", "Time to answer an HTTP request", ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
CACHE_FAILURES = Counter("lotus_cache_failures", "Calls to the shared cache that failed")

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        view = view_label(request)
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        return response

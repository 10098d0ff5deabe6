"""Endpoints for machines, not people: liveness and readiness probes (and, in
lotus.ops.metrics, the Prometheus metrics). None needs signing in; none shows data."""

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lotus.core.access import public
from lotus.ops import health, metrics


@public
@never_cache
@require_safe
def liveness(request):
    """The process answers. Touches nothing else, so a database outage never makes an
    orchestrator restart healthy app servers."""
    return JsonResponse({"status": health.OK})


@public
@never_cache
@require_safe
def readiness(request):
    status, body = health.readiness()
    return JsonResponse(body, status=status)


@public
@never_cache
@require_safe
def show_metrics(request):
    """Prometheus metrics, for a scraper with the token only (lotus.ops.metrics)."""
    if not metrics.scraper_allowed(request):
        raise Http404("Page not found")
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)

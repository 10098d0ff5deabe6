"""The schema and a readable list of the endpoints.

Swagger UI and Redoc are not shipped by any package installed here (only from a CDN,
which our Content Security Policy and NHS networks rule out), so the browsable docs are
a plain NHS.UK page generated from the same OpenAPI document.
"""

from functools import cache

from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

from lotus.core.middleware import public

METHODS = ("get", "post", "put", "patch", "delete")


@cache
def _operations() -> tuple[list[dict], dict]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "tag": (operation.get("tags") or ["other"])[0],
                        "statuses": sorted(operation.get("responses", {})),
                    }
                )
    return operations, schema.get("info", {})


@public
@require_GET
def api_docs(request):
    operations, info = _operations()
    return render(
        request,
        "api/docs.jinja",
        {"page_title": "API reference", "operations": operations, "info": info, "column_width": "full"},
    )

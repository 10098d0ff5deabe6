"""Pages of results with the same shape everywhere: count, next, previous, results."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


def paginate(items, number) -> Page:
    return Paginator(items, settings.LOTUS_API_PAGE_SIZE).get_page(number)


def page_response(request, page: Page, serializer_class, context: dict | None = None) -> Response:
    url = request.build_absolute_uri()
    next_url = replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None
    previous_url = None
    if page.has_previous():
        number = page.previous_page_number()
        previous_url = remove_query_param(url, "page") if number == 1 else replace_query_param(url, "page", number)
    results = serializer_class(page.object_list, many=True, context=context or {"request": request}).data
    return Response(
        {"count": page.paginator.count, "next": next_url, "previous": previous_url, "results": results}
    )

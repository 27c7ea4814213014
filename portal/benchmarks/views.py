"""The floor ``bench_pages`` compares every page with, and its query counter."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse

from portal.organisation.models import Municipality


@login_required
def floor(request):
    """A minimal logged-in page: one indexed query, no template."""
    name = Municipality.objects.filter(pk=1).values_list("name", flat=True).first()
    return HttpResponse(name or "-", content_type="text/plain; charset=utf-8")


def count_queries(get_response):
    """Middleware: the request's number of SQL queries in the ``X-Queries`` header."""

    def middleware(request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Queries"] = str(count[0])
        return response

    return middleware

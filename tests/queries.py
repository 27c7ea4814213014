"""Query budgets: a page costs the same number of queries with few rows as with many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

SESSION_READ = 'SELECT "django_session".'


def _page_queries(captured) -> list[str]:
    """The page's own queries. A warm request reads the session from the cache; now and then, in the full
    suite on a loaded machine, the cached session is not there and the session store (``cached_db``)
    reads it from the database instead. That read is the session store's fallback, not the page's cost,
    so it is not counted."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(SESSION_READ)]


def warm_queries(client, url):
    """The queries of one warm request (the session is loaded once before)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    queries = _page_queries(captured)
    return len(queries), "\n".join(queries)


def assert_constant_queries(client, url, budget, grow):
    """The page's query count is the same before and after ``grow()`` adds rows, and within budget."""
    few, _sql = warm_queries(client, url)
    grow()
    many, sql = warm_queries(client, url)
    assert few == many, f"queries grew from {few} to {many}:\n{sql}"
    assert many <= budget, f"{many} queries over the budget of {budget}:\n{sql}"


def _items_and_queries(client, url, shown):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    queries = _page_queries(captured)
    return (shown(response), len(queries)), "\n".join(queries)


def assert_exact_queries(client, url, expected, grow, shown):
    """The page costs exactly ``expected`` queries when it shows 1 item and when it shows 25: ``shown``
    counts the items in a response, ``grow()`` adds the other 24."""
    one, sql = _items_and_queries(client, url, shown)
    assert one == (1, expected), f"(items, queries) = {one}, not (1, {expected}):\n{sql}"
    grow()
    many, sql = _items_and_queries(client, url, shown)
    assert many == (25, expected), f"(items, queries) = {many}, not (25, {expected}):\n{sql}"

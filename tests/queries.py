"""Query budgets: a page costs the same number of queries with few rows as with many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def warm_queries(client, url):
    """The queries of one warm request (the session is loaded once before)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


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
    return (shown(response), len(captured)), "\n".join(q["sql"] for q in captured.captured_queries)


def assert_exact_queries(client, url, expected, grow, shown):
    """The page costs exactly ``expected`` queries when it shows 1 item and when it shows 25: ``shown``
    counts the items in a response, ``grow()`` adds the other 24."""
    one, sql = _items_and_queries(client, url, shown)
    assert one == (1, expected), f"(items, queries) = {one}, not (1, {expected}):\n{sql}"
    grow()
    many, sql = _items_and_queries(client, url, shown)
    assert many == (25, expected), f"(items, queries) = {many}, not (25, {expected}):\n{sql}"

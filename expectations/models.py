"""Shared responsibility: charter, expectation agreements and policy reviews (see the issue tracker)."""

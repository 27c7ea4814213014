from rest_framework.pagination import LimitOffsetPagination


class ApiPagination(LimitOffsetPagination):
    """``?limit=`` (at most 200, 50 unless asked) and ``?offset=``; the answer carries the total count
    and the next and previous pages' addresses."""

    default_limit = 50
    max_limit = 200
    # An offset far past any municipality's data answers an empty page, not a database error.
    max_offset = 10_000_000

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)

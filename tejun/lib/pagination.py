"""Paging long lists by their ids first (issue 8: 100,000 assets, 1,000,000 audit events).

Django's Paginator slices the list's query: the database joins every row it skips (an asset's three levels and
its post) and, for a sort on a column without an index, joins all rows before sorting. IdPaginator asks for the
page's ids alone (no joins for the rows skipped), then reads those rows with everything the list selects: one
query more per page, and the last page or a sorted page in a fraction of the time. Past the middle of a list
ordered down to its id, the page's ids are counted from the end (the order reversed): the last page of 100,000
assets skips nothing instead of 99,950 rows. The rows, their order and the count are the same as Paginator's.
"""

import copy

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class IdPaginator(Paginator):
    def get_page(self, number):
        """?page=last is the last page (Django's get_page gives the first for anything not a number)."""
        return super().get_page(self.num_pages if number == "last" else number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = _page_ids(self.object_list, bottom, top, self.count)
        position = {pk: i for i, pk in enumerate(ids)}
        rows = sorted(_rows(self.object_list, ids), key=lambda obj: position[obj.pk]) if ids else []
        return self._get_page(rows, number, self)


def _page_ids(qs, bottom: int, top: int, count: int) -> list:
    if bottom > count // 2 and _ends_with_pk(qs):
        from_end = list(qs.reverse().values_list("pk", flat=True)[count - top:count - bottom])
        return from_end[::-1]
    return list(qs.values_list("pk", flat=True)[bottom:top])


def _ends_with_pk(qs) -> bool:
    """Only an order that ends with the id is total: reversed, it gives exactly the same rows backwards."""
    if not qs.ordered or qs.query.combinator or qs.query.distinct:
        return False
    ordering = qs.query.order_by or (qs.model._meta.ordering if qs.query.default_ordering else ())
    if not ordering or not isinstance(ordering[-1], str):
        return False
    last = ordering[-1].lstrip("-")
    return last == "pk" or last == qs.model._meta.pk.attname or last == qs.model._meta.pk.name


def _rows(qs, ids) -> list:
    """The rows of `ids` with what `qs` selects, looked up by id alone: with the list's filters and order
    still on, SQLite walks the filter's or the sort's index through every row of the body instead."""
    query = qs.query
    if query.annotations or query.extra or query.distinct or query.combinator:
        return list(qs.order_by().filter(pk__in=ids))  # not a plain list: keep its query
    fresh = qs.model._default_manager.filter(pk__in=ids)
    fresh.query.select_related = copy.deepcopy(query.select_related)
    fresh.query.deferred_loading = copy.deepcopy(query.deferred_loading)
    fresh._prefetch_related_lookups = qs._prefetch_related_lookups
    return list(fresh)


class IdPageNumberPagination(PageNumberPagination):
    """The API's usual page-number pagination (settings.REST_FRAMEWORK), paging by ids."""

    django_paginator_class = IdPaginator

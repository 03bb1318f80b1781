"""IdPaginator (tejun/lib/pagination.py) gives the same pages as Django's Paginator: rows, order and count."""

import pytest
from django.core.paginator import Paginator

from tejun.lib.pagination import IdPaginator
from tejun.orgs.models import User

from ..factories import UserFactory


@pytest.mark.parametrize("orphans", [0, 2])
def test_the_same_pages_as_paginator(body, orphans):
    for i in range(23):
        # Ties in the sort (three names) so the order depends on the second key too.
        UserFactory(body=body, login_id=f"p{i:02}", full_name=("あ", "い", "う")[i % 3], furigana=("あ", "い", "う")[i % 3])
    qs = User.objects.filter(body=body).select_related("post").order_by("-furigana", "login_id")
    plain, by_id = Paginator(qs, 5, orphans=orphans), IdPaginator(qs, 5, orphans=orphans)
    assert by_id.count == plain.count == 23 and by_id.num_pages == plain.num_pages
    for number in plain.page_range:
        assert [u.pk for u in by_id.page(number)] == [u.pk for u in plain.page(number)]
    assert list(by_id.get_page("last")) == list(plain.get_page("last"))
    assert all("post" in u._state.fields_cache for u in by_id.page(1))  # the list's select_related is kept
    assert list(IdPaginator(qs.none(), 5).get_page(1)) == []

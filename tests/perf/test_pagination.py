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
    assert list(by_id.get_page("last")) == list(plain.page(plain.num_pages))  # Django: "last" is page 1
    assert all("post" in u._state.fields_cache for u in by_id.page(1))  # the list's select_related is kept
    assert list(IdPaginator(qs.none(), 5).get_page(1)) == []


@pytest.mark.parametrize("orphans", [0, 2])
@pytest.mark.parametrize("ordering", [("-furigana", "id"), ("post", "-pk"), ("email",)])
def test_pages_past_the_middle_counted_from_the_end_are_the_same(body, orphans, ordering, django_assert_num_queries):
    """A list ordered down to its id is read backwards past its middle; the rows must not change, ties and
    empty values (NULL posts sort first on SQLite, last on PostgreSQL) included. ("email",) is not total and is
    read forwards."""
    from ..factories import PostFactory

    posts = [PostFactory(body=body) for _ in range(2)]
    for i in range(23):
        UserFactory(body=body, login_id=f"q{i:02}", furigana=("あ", "い", "う")[i % 3],
                    post=posts[i % 2] if i % 4 else None)
    qs = User.objects.filter(body=body).select_related("post").order_by(*ordering)
    plain, by_id = Paginator(qs, 5, orphans=orphans), IdPaginator(qs, 5, orphans=orphans)
    for number in plain.page_range:
        assert [u.pk for u in by_id.page(number)] == [u.pk for u in plain.page(number)], number


def test_the_last_page_is_read_from_the_end(body):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(12):
        UserFactory(body=body, login_id=f"r{i:02}")
    qs = User.objects.filter(body=body).order_by("login_id", "id")
    paginator = IdPaginator(qs, 5)
    paginator.count  # noqa: B018  (counted before the page is read)
    with CaptureQueriesContext(connection) as captured:
        last = paginator.page(paginator.num_pages)
    ids_query = captured.captured_queries[0]["sql"]
    assert "DESC" in ids_query and "OFFSET" not in ids_query.upper()  # nothing skipped
    assert [u.login_id for u in last] == sorted(u.login_id for u in qs)[10:]


def test_page_last_is_the_last_page(body):
    for i in range(12):
        UserFactory(body=body, login_id=f"s{i:02}")
    paginator = IdPaginator(User.objects.filter(body=body).order_by("login_id", "id"), 5)
    assert paginator.get_page("last").number == paginator.num_pages == 3
    assert paginator.get_page("nonsense").number == 1 and paginator.get_page(99).number == 3

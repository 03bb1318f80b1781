"""Fixtures of the register tests: posts, a helper that makes a valid asset, plain-HTTP pages."""

import pytest

from tejun.orgs.models import Post

from .helpers import asset_fields, new_asset  # noqa: F401  (re-exported for the tests)


@pytest.fixture(autouse=True)
def _web_test_settings(settings):
    """Pages as in development: plain HTTP (production redirects to HTTPS), static files without a manifest."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def post(body):
    return Post.objects.create(body=body, name="議事係長", order=50)


@pytest.fixture
def other_post(other_body):
    return Post.objects.create(body=other_body, name="よその係長", order=50)

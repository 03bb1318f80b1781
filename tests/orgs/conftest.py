import pytest


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client speaks plain HTTP, and no collectstatic manifest exists under test."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

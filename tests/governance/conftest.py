import pytest

from .helpers import make_promoter


@pytest.fixture
def promoter(body):
    return make_promoter(body)


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"

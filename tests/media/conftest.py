from tests.media.helpers import _web_test_settings  # noqa: F401

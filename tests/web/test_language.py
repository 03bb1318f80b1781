"""Pages are Japanese by default, English when chosen; the API follows Accept-Language."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_login_page_is_japanese_even_for_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()
    assert response["Content-Language"] == "ja"


@pytest.mark.django_db
def test_the_language_switch_turns_pages_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/login/")
    assert page["Content-Language"] == "en"
    assert 'lang="en"' in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_japanese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/login/")["Content-Language"] == "ja"


@pytest.mark.django_db
def test_the_api_honours_accept_language(client):
    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="ja")["Content-Language"] == "ja"

"""Shared by the API tests: the error envelope, Japanese text, token clients."""

import re

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error shape: {"error": {"code", "message", "fields"}}, with a Japanese message."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code
    assert JAPANESE.search(error["message"]), error["message"]
    return error


def token_client(user) -> APIClient:
    """A client as a script would be: every request authenticated by token, the user read afresh."""
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in results(response)}

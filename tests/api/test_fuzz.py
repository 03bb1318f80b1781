"""API fuzzing (issue 9 part 2): schemathesis generates requests from /api/v1/schema/ for every operation
and sends each as several people (an officer and manager, a member of staff, a contractor's account):
no answer may be a server error, and every documented answer must match the schema.

Bounded: a few examples per operation (TEJUN_FUZZ_EXAMPLES, default 4), in-process through the WSGI
application, inside the test's transaction (nothing written survives the test).
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tejun.orgs.roles import Role

from ..factories import UserFactory, give_role

EXAMPLES = int(os.environ.get("TEJUN_FUZZ_EXAMPLES", "4"))


@pytest.fixture
def api_schema(db, staff):
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=staff)  # the schema is served to logged-in people only
    # As Django's test client does: a request's start and end must not close the test's connection
    # (PostgreSQL would lose the test transaction; SQLite's in-memory database never closes).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(),
                                             headers={"Authorization": f"Token {token.key}"})
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def people(body):
    people = {
        "officer_manager": [Role.OFFICER, Role.MANAGER, Role.STAFF],
        "staff": [Role.STAFF],
        "vendor": [Role.VENDOR],
    }
    result = []
    for name, roles in people.items():
        user = UserFactory(body=body, login_id=f"fuzz_{name}")
        for role in roles:
            give_role(user, role)
        result.append(user)
    return result


def _token(user) -> str:
    """The fuzzer may discard a token (DELETE /auth/token/) or deactivate a person: start each call afresh."""
    type(user).objects.filter(pk=user.pk, is_active=False).update(is_active=True)
    return Token.objects.get_or_create(user=user)[0].key


def _fuzz(operation, people, seen: Counter) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def run(case):
        for person in people:
            response = case.call_and_validate(headers={"Authorization": f"Token {_token(person)}"},
                                              checks=[not_a_server_error, response_schema_conformance,
                                                      content_type_conformance])
            seen[response.status_code // 100 * 100] += 1
            if response.status_code == 401:
                seen["401"] += 1

    run()


def test_no_server_error_and_answers_match_the_schema(api_schema, people):
    """Every operation, each failure named; one test so the people and the schema are made once."""
    failures, operations, seen = [], 0, Counter()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz(operation, people, seen)
        except (Exception, BaseExceptionGroup) as e:  # noqa: BLE001  (collected: every operation is tried)
            failures.append(f"{operation.label}: {str(e).strip()[:600]}")
    assert operations > 50
    # The requests really reached the views as these people: answers of every kind came back, few refusals
    # of the credentials themselves.
    assert seen[200] > operations and seen[400] > operations and seen[500] == 0, seen
    assert seen.get("401", 0) == 0, seen
    assert failures == [], "\n\n".join(failures)

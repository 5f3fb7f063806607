"""What the schemathesis tests of the API share: the checks, the schema as the running site serves it,
the hook that aims half of the generated cases at real rows, the settings and the fixtures.

Each test module keeps what is its own: the operations it covers (a path regex), the kinds of real
rows its path parameters and body fields name, the fixture that creates those rows and whose token
it sends."""

import os
from collections.abc import Callable, Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def examples(default: int) -> int:
    """How many examples per operation: ``ECHOS_SCHEMA_EXAMPLES`` raises it for a longer local run."""
    return int(os.environ.get("ECHOS_SCHEMA_EXAMPLES", str(default)))


def load_schema(*, seed: int, max_examples: int, path_regex: str | None = None):
    """The schema as the running site serves it (building it needs no database), optionally only
    the operations whose path matches ``path_regex``."""
    from echos.wsgi import application

    config = schemathesis.Config.from_dict(
        {
            "seed": seed,
            "phases": {"stateful": {"enabled": False}},
            "generation": {"max-examples": max_examples},
        }
    )
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)
    return loaded.include(path_regex=path_regex) if path_regex else loaded


def aim_at_real_rows(
    schema,
    real: dict[str, list],
    *,
    path_kinds: dict[str, str] | Callable[..., str | None],
    body_kinds: dict[str, str],
) -> None:
    """Register on ``schema`` a hook that sends half of the cases with some path parameters and
    body references set to real rows (``real``, by kind, filled by the module's data fixture), so
    that reads find objects and writes pass validation and reach the services.

    ``path_kinds`` maps a path parameter to its kind, or is a function ``(case, name)`` giving it."""

    def path_kind(case, name: str) -> str | None:
        if callable(path_kinds):
            return path_kinds(case, name)
        return path_kinds.get(name)

    @schema.hook
    def flatmap_case(context, case):
        path = {
            name: st.sampled_from(real[kind])
            for name in (case.path_parameters or {})
            if (kind := path_kind(case, name)) and real.get(kind)
        }
        body = {}
        if isinstance(case.body, dict):
            body = {
                name: st.sampled_from(real[kind])
                for name in case.body
                if (kind := body_kinds.get(name)) and real.get(kind)
            }
        if not path and not body:
            return st.just(case)

        def apply(chosen):
            new_path, new_body = chosen
            if new_path:
                case.path_parameters = {**case.path_parameters, **new_path}
            if new_body:
                case.body = {**case.body, **new_body}
            return case

        aimed = st.tuples(st.fixed_dictionaries(path), st.fixed_dictionaries(body)).map(apply)
        return st.one_of(st.just(case), aimed)


def conformance_settings(max_examples: int):
    """The hypothesis settings of a schema test: no deadline, no example database, no health check."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def conformance_test(schema, max_examples: int):
    """Decorate a test ``(case, <data fixture>, bearer)`` to run on every operation of ``schema``
    with the database, one connection across requests and the settings above. The module must
    import the ``one_connection`` fixture."""

    def decorate(test):
        test = conformance_settings(max_examples)(test)
        test = schema.parametrize()(test)
        test = pytest.mark.usefixtures("one_connection")(test)
        return pytest.mark.django_db(test)

    return decorate


def bearer_header(user) -> dict[str, str]:
    """The Authorization header with a fresh API token of ``user``."""
    from echos.core.models import ApiToken

    _token, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def one_connection() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does.

    Schemathesis calls the WSGI application directly, so each request's end would otherwise close
    the connection (on PostgreSQL, in the middle of the test's transaction).
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)

"""Fixtures of the core tests that talk to a real Redis (127.0.0.1:6379, as in CI)."""

import uuid

import pytest

REDIS_LOCATION = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_namespace():
    """A cache configuration on Redis with a key prefix of this test's own (nothing is flushed,
    so parallel runs do not collide); its keys are deleted afterwards. Skips without Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_LOCATION)
    try:
        client.ping()
    except Exception:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    prefix = f"t{uuid.uuid4().hex}"
    yield {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_LOCATION,
        "KEY_PREFIX": prefix,
    }
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def redis_commands(monkeypatch) -> list[str]:
    """The Redis commands sent during the test, in order (upper case)."""
    import redis

    sent: list[str] = []
    execute = redis.Redis.execute_command

    def counted(self, *args, **options):
        sent.append(str(args[0]).upper())
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent

"""Two API schemas never share a class name: the OpenAPI components are keyed by the name, so the
second would silently replace the first and the documented shape would be wrong."""

from collections import defaultdict

from ninja import Schema

from echos.api import api  # noqa: F401  (importing the API imports every app's schemas)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_api_schema_name_is_unique():
    where = defaultdict(set)
    for cls in subclasses(Schema):
        if cls.__module__.startswith("echos."):
            where[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(paths) for name, paths in where.items() if len(paths) > 1}
    assert clashes == {}

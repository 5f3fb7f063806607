"""Response schemas of the core endpoints (countries, regions, vocabulary terms)."""

from ninja import Schema


class CountryOut(Schema):
    code: str
    name: str
    display_name: str
    membership: str
    since: str | None


class RegionOut(Schema):
    code: str
    country: str
    name: str
    type: str
    parent: str | None


class TermOut(Schema):
    vocabulary: str
    code: str
    label: str
    description: str


class LanguageOut(Schema):
    """The signed-in user's interface language ("" when they follow their browser)."""

    language: str
    offered: list[str]

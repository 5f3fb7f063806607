"""Request and response schemas of ``POST /api/v1/exchange/pair`` (the batch pairing of
``pairing.py``). The body is read raw by ``pairing.pair_from_body`` so that every bad body, an
object instead of an array included, answers 400 naming the field; ``PAIR_REQUEST_BODY`` documents
it in the OpenAPI schema."""

from ninja import Schema

from echos.exchange.pairing import MAX_DIMENSIONS, MAX_HUBS, MAX_LANGUAGES, MAX_NAME

PAIR_HUB_SCHEMA = {
    "type": "object",
    "required": ["id", "levels", "capacity", "languages", "seeking"],
    "properties": {
        "id": {
            "anyOf": [
                {"type": "string", "minLength": 1, "maxLength": MAX_NAME},
                {"type": "integer"},
            ],
            "description": "Unique within the batch.",
        },
        "levels": {
            "type": "object",
            "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5},
            "maxProperties": MAX_DIMENSIONS,
            "description": "Level 1–5 per dimension; the same dimensions for every hub.",
        },
        "capacity": {"type": "integer", "minimum": 0, "maximum": MAX_HUBS},
        "languages": {
            "type": "array",
            "items": {"type": "string"},
            "maxItems": MAX_LANGUAGES,
        },
        "seeking": {"type": "boolean"},
    },
}

PAIR_REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "description": "The hubs to pair (the input of `echos exchange pair`).",
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": PAIR_HUB_SCHEMA, "maxItems": MAX_HUBS}
            }
        },
    }
}


class PairOut(Schema):
    """One mentee–mentor pair with its benefit and the reasons in words, numbers included."""

    mentee: str | int
    mentor: str | int
    benefit: int
    reasons: list[str]


class PairingOut(Schema):
    """The optimal pairing, its total benefit and every candidate pair's benefit (mentee → mentor
    → benefit; a pair not listed has benefit 0), so that anyone can check the pairing is optimal."""

    pairs: list[PairOut]
    total_benefit: int
    benefits: dict[str, dict[str, int]]

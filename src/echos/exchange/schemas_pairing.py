"""Response schema of ``POST /api/v1/exchange/pair`` (the batch pairing of ``pairing.py``)."""

from ninja import Schema


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

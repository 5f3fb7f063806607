"""Lookups shared by forms, API and imports: country, region and vocabulary term by code."""

from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.core.models import Country, Region, Term


def resolve_country(code, field: str = "country") -> Country:
    """The MS/AC country with this ISO code, or a RuleViolation naming the field."""
    code = (code or "").strip().upper()
    if not code:
        raise RuleViolation(_("A country code is required."), field)
    try:
        return Country.objects.get(pk=code)
    except Country.DoesNotExist:
        raise RuleViolation(
            _("Unknown country code %(code)s: use an ISO 3166-1 alpha-2 code of an MS/AC country.")
            % {"code": code},
            field,
        ) from None


def resolve_region(code, country: Country | None, field: str = "region") -> Region | None:
    """The ISO 3166-2 region, checked to lie in ``country``; empty gives None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise RuleViolation(
            _("Unknown region code %(code)s (ISO 3166-2 expected).") % {"code": code}, field
        )
    if country is not None and region.country_id != country.pk:
        raise RuleViolation(
            _("Region %(region)s is not in %(country)s.")
            % {"region": code, "country": country.code},
            field,
        )
    return region


def resolve_term(vocabulary: str, code, field: str) -> Term:
    """A vocabulary term by code, or a RuleViolation listing the valid codes."""
    code = (code or "").strip()
    term = Term.objects.filter(vocabulary=vocabulary, code=code).first()
    if term is None:
        valid = ", ".join(Term.objects.of(vocabulary).values_list("code", flat=True))
        raise RuleViolation(
            _("Unknown value %(code)r; expected one of: %(valid)s.")
            % {"code": code, "valid": valid},
            field,
        )
    return term

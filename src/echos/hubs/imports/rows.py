"""One row of each kind of file (organisations, memberships) turned into planned objects."""

from collections.abc import Callable
from datetime import date
from typing import cast

from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.core.models import Term
from echos.hubs import services
from echos.hubs.imports.plan import _Plan, is_id
from echos.hubs.models import Hub, Membership, normalise_name


def _parse_date(value: str, column: str):
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise RuleViolation(
            _("%(value)r is not a date (use YYYY-MM-DD).") % {"value": value}, column
        ) from None


def _organisation_row(number: int, values: dict, plan: _Plan) -> None:
    country = plan.cached(services.resolve_country, values.get("country"))
    plan.new_organisation(
        number,
        name=values.get("name", ""),
        country=country,
        region=plan.cached(services.resolve_region, values.get("region"), country),
        stakeholder_group=plan.cached(
            services.resolve_term,
            Term.Vocabulary.STAKEHOLDER_GROUPS,
            values.get("stakeholder_group"),
            "stakeholder_group",
        ),
        website=values.get("website", ""),
        description=values.get("description", ""),
    )


def _membership_row(number: int, values: dict, plan: _Plan) -> None:
    ref = values.get("organisation", "")
    if not ref:
        raise RuleViolation(_("Name the organisation (id or name)."), "organisation")
    country = plan.cached(
        services.resolve_country, values.get("country") or cast(Hub, plan.hub).country_id
    )
    if is_id(ref):
        org = plan.by_pk.get(int(ref))
        if org is None:
            raise RuleViolation(_("No organisation with id %(id)s.") % {"id": ref}, "organisation")
    else:
        key = (country.pk, normalise_name(ref))
        org = plan.organisations.get(key) or plan.stored.get(key)
        if org is None:
            if not values.get("stakeholder_group"):
                raise RuleViolation(
                    _(
                        "No organisation named %(name)r in %(country)s; add a stakeholder_group column to create it."
                    )
                    % {"name": ref, "country": country.pk},
                    "organisation",
                )
            org = plan.new_organisation(
                number,
                name=ref,
                country=country,
                website=values.get("website", ""),
                stakeholder_group=plan.cached(
                    services.resolve_term,
                    Term.Vocabulary.STAKEHOLDER_GROUPS,
                    values["stakeholder_group"],
                    "stakeholder_group",
                ),
            )
    plan.add_membership(
        number,
        Membership(
            hub=plan.hub,
            organisation=org,
            role=values.get("role") or Membership.Role.MEMBER,
            since=_parse_date(values.get("since", ""), "since"),
            until=_parse_date(values.get("until", ""), "until"),
        ),
    )


ROW_HANDLERS: dict[str, Callable] = {
    "organisations": _organisation_row,
    "memberships": _membership_row,
}

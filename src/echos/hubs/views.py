"""Pages of the hub registry: map, directory, hub, organisation and country pages, editing."""

from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.audit import entries_for
from echos.core.charts import MAP_CODES
from echos.core.exceptions import RuleViolation
from echos.core.models import Country
from echos.hubs import charts, imports, services
from echos.hubs import permissions as perms
from echos.hubs.forms import (
    ContactForm,
    DirectoryFilterForm,
    HubForm,
    ImportForm,
    MembershipEditForm,
    MembershipForm,
    OrganisationForm,
    StageChangeForm,
)
from echos.hubs.models import STAGE_HINTS, Hub, Level, Membership, Organisation, Person, Stage
from echos.hubs.queries import filter_hubs, filter_organisations

HUB_FORM_FIELDS = HubForm.Meta.fields
MEMBERS_PER_PAGE = 120


def _apply(request, form, action, success: str):
    """Run a service call for a valid form; a RuleViolation becomes an error on the named field."""
    try:
        result = action()
    except RuleViolation as exc:
        form.add_rule_violation(exc)
        return None
    messages.success(request, success)
    return result if result is not None else True


def _delete(request, action, *, on_refusal, success: str, then):
    """Run a delete service; a refusal (e.g. sub-hubs exist) comes back as a message."""
    try:
        action()
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(on_refusal)
    messages.success(request, success)
    return redirect(then)


def _member_count():
    """Current members per hub as a correlated subquery (a JOIN + GROUP BY over every membership
    made the searched directory slow at Europe scale)."""
    members = (
        Membership.objects.current()
        .filter(hub=OuterRef("pk"))
        .order_by()
        .values("hub")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def _get_hub_for_user(request, pk: int, check=perms.can_edit_hub) -> Hub:
    """The hub, or PermissionDenied when the user may not change it."""
    hub = get_object_or_404(Hub.objects.select_related("country", "parent__parent"), pk=pk)
    if not check(request.user, hub):
        raise PermissionDenied
    return hub


def europe_rows() -> list[dict]:
    """Every MS/AC country with the stage of its national hub (or none)."""
    national = {
        h.country_id: h for h in Hub.objects.national().only("pk", "country_id", "name_en", "stage")
    }
    rows = []
    for country in Country.objects.all():
        hub = national.get(country.code)
        stage = Stage(hub.stage if hub else Stage.NO_STRUCTURE)
        rows.append(
            {
                "code": country.code,
                "country": country.display_name,
                "membership": country.get_membership_display(),
                "stage": stage.value,
                "stage_label": str(stage.label),
                "hub": hub.name_en if hub else "",
                "url": reverse("hubs:country", args=[country.code]),
                "hub_url": hub.get_absolute_url() if hub else "",
            }
        )
    rows.sort(key=lambda r: r["country"])
    return rows


def home(request):
    rows = europe_rows()
    counts: OrderedDict[str, dict[str, Any]] = OrderedDict(
        (s.value, {"label": s.label, "count": 0, "hint": STAGE_HINTS[s]}) for s in Stage
    )
    for row in rows:
        counts[row["stage"]]["count"] += 1
    context = {
        "rows": rows,
        "stage_counts": counts.values(),
        "map_spec": charts.europe_map_spec(rows),
        "hub_total": Hub.objects.count(),
        "organisation_total": Organisation.objects.count(),
        "left_behind": [r for r in rows if r["stage"] == Stage.NO_STRUCTURE],
        "map_codes": MAP_CODES,
    }
    return render(request, "hubs/home.html", context)


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    hubs = Hub.objects.select_related("country", "parent", "host_organisation").annotate(
        member_count=_member_count()
    )
    if form.is_valid():
        data = form.cleaned_data
        hubs = filter_hubs(
            hubs,
            country=data["country"] and data["country"].code,
            level=data["level"],
            stage=data["stage"],
            archetype=data["archetype"],
            stakeholder_group=data["stakeholder_group"] and data["stakeholder_group"].code,
            q=data["q"],
        )
    page = Paginator(hubs.in_hierarchy_order(), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "hubs/_directory_results.html" if request.htmx else "hubs/directory.html"
    return render(request, template, context)


def hub_detail(request, pk: int):
    hub = get_object_or_404(
        Hub.objects.select_related("country", "region", "parent", "host_organisation"), pk=pk
    )
    memberships = (
        hub.memberships.current()
        .select_related("organisation__stakeholder_group", "organisation__country")
        .order_by("organisation__stakeholder_group__position", "organisation__name")
    )
    # Real hubs have tens of members; synthetic Europe-scale ones hundreds, so the list pages.
    member_page = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("members"))
    groups: OrderedDict = OrderedDict()
    for m in member_page.object_list:
        groups.setdefault(m.organisation.stakeholder_group, []).append(m)
    children = list(hub.children.select_related("region").in_hierarchy_order())
    descendants = Hub.objects.filter(pk__in=hub.descendant_ids()).select_related("region")
    points = [
        {
            "name": h.name_en,
            "latitude": h.latitude,
            "longitude": h.longitude,
            "level_label": str(h.get_level_display()),
            "url": h.get_absolute_url(),
        }
        for h in [hub, *descendants]
        if h.latitude is not None and h.longitude is not None
    ]
    can_edit = perms.can_edit_hub(request.user, hub)
    context = {
        "hub": hub,
        "groups": groups,
        "member_count": member_page.paginator.count,
        "member_page": member_page,
        "past_memberships": hub.memberships.exclude(
            pk__in=hub.memberships.current().values("pk")
        ).select_related("organisation")
        if can_edit
        else [],
        "children": children,
        "history": hub.stage_changes.select_related("recorded_by"),
        "map_spec": charts.country_map_spec(hub.country_id, points)
        if hub.country_id in MAP_CODES
        else None,
        "can_edit": can_edit,
        "can_change_stage": perms.can_change_stage(request.user, hub),
        "can_delete": perms.can_delete_hub(request.user, hub),
        "can_add_subhub": hub.level != Level.LOCAL
        and perms.can_create_hub(request.user, parent=hub),
        "audit": entries_for(hub)[:50] if perms.can_view_audit(request.user) else None,
        "stage_form": StageChangeForm(),
        "stages": [(s, STAGE_HINTS[s]) for s in Stage],
    }
    return render(request, "hubs/hub_detail.html", context)


def _hub_changes(form) -> dict:
    return {k: form.cleaned_data.get(k) for k in HUB_FORM_FIELDS if k in form.cleaned_data}


def _blank_strings(changes: dict) -> dict:
    return {
        k: ("" if v is None and k in {"mission", "website", "archetype", "name", "name_en"} else v)
        for k, v in changes.items()
    }


@login_required
def hub_create(request):
    parent = None
    raw_parent = str(request.GET.get("parent") or request.POST.get("parent") or "").strip()
    # A parent that is not a hub number (?parent=abc) is ignored, like an unknown one.
    if raw_parent.isascii() and raw_parent.isdigit() and int(raw_parent) < 2**63:
        parent = Hub.objects.filter(pk=int(raw_parent)).first()
    if not perms.can_create_hub(request.user, parent=parent):
        raise PermissionDenied
    initial = {}
    if parent is not None:
        initial = {
            "parent": parent,
            "country": parent.country,
            "level": Level.REGIONAL if parent.level == Level.NATIONAL else Level.LOCAL,
        }
    form = HubForm(
        request.POST or None,
        initial=initial,
        parents=perms.editable_hubs(request.user).exclude(level=Level.LOCAL)
        if not perms.is_network_coordinator(request.user)
        else None,
    )
    if request.method == "POST" and form.is_valid():
        hub = _apply(
            request,
            form,
            lambda: services.create_hub(actor=request.user, **_blank_strings(_hub_changes(form))),
            _("Hub created."),
        )
        if hub is not None:
            return redirect(hub)
    return render(request, "hubs/hub_form.html", {"form": form, "hub": None})


@login_required
def hub_edit(request, pk: int):
    hub = _get_hub_for_user(request, pk)
    form = HubForm(request.POST or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        fresh = Hub.objects.get(pk=hub.pk)
        saved = _apply(
            request,
            form,
            lambda: services.update_hub(
                actor=request.user, hub=fresh, **_blank_strings(_hub_changes(form))
            ),
            _("Hub saved."),
        )
        if saved is not None:
            return redirect(fresh)
    return render(request, "hubs/hub_form.html", {"form": form, "hub": hub})


@login_required
@require_POST
def hub_delete(request, pk: int):
    hub = _get_hub_for_user(request, pk, perms.can_delete_hub)
    target = hub.parent.get_absolute_url() if hub.parent is not None else reverse("hubs:directory")
    return _delete(
        request,
        lambda: services.delete_hub(actor=request.user, hub=hub),
        on_refusal=hub.get_absolute_url(),
        success=_("Hub deleted."),
        then=target,
    )


@login_required
def hub_stage(request, pk: int):
    hub = _get_hub_for_user(request, pk, perms.can_change_stage)
    form = StageChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            request,
            form,
            lambda: services.record_stage_change(actor=request.user, hub=hub, **form.cleaned_data),
            _("Stage change recorded."),
        )
        if saved is not None:
            if request.htmx:
                response = render(
                    request, "hubs/_stage_form.html", {"hub": hub, "stage_form": StageChangeForm()}
                )
                response["HX-Refresh"] = "true"
                return response
            return redirect(hub)
    template = "hubs/_stage_form.html" if request.htmx else "hubs/stage_form.html"
    return render(
        request, template, {"hub": hub, "stage_form": form}, status=422 if form.errors else 200
    )


@login_required
def membership_add(request, pk: int):
    hub = _get_hub_for_user(request, pk)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = _apply(
            request,
            form,
            lambda: services.add_membership(actor=request.user, hub=hub, **data),
            _("Member added."),
        )
        if saved is not None:
            if saved.is_pending:
                messages.info(
                    request,
                    _(
                        "%(org)s is listed as awaiting the organisation's confirmation: its "
                        "representatives have been asked. Until they confirm, the hub's team "
                        "cannot change its details or see its contacts."
                    )
                    % {"org": saved.organisation.name},
                )
            if saved.organisation.country_id != hub.country_id:
                messages.info(
                    request,
                    _(
                        "%(org)s is registered in another country: it is listed as a partner of "
                        "this hub, but its details and contacts stay with the hubs of its own country."
                    )
                    % {"org": saved.organisation.name},
                )
            return redirect(hub)
    return render(request, "hubs/membership_form.html", {"hub": hub, "form": form})


@login_required
def membership_edit(request, pk: int, membership_id: int):
    hub = _get_hub_for_user(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), pk=membership_id, hub=hub
    )
    form = MembershipEditForm(request.POST or None, instance=membership)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_membership(actor=request.user, membership=membership)
        messages.success(request, _("Membership removed."))
        return redirect(hub)
    if request.method == "POST" and form.is_valid():
        fresh = Membership.objects.get(pk=membership.pk)
        saved = _apply(
            request,
            form,
            lambda: services.update_membership(
                actor=request.user, membership=fresh, **form.cleaned_data
            ),
            _("Membership saved."),
        )
        if saved is not None:
            return redirect(hub)
    return render(
        request, "hubs/membership_form.html", {"hub": hub, "form": form, "membership": membership}
    )


@login_required
def membership_requests(request):
    """Memberships waiting for the user's organisations to confirm them (the network: all)."""
    pending = (
        perms.decidable_memberships(request.user)
        .select_related("hub__country", "organisation__country")
        .order_by("organisation__name", "hub__name_en")
    )
    if perms.is_network_coordinator(request.user):
        # Organisations nobody represents can only be answered for by the network: those first.
        pending = pending.annotate(
            represented=Count(
                "organisation__contacts", filter=Q(organisation__contacts__user__isnull=False)
            )
        ).order_by("represented", "organisation__name", "hub__name_en")
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "hubs/membership_requests.html", {"page": page})


def _decide(request, membership_id: int, decide, success: str):
    membership = get_object_or_404(
        Membership.objects.select_related("hub", "organisation"), pk=membership_id
    )
    if not perms.can_decide_membership(request.user, membership):
        raise PermissionDenied
    try:
        decide(actor=request.user, membership=membership)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success % {"org": membership.organisation, "hub": membership.hub})
    if request.POST.get("next") == "organisation":
        return redirect(membership.organisation)
    return redirect("hubs:membership_requests")


@login_required
@require_POST
def membership_confirm(request, membership_id: int):
    return _decide(
        request,
        membership_id,
        services.confirm_membership,
        _("You confirmed that %(org)s is a member of %(hub)s."),
    )


@login_required
@require_POST
def membership_decline(request, membership_id: int):
    return _decide(
        request,
        membership_id,
        services.decline_membership,
        _("You declined the membership of %(org)s in %(hub)s."),
    )


@login_required
def membership_import(request, pk: int):
    hub = _get_hub_for_user(request, pk)
    return _import_page(request, kind="memberships", hub=hub, back=hub.get_absolute_url())


@login_required
def organisation_import(request):
    if not (
        perms.is_network_coordinator(request.user) or perms.editable_hubs(request.user).exists()
    ):
        raise PermissionDenied
    return _import_page(request, kind="organisations", hub=None, back=reverse("hubs:organisations"))


def _import_page(request, *, kind: str, hub, back: str):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # The upload's own file: read as a stream, never whole into memory.
        report = imports.run_import(
            kind, upload.file, filename=upload.name, actor=request.user, hub=hub
        )
        if report.ok:
            messages.success(request, _("%(n)d rows imported.") % {"n": report.created})
            return redirect(back)
    context = {
        "form": form,
        "report": report,
        "kind": kind,
        "hub": hub,
        "back": back,
        "columns": imports.COLUMNS[kind],
        "max_bytes": settings.ECHOS_IMPORT_MAX_BYTES,
        "max_rows": settings.ECHOS_IMPORT_MAX_ROWS,
    }
    return render(
        request, "hubs/import.html", context, status=422 if report and not report.ok else 200
    )


def organisation_list(request):
    q = request.GET.get("q", "")
    qs = filter_organisations(
        Organisation.objects.select_related("country", "stakeholder_group"),
        country=request.GET.get("country"),
        stakeholder_group=request.GET.get("group"),
        q=q,
    )
    page = Paginator(qs.order_by("name"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hubs/organisation_list.html",
        {
            "page": page,
            "q": q,
            "query": query.urlencode(),
            "can_create": perms.is_network_coordinator(request.user)
            or perms.editable_hubs(request.user).exists(),
        },
    )


def organisation_detail(request, pk: int):
    org = get_object_or_404(
        Organisation.objects.select_related("country", "region", "stakeholder_group"), pk=pk
    )
    memberships = org.memberships.select_related("hub__country").order_by("-until", "hub__name_en")
    show_contacts = perms.can_view_contacts(request.user, org)
    may_decide = perms.can_decide_membership(request.user, Membership(organisation=org))
    return render(
        request,
        "hubs/organisation_detail.html",
        {
            "org": org,
            "memberships": memberships,
            "hosted": org.hosted_hubs.all(),
            "contacts": org.contacts.all() if show_contacts else None,
            "can_edit": perms.can_edit_organisation(request.user, org),
            "can_delete": perms.can_delete_organisation(request.user, org),
            "can_decide": may_decide,
            "audit": entries_for(org)[:50] if perms.can_view_audit(request.user) else None,
            "contact_form": ContactForm() if show_contacts else None,
        },
    )


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = _apply(
            request,
            form,
            lambda: services.create_organisation(actor=request.user, **_org_data(form)),
            _("Organisation registered."),
        )
        if org is not None:
            return redirect(org)
    elif not (
        perms.is_network_coordinator(request.user) or perms.editable_hubs(request.user).exists()
    ):
        raise PermissionDenied
    return render(request, "hubs/organisation_form.html", {"form": form, "org": None})


def _org_data(form) -> dict:
    data = dict(form.cleaned_data)
    for key in ("website", "description"):
        data[key] = data.get(key) or ""
    return data


@login_required
def organisation_edit(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    if not perms.can_edit_organisation(request.user, org):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        fresh = Organisation.objects.get(pk=pk)
        saved = _apply(
            request,
            form,
            lambda: services.update_organisation(
                actor=request.user, organisation=fresh, **_org_data(form)
            ),
            _("Organisation saved."),
        )
        if saved is not None:
            return redirect(fresh)
    return render(request, "hubs/organisation_form.html", {"form": form, "org": org})


@login_required
@require_POST
def organisation_delete(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    return _delete(
        request,
        lambda: services.delete_organisation(actor=request.user, organisation=org),
        on_refusal=org.get_absolute_url(),
        success=_("Organisation deleted."),
        then="hubs:organisations",
    )


@login_required
@require_POST
def contact_add(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    if not perms.can_edit_organisation(request.user, org):
        raise PermissionDenied
    form = ContactForm(request.POST)
    if form.is_valid():
        services.add_contact(actor=request.user, organisation=org, **form.cleaned_data)
        messages.success(request, _("Contact added."))
    else:
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}",  # type: ignore[arg-type]  # ErrorList yields the messages (str)
            )
    return redirect(org)


@login_required
@require_POST
def contact_delete(request, pk: int, person_id: int):
    person = get_object_or_404(Person, pk=person_id, organisation_id=pk)
    services.delete_contact(actor=request.user, person=person)
    messages.success(request, _("Contact erased."))
    return redirect(person.organisation)


def country_detail(request, code: str):
    country = get_object_or_404(Country, pk=code.upper())
    hubs = list(
        country.hubs.select_related("parent", "region")
        .annotate(member_count=_member_count())
        .in_hierarchy_order()
    )
    national = next((h for h in hubs if h.level == Level.NATIONAL), None)
    orgs = (
        Organisation.objects.filter(Q(country=country) | Q(memberships__hub__country=country))
        .distinct()
        .select_related("stakeholder_group")
        .order_by("stakeholder_group__position", "name")
    )
    points = [
        {
            "name": h.name_en,
            "latitude": h.latitude,
            "longitude": h.longitude,
            "level_label": str(h.get_level_display()),
            "url": h.get_absolute_url(),
        }
        for h in hubs
        if h.latitude is not None
    ]
    page = Paginator(orgs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "hubs/country_detail.html",
        {
            "country": country,
            "hubs": hubs,
            "national": national,
            "stage": Stage(national.stage) if national else Stage.NO_STRUCTURE,
            "page": page,
            "map_spec": charts.country_map_spec(country.code, points)
            if country.code in MAP_CODES
            else None,
            "can_create_national": national is None and perms.is_network_coordinator(request.user),
        },
    )


__all__ = ["Prefetch"]

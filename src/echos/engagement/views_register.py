"""Pages of the stakeholder register, relationships between organisations, imports and exports.

The register and its exports are internal to the hub team (``register.can_view_register``);
relationships are public facts between organisations, changed by the recording hub's team.
"""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import ModelChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.core.models import Term
from echos.engagement import exports_register, imports, register, relationships
from echos.engagement import permissions as record_perms
from echos.engagement.forms_register import AddStakeholderForm, RelationshipForm, StakeholderForm
from echos.engagement.models import Relationship, Sector, Stakeholder, StakeholderStatus
from echos.hubs import permissions as hub_perms
from echos.hubs import pickers
from echos.hubs.forms import ImportForm
from echos.hubs.models import Hub, Organisation

PAGE_SIZE = 50
# Names shown in one quadrant of the grid; the rest are counted.
GRID_NAMES = 40


def _hub(request, hub_id: int, check=register.can_view_register) -> Hub:
    hub = get_object_or_404(Hub.objects.select_related("country", "parent__parent"), pk=hub_id)
    if not check(request.user, hub):
        raise PermissionDenied
    return hub


def _entry(request, pk: int) -> Stakeholder:
    entry = get_object_or_404(
        Stakeholder.objects.select_related("hub__parent__parent", "organisation__country", "group"),
        pk=pk,
    )
    if not register.can_edit_register(request.user, entry.hub):
        raise PermissionDenied
    return entry


def _labelled(entries) -> list[Stakeholder]:
    """Entries with the labels the page shows (sector and quadrant are derived)."""
    for e in entries:
        e.sector_label = Sector(e.sector).label
        e.quadrant_label = register.QUADRANTS[register.quadrant(e.influence, e.interest)]
    return entries


def _filters(request, owners) -> dict:
    """The register's filters from the query; values that match nothing known are dropped."""
    get = request.GET
    groups = {t.code for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)}
    owner = get.get("owner", "")
    return {
        "group": get.get("group", "") if get.get("group") in groups else "",
        "sector": get.get("sector", "") if get.get("sector") in Sector.values else "",
        "status": get.get("status", "") if get.get("status") in StakeholderStatus.values else "",
        "owner": int(owner) if owner.isdigit() and int(owner) in {u.pk for u in owners} else None,
    }


@login_required
def register_page(request, hub_id: int):
    """The hub's register: filters, the power/interest grid with its table, members to add."""
    hub = _hub(request, hub_id)
    owners = list(register.team_members(hub))
    filters = _filters(request, owners)
    entries = _labelled(list(register.filter_register(register.register_of(hub), **filters)))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    grid = register.grid(entries)
    for cell in grid:
        cell.shown, cell.more = cell.entries[:GRID_NAMES], max(0, len(cell.entries) - GRID_NAMES)
    return render(
        request,
        "engagement/register.html",
        {
            "hub": hub,
            "page": page,
            "query": query.urlencode(),
            "count": len(entries),
            "grid": grid,
            "filters": filters,
            "groups": list(Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)),
            "sectors": Sector.choices,
            "statuses": StakeholderStatus.choices,
            "owners": owners,
            "candidates": register.members_not_in_register(hub),
            "relationships": relationships.relationships_recorded_by(hub)[:100],
            "can_edit": register.can_edit_register(request.user, hub),
            "high": register.HIGH,
        },
    )


@login_required
def stakeholder_add(request, hub_id: int):
    """Search the registry (any country) and add the chosen organisation; or, from the members
    list, add a member at once with middle scores (POST ``quick``)."""
    hub = _hub(request, hub_id, register.can_edit_register)
    if request.method == "POST" and request.POST.get("quick"):
        return _quick_add(request, hub)
    status = 200
    chosen = None
    if request.method == "POST":
        form = AddStakeholderForm(request.POST, hub=hub)
        if form.is_valid():
            chosen = Organisation.objects.filter(pk=form.cleaned_data["organisation"]).first()
            if chosen is None:
                form.add_error(None, _("No organisation with this id."))
            else:
                try:
                    data = form.service_fields()
                    register.add_stakeholder(
                        actor=request.user, hub=hub, organisation=chosen, **data
                    )
                except RuleViolation as exc:
                    form.add_rule_violation(exc)
                else:
                    messages.success(request, _("%(org)s added to the register.") % {"org": chosen})
                    return redirect("engagement:register", hub.pk)
        status = 422
    else:
        pick = request.GET.get("organisation", "")
        chosen = Organisation.objects.filter(pk=int(pick)).first() if pick.isdigit() else None
        initial = {"status": StakeholderStatus.TO_APPROACH, "influence": 3, "interest": 3}
        if chosen is not None:
            initial |= {"organisation": chosen.pk, "group": chosen.stakeholder_group.code}
        form = AddStakeholderForm(initial=initial, hub=hub)
    found = pickers.picker(
        request.GET,
        url=reverse("engagement:stakeholder_add", args=[hub.pk]),
        choose="organisation",
        marks=_in_register(hub),
    )
    if request.method == "GET" and pickers.wants_results(request):
        return _picker_results(request, found)
    context = {"hub": hub, "form": form, "chosen": chosen, "picker": found}
    status = status if found.valid else 422
    return render(request, "engagement/register_add.html", context, status=status)


def _in_register(hub: Hub):
    """The picker's marks: organisations already in the hub's register."""

    def marks(ids: list[int]) -> dict[int, str]:
        listed = hub.stakeholders.filter(organisation_id__in=ids)
        return dict.fromkeys(listed.values_list("organisation_id", flat=True), _("in the register"))

    return marks


def _picker_results(request, found: pickers.Picker) -> HttpResponse:
    """Only the picker's results, swapped in while typing (422 with the reason when refused)."""
    status = 200 if found.valid else 422
    return render(request, "hubs/_org_picker_results.html", {"picker": found}, status=status)


def _quick_add(request, hub: Hub):
    pk = request.POST.get("organisation", "")
    org = Organisation.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if org is None:
        raise Http404
    try:
        register.add_stakeholder(
            actor=request.user,
            hub=hub,
            organisation=org,
            influence=3,
            interest=3,
            status=StakeholderStatus.ENGAGED,
        )
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(org)s added with middle scores (3 and 3); edit its entry to score it.")
            % {"org": org},
        )
    return redirect("engagement:register", hub.pk)


@login_required
def stakeholder_edit(request, pk: int):
    entry = _entry(request, pk)
    status = 200
    if request.method == "POST":
        form = StakeholderForm(request.POST, hub=entry.hub)
        if form.is_valid():
            try:
                register.update_stakeholder(
                    actor=request.user, stakeholder=entry, **form.service_fields()
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Register entry saved."))
                return redirect("engagement:register", entry.hub_id)
        status = 422
    else:
        form = StakeholderForm(initial=StakeholderForm.initial_for(entry), hub=entry.hub)
    return render(
        request,
        "engagement/register_edit.html",
        {"hub": entry.hub, "entry": entry, "form": form},
        status=status,
    )


@login_required
@require_POST
def stakeholder_delete(request, pk: int):
    entry = _entry(request, pk)
    register.remove_stakeholder(actor=request.user, stakeholder=entry)
    messages.success(
        request, _("%(org)s taken off the register.") % {"org": entry.organisation.name}
    )
    return redirect("engagement:register", entry.hub_id)


# Relationships -----------------------------------------------------------------------------------


def _relationship(request, pk: int) -> Relationship:
    rel = get_object_or_404(
        Relationship.objects.select_related("source", "target", "hub__parent__parent"), pk=pk
    )
    if not relationships.can_change_relationship(request.user, rel):
        raise PermissionDenied
    return rel


@login_required
def relationship_create(request, org_id: int):
    """A tie from this organisation to one chosen in the picker, in the name of a hub the user
    edits."""
    source = get_object_or_404(Organisation.objects.select_related("country"), pk=org_id)
    if not hub_perms.editable_hubs(request.user).exists():
        raise PermissionDenied
    status = 200
    target = None
    if request.method == "POST":
        form = RelationshipForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            target = Organisation.objects.filter(pk=data.pop("target")).first()
            if target is None:
                form.add_error(None, _("No organisation with this id."))
            else:
                try:
                    relationships.add_relationship(
                        actor=request.user, source=source, target=target, **data
                    )
                except RuleViolation as exc:
                    form.add_rule_violation(exc)
                else:
                    messages.success(request, _("Relationship recorded."))
                    return redirect(source)
        status = 422
    else:
        pick = request.GET.get("target", "")
        target = Organisation.objects.filter(pk=int(pick)).first() if pick.isdigit() else None
        hub = request.GET.get("hub", "")
        form = RelationshipForm(
            initial={
                "target": target.pk if target else None,
                "hub": hub if hub.isdigit() else None,
            },
            user=request.user,
        )
    found = pickers.picker(
        request.GET,
        url=reverse("engagement:relationship_create", args=[source.pk]),
        choose="target",
        exclude={source.pk},
        keep={"hub": request.GET.get("hub", "")[:20]},
    )
    if request.method == "GET" and pickers.wants_results(request):
        return _picker_results(request, found)
    context = {"org": source, "form": form, "target": target, "picker": found}
    status = status if found.valid else 422
    return render(request, "engagement/relationship_form.html", context, status=status)


@login_required
def relationship_edit(request, pk: int):
    """Change the kind, dates or source of a relationship (the organisations stay)."""
    rel = _relationship(request, pk)
    initial = {
        "hub": rel.hub_id,
        "kind": rel.kind,
        "target": rel.target_id,
        "since": rel.since,
        "until": rel.until,
        "source_note": rel.source_note,
    }
    form = RelationshipForm(request.POST or None, initial=initial, user=request.user)
    form.fields["hub"].disabled = True  # the recording hub stays
    cast(ModelChoiceField, form.fields["hub"]).queryset = Hub.objects.filter(pk=rel.hub_id)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("hub")
            target = Organisation.objects.filter(pk=data.pop("target")).first()
            try:
                relationships.update_relationship(
                    actor=request.user, relationship=rel, target=target or rel.target, **data
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Relationship saved."))
                return redirect(rel.source)
        status = 422
    return render(
        request,
        "engagement/relationship_form.html",
        {"org": rel.source, "form": form, "target": rel.target, "relationship": rel},
        status=status,
    )


@login_required
@require_POST
def relationship_delete(request, pk: int):
    rel = _relationship(request, pk)
    relationships.delete_relationship(actor=request.user, relationship=rel)
    messages.success(request, _("Relationship deleted."))
    return redirect(rel.source)


# Imports and exports -----------------------------------------------------------------------------

IMPORTS = {
    "stakeholders": (imports.import_stakeholders, register.can_edit_register),
    "engagement": (imports.import_records, record_perms.can_record_engagement),
}


@login_required
def import_page(request, hub_id: int, kind: str):
    """Upload a file of stakeholders or engagement records: every row or none, problems listed."""
    if kind not in IMPORTS:
        raise Http404
    run, check = IMPORTS[kind]
    hub = _hub(request, hub_id, check)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = run(upload.file, filename=upload.name, actor=request.user, hub=hub)
        if report.ok:
            messages.success(request, _("%(n)d rows imported.") % {"n": report.created})
            back = "engagement:register" if kind == "stakeholders" else "engagement:hub"
            return redirect(back, hub.pk)
    context = {
        "form": form,
        "report": report,
        "kind": kind,
        "hub": hub,
        "back": reverse(
            "engagement:register" if kind == "stakeholders" else "engagement:hub", args=[hub.pk]
        ),
        "columns": imports.COLUMNS[kind],
        "max_bytes": settings.ECHOS_IMPORT_MAX_BYTES,
        "max_rows": settings.ECHOS_IMPORT_MAX_ROWS,
    }
    status = 422 if report and not report.ok else 200
    return render(request, "engagement/import.html", context, status=status)


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports_register.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def register_export(request, hub_id: int, fmt: str):
    """The register as CSV or XLSX: the hub team only (it holds scores, owners and notes)."""
    if fmt not in exports_register.CONTENT_TYPES:
        raise Http404
    hub = _hub(request, hub_id)
    content = exports_register.write(
        exports_register.REGISTER_HEADER, exports_register.register_rows(hub), fmt, "register"
    )
    return _download(content, fmt, f"register-hub-{hub.pk}")


def records_export(request, hub_id: int, fmt: str):
    """The hub's engagement records as CSV or XLSX: public fields only, for everyone."""
    if fmt not in exports_register.CONTENT_TYPES:
        raise Http404
    hub = _hub(request, hub_id, record_perms.can_view_records)
    content = exports_register.write(
        exports_register.RECORD_HEADER, exports_register.record_rows(hub), fmt, "records"
    )
    return _download(content, fmt, f"engagement-records-hub-{hub.pk}")

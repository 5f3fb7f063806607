"""Organisations: list, page, registering, editing, deleting, and their contact people."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.audit import entries_for
from echos.core.filters import ignored_item, say_ignored, unknown_parameters
from echos.core.models import Country, Region, Term
from echos.hubs import permissions as perms
from echos.hubs import services
from echos.hubs.forms import ContactForm, OrganisationForm
from echos.hubs.models import Membership, Organisation, Person
from echos.hubs.queries import filter_organisations
from echos.hubs.views._common import _apply, _delete


def organisation_list(request):
    q = request.GET.get("q", "")
    country = (request.GET.get("country") or "").strip().upper()
    group = (request.GET.get("group") or "").strip()
    # A country or group that names none is named in the notice, never an empty list.
    ignored = unknown_parameters(request.GET, ("q", "country", "group"))
    if country and not Country.objects.filter(pk=country).exists():
        ignored.append(ignored_item("country", request.GET.get("country")))
        country = ""
    if group and not Term.objects.of("stakeholder_groups").filter(code=group).exists():
        ignored.append(ignored_item("group", group))
        group = ""
    say_ignored(request, ignored)
    qs = filter_organisations(
        Organisation.objects.select_related("country", "stakeholder_group"),
        country=country,
        stakeholder_group=group,
        q=q,
    )
    page = Paginator(qs.order_by("name"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hubs/_organisation_results.html" if request.htmx else "hubs/organisation_list.html",
        {
            "page": page,
            "q": q,
            "country": country,
            "group": group,
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
    """Register an organisation; from a hub's "Add member" (``next``), go back there with it chosen."""
    back = _safe_next(request)
    initial = {}
    country = request.GET.get("country", "")
    if Country.objects.filter(pk=country.upper()[:2]).exists():
        initial["country"] = country.upper()
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        org = _apply(
            request,
            form,
            lambda: services.create_organisation(actor=request.user, **_org_data(form)),
            _("Organisation registered."),
        )
        if org is not None:
            return redirect(_with_query(back, organisation=org.pk) if back else org)
    elif not (
        perms.is_network_coordinator(request.user) or perms.editable_hubs(request.user).exists()
    ):
        raise PermissionDenied
    return render(request, "hubs/organisation_form.html", {"form": form, "org": None, "next": back})


def _safe_next(request) -> str:
    """The page to return to after registering, when it is on this site; else empty."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed and target.startswith("/") else ""


def _with_query(url: str, **params) -> str:
    """``url`` with ``params`` set in its query string."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | {k: str(v) for k, v in params.items()}
    return urlunsplit(parts._replace(query=urlencode(query)))


def region_options(request):
    """The ``<option>``s of a country's regions, for the region select of a form or, with
    ``any``, of a filter (htmx)."""
    code = (request.GET.get("country") or "").strip().upper()[:2]
    regions = Region.objects.filter(country_id=code).order_by("name") if code else []
    context = {"regions": regions, "country_chosen": bool(code), "any": "any" in request.GET}
    return render(request, "hubs/_region_options.html", context)


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

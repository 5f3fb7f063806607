"""Pages of the network of support: the overview, establishment roadmaps and exchange sessions
(with inception dialogues and commitments). Twinnings and support requests: ``views_support``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.models import Country
from echos.exchange import forms, roadmap, sessions
from echos.exchange import permissions as perms
from echos.exchange.levels import dimension_titles
from echos.exchange.models import (
    Commitment,
    ExchangeSession,
    Invitation,
    Roadmap,
    RoadmapStep,
    SupportRequest,
    Twinning,
)
from echos.exchange.resources import visible_resources
from echos.exchange.view_flow import form_saved, run_action
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Stage


def home(request):
    """The network of support at a glance: roadmaps, recent sessions, one's twinnings and requests."""
    ids = perms.team_hub_ids(request.user)
    twinnings = Twinning.objects.prefetch_related("hubs")
    if ids is not None:
        twinnings = twinnings.filter(hubs__in=ids).distinct()
    requests = SupportRequest.objects.visible_to(request.user, ids).select_related("hub")
    return render(
        request,
        "exchange/home.html",
        {
            "roadmaps": [roadmap.progress(r) for r in Roadmap.objects.select_related("country")],
            "sessions": ExchangeSession.objects.visible_to_public()
            .select_related("event")
            .order_by("-event__start")[:10],
            "twinnings": twinnings[:20] if perms.signed_in(request.user) else [],
            "requests": requests[:20],
            "overdue": Commitment.objects.overdue()
            .filter(hub_id__in=ids if ids is not None else [])
            .select_related("hub", "session__event")
            if ids
            else [],
            "can_create_roadmap": hub_perms.is_network_coordinator(request.user),
            "can_see_pairing": hub_perms.is_network_coordinator(request.user),
            "can_create_session": bool(hub_perms.editable_hubs(request.user).exists())
            if perms.signed_in(request.user)
            else False,
        },
    )


# --- roadmaps -----------------------------------------------------------------------------------


def roadmap_detail(request, code: str):
    r = get_object_or_404(Roadmap.objects.select_related("country"), country_id=code.upper())
    p = roadmap.progress(r)
    can_edit = perms.can_edit_roadmap(request.user, r)
    offer = roadmap.stage_offer(r, p.steps)
    titles = dimension_titles()
    rows = [
        {
            "step": s,
            "definition": roadmap.step_def(s),
            "stage": Stage(roadmap.step_def(s).stage).label,
            "dimension": titles.get(roadmap.step_def(s).dimension, roadmap.step_def(s).dimension),
            "check": p.checks.get(s.code),
            "resources": visible_resources(s.resources, request.user),
            "form": forms.StepForm(
                initial={
                    "owner": s.owner,
                    "due": s.due,
                    "status": s.status,
                    "completed_on": s.completed_on,
                    "evidence": s.evidence,
                    "link": s.link,
                    "resources": list(s.resources.all()),
                },
                prefix=s.code,
                user=request.user,
            )
            if can_edit
            else None,
        }
        for s in p.steps
    ]
    return render(
        request,
        "exchange/roadmap.html",
        {
            "roadmap": r,
            "progress": p,
            "rows": rows,
            "can_edit": can_edit,
            "offer": offer,
            "can_record": offer is not None
            and offer.hub is not None
            and perms.can_record_stage(request.user, offer.hub),
            "show_owners": perms.can_see_owners(request.user),
        },
    )


@login_required
def roadmap_create(request):
    status = 200
    form = forms.RoadmapForm(request.POST or None)
    if request.method == "POST":

        def create(data):
            country: Country = data["country"]
            if not perms.can_create_roadmap(request.user, country.pk):
                raise PermissionDenied
            return roadmap.create_roadmap(actor=request.user, country=country, notes=data["notes"])

        if saved := form_saved(request, form, create, done=_("Roadmap started.")):
            return saved
        status = 422
    elif (
        not hub_perms.is_network_coordinator(request.user)
        and not hub_perms.editable_hubs(request.user).filter(level="national").exists()
    ):
        raise PermissionDenied
    return render(request, "exchange/roadmap_form.html", {"form": form}, status=status)


@login_required
@require_POST
def step_update(request, pk: int):
    step = get_object_or_404(RoadmapStep.objects.select_related("roadmap__country"), pk=pk)
    if not perms.can_edit_roadmap(request.user, step.roadmap):
        raise PermissionDenied
    form = forms.StepForm(request.POST, prefix=step.code, user=request.user)
    if form.is_valid():
        run_action(
            request,
            lambda: roadmap.update_step(actor=request.user, step=step, **form.service_fields()),
            done=_("Step saved."),
        )
    else:
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''}: {errors[0]}"
            )
    return redirect(step.roadmap)


@login_required
@require_POST
def roadmap_stage(request, code: str):
    """Record the stage the roadmap offers, with its evidence, through the lifecycle service."""
    r = get_object_or_404(Roadmap, country_id=code.upper())
    offer = roadmap.stage_offer(r)
    if offer is None or offer.hub is None or not perms.can_record_stage(request.user, offer.hub):
        raise PermissionDenied
    run_action(
        request,
        lambda: roadmap.record_offered_stage(actor=request.user, roadmap=r),
        done=_("The stage change is recorded with the steps' evidence."),
    )
    return redirect(r)


# --- sessions -----------------------------------------------------------------------------------


def session_list(request):
    found = (
        ExchangeSession.objects.visible_to_public()
        .select_related("event", "event__hub")
        .order_by("-event__start")
    )
    return render(request, "exchange/sessions.html", {"sessions": found[:200]})


def _session(request, pk: int) -> ExchangeSession:
    s = get_object_or_404(
        ExchangeSession.objects.select_related("event__hub", "event__country"), pk=pk
    )
    if not perms.can_view_session(request.user, s):
        raise PermissionDenied
    return s


def _managed(request, pk: int) -> ExchangeSession:
    s = _session(request, pk)
    if not perms.can_manage_session(request.user, s):
        raise PermissionDenied
    return s


def session_detail(
    request,
    pk: int,
    *,
    commitment_form=None,
    invitation_form=None,
    dialogue_form=None,
    status: int = 200,
) -> HttpResponse:
    s = _session(request, pk)
    can_manage = perms.can_manage_session(request.user, s)
    commitments = [
        {"c": c, "can_update": perms.can_update_commitment(request.user, c)}
        for c in s.commitments.select_related("hub")
    ]
    titles = dimension_titles()
    context = {
        "session": s,
        "event": s.event,
        "can_manage": can_manage,
        "show_owners": perms.can_see_owners(request.user),
        "commitments": commitments,
        "dimensions": [titles.get(d, d) for d in s.dimensions],
        "resources": visible_resources(s.resources, request.user),
        "commitment_form": commitment_form or (forms.CommitmentForm() if can_manage else None),
    }
    if s.is_dialogue and can_manage:
        context.update(
            {
                "invitations": s.invitations.select_related("stakeholder_group"),
                "statuses": Invitation.Status.choices,
                "missing": sessions.missing_groups(s),
                "invitation_form": invitation_form or forms.InvitationForm(),
                "dialogue_form": dialogue_form
                or forms.DialogueForm(
                    initial={"conclusions": s.conclusions, "next_steps": s.next_steps}
                ),
            }
        )
        hub = sessions.dialogue_stage_offer(s)
        context["stage_hub"] = hub
        context["can_record_stage"] = hub is not None and perms.can_record_stage(request.user, hub)
    return render(request, "exchange/session.html", context, status=status)


@login_required
def session_create(request):
    hubs = hub_perms.editable_hubs(request.user).order_by("name_en")
    if not hubs.exists():
        raise PermissionDenied
    form = forms.SessionForm(request.POST or None, hubs=hubs, user=request.user)
    status = 200
    if request.method == "POST":
        saved = form_saved(
            request,
            form,
            lambda data: sessions.create_session(
                actor=request.user,
                hub=data["hub"],
                kind=data["kind"],
                event=form.event_fields(),
                **form.service_fields(),
            ),
            done=_("Session created as a draft event of the calendar."),
        )
        if saved:
            return saved
        status = 422
    return render(
        request, "exchange/session_form.html", {"form": form, "session": None}, status=status
    )


@login_required
def session_edit(request, pk: int):
    s = _managed(request, pk)
    initial = {
        "participating_hubs": list(s.participating_hubs.all()),
        "countries": list(s.countries.all()),
        "objectives": [t.code for t in s.objectives.all()],
        "dimensions": s.dimensions,
        "goals": s.goals,
        "materials": s.materials,
        "conclusions": s.conclusions,
        "challenges": s.challenges,
        "resources": list(s.resources.all()),
    }
    form = forms.SessionFieldsForm(request.POST or None, initial=initial, user=request.user)
    status = 200
    if request.method == "POST":
        saved = form_saved(
            request,
            form,
            lambda _data: sessions.update_session(
                actor=request.user, session=s, **form.service_fields()
            ),
            done=_("Session saved."),
            then=s,
        )
        if saved:
            return saved
        status = 422
    return render(
        request, "exchange/session_form.html", {"form": form, "session": s}, status=status
    )


@login_required
@require_POST
def commitment_add(request, pk: int):
    s = _managed(request, pk)
    form = forms.CommitmentForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: sessions.add_commitment(actor=request.user, session=s, **data),
        done=_("Commitment added."),
        then=s,
    )
    return saved or session_detail(request, pk, commitment_form=form, status=422)


@login_required
@require_POST
def commitment_status(request, pk: int):
    c = get_object_or_404(Commitment.objects.select_related("session__event", "hub"), pk=pk)
    if not perms.can_update_commitment(request.user, c):
        raise PermissionDenied
    form = forms.CommitmentStatusForm(request.POST)
    if form.is_valid():
        sessions.update_commitment(
            actor=request.user, commitment=c, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Commitment updated."))
    return redirect(c.session)


@login_required
@require_POST
def invitation_add(request, pk: int):
    s = _managed(request, pk)
    form = forms.InvitationForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: sessions.invite(actor=request.user, session=s, **data),
        then=s.get_absolute_url() + "#dialogue",
    )
    return saved or session_detail(request, pk, invitation_form=form, status=422)


@login_required
@require_POST
def invitation_status(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.select_related("session__event"), pk=pk)
    if not perms.can_manage_session(request.user, invitation.session):
        raise PermissionDenied
    run_action(
        request,
        lambda: sessions.set_invitation_status(
            actor=request.user, invitation=invitation, status=request.POST.get("status", "")
        ),
    )
    return redirect(invitation.session.get_absolute_url() + "#dialogue")


@login_required
@require_POST
def invitation_remove(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.select_related("session__event"), pk=pk)
    if not perms.can_manage_session(request.user, invitation.session):
        raise PermissionDenied
    session = invitation.session
    sessions.remove_invitation(actor=request.user, invitation=invitation)
    return redirect(session.get_absolute_url() + "#dialogue")


@login_required
@require_POST
def dialogue_hold(request, pk: int):
    s = _managed(request, pk)
    run_action(
        request,
        lambda: sessions.hold_dialogue(actor=request.user, session=s),
        done=_("The dialogue is marked as held."),
    )
    return redirect(s.get_absolute_url() + "#dialogue")


@login_required
@require_POST
def dialogue_record(request, pk: int):
    s = _managed(request, pk)
    form = forms.DialogueForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: sessions.record_dialogue(actor=request.user, session=s, **data),
        done=_("Conclusions and next steps recorded."),
        then=s.get_absolute_url() + "#dialogue",
    )
    return saved or session_detail(request, pk, dialogue_form=form, status=422)


@login_required
@require_POST
def dialogue_stage(request, pk: int):
    s = _managed(request, pk)
    hub = sessions.dialogue_stage_offer(s)
    if hub is None or not perms.can_record_stage(request.user, hub):
        raise PermissionDenied
    run_action(
        request,
        lambda: sessions.record_dialogue_stage(actor=request.user, session=s),
        done=_("The hub's stage change is recorded with the dialogue as evidence."),
    )
    return redirect(s.get_absolute_url() + "#dialogue")

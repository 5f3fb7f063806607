"""Pages of twinning agreements and support requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.exchange import forms, support, twinning
from echos.exchange import permissions as perms
from echos.exchange.levels import dimension_titles
from echos.exchange.models import Milestone, SupportRequest, Twinning
from echos.exchange.view_flow import form_saved, run_action
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub

# --- twinnings ----------------------------------------------------------------------------------


@login_required
def twinning_list(request):
    ids = perms.team_hub_ids(request.user)
    found = Twinning.objects.prefetch_related("hubs")
    if ids is not None:
        found = found.filter(hubs__in=ids).distinct()
    return render(
        request,
        "exchange/twinnings.html",
        {
            "twinnings": found[:200],
            "can_create": hub_perms.editable_hubs(request.user).exists(),
        },
    )


def _twinning(request, pk: int) -> Twinning:
    t = get_object_or_404(Twinning, pk=pk)
    if not perms.can_view_twinning(request.user, t):
        raise PermissionDenied
    return t


def _levels_table(t: Twinning, hubs: list[Hub]) -> list[dict]:
    titles = dimension_titles()
    rows = []
    for hub in hubs:
        before = t.levels_before.get(str(hub.pk), {})
        after = t.levels_after.get(str(hub.pk), {})
        for d in t.dimensions:
            rows.append(
                {
                    "hub": hub,
                    "dimension": titles.get(d, d),
                    "before": before.get(d),
                    "after": after.get(d),
                }
            )
    return rows


@login_required
def twinning_detail(request, pk: int, *, status: int = 200, update_form=None) -> HttpResponse:
    t = _twinning(request, pk)
    hubs = list(t.hubs.all())
    can_edit = perms.can_edit_twinning(request.user, t)
    return render(
        request,
        "exchange/twinning.html",
        {
            "twinning": t,
            "hubs": hubs,
            "can_edit": can_edit,
            "levels": _levels_table(t, hubs),
            "milestones": t.milestones.all(),
            "notes": t.notes.all(),
            "update_form": update_form
            or (
                forms.TwinningUpdateForm(
                    initial={
                        "practice": t.practice,
                        "adaptation": t.adaptation,
                        "outcome": t.outcome,
                        "status": t.status,
                    }
                )
                if can_edit
                else None
            ),
            "milestone_form": forms.MilestoneForm() if can_edit else None,
            "note_form": forms.NoteForm() if can_edit else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def twinning_create(request):
    if not hub_perms.editable_hubs(request.user).exists():
        raise PermissionDenied
    form = forms.TwinningForm(request.POST or None)
    status = 200
    if request.method == "POST":

        def create(cleaned):
            data = dict(cleaned)
            data["hubs"] = list(data["hubs"])
            if not perms.can_create_twinning(request.user, data["hubs"]):
                raise PermissionDenied
            return twinning.create_twinning(actor=request.user, **data)

        if saved := form_saved(request, form, create, done=_("Twinning agreement recorded.")):
            return saved
        status = 422
    return render(request, "exchange/twinning_form.html", {"form": form}, status=status)


def _editable_twinning(request, pk: int) -> Twinning:
    t = _twinning(request, pk)
    if not perms.can_edit_twinning(request.user, t):
        raise PermissionDenied
    return t


@login_required
@require_POST
def twinning_update(request, pk: int):
    t = _editable_twinning(request, pk)
    form = forms.TwinningUpdateForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: twinning.update_twinning(actor=request.user, twinning=t, **data),
        done=_("Agreement saved."),
        then=t,
    )
    return saved or twinning_detail(request, pk, status=422, update_form=form)


@login_required
@require_POST
def milestone_add(request, pk: int):
    t = _editable_twinning(request, pk)
    form = forms.MilestoneForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: twinning.add_milestone(actor=request.user, twinning=t, **form.cleaned_data),
        )
    else:
        messages.error(request, _("Give the milestone and its date."))
    return redirect(t)


@login_required
@require_POST
def milestone_done(request, pk: int):
    m = get_object_or_404(Milestone.objects.select_related("twinning"), pk=pk)
    _editable_twinning(request, m.twinning_id)
    done_on = None if m.done_on else timezone.localdate()
    twinning.mark_milestone(actor=request.user, milestone=m, done_on=done_on)
    return redirect(m.twinning)


@login_required
@require_POST
def note_add(request, pk: int):
    t = _editable_twinning(request, pk)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        twinning.add_note(actor=request.user, twinning=t, text=form.cleaned_data["text"])
    else:
        messages.error(request, _("Write the note."))
    return redirect(t)


# --- support requests ---------------------------------------------------------------------------


@login_required
def request_list(request):
    ids = perms.team_hub_ids(request.user)
    found = SupportRequest.objects.visible_to(request.user, ids).select_related("hub", "objective")
    wanted = request.GET.get("status", "")
    if wanted in SupportRequest.Status.values:
        found = found.filter(status=wanted)
    return render(
        request,
        "exchange/requests.html",
        {
            "requests": found[:200],
            "status": wanted,
            "statuses": SupportRequest.Status.choices,
            "can_create": hub_perms.editable_hubs(request.user).exists(),
        },
    )


def _request(request, pk: int) -> SupportRequest:
    r = get_object_or_404(SupportRequest.objects.select_related("hub", "objective"), pk=pk)
    if not perms.can_view_request(request.user, r):
        raise PermissionDenied
    return r


def _answer_hubs(user):
    ids = perms.team_hub_ids(user)
    return Hub.objects.all() if ids is None else Hub.objects.filter(pk__in=ids)


@login_required
def request_detail(request, pk: int, *, answer_form=None, status: int = 200) -> HttpResponse:
    r = _request(request, pk)
    can_manage = perms.can_manage_request(request.user, r)
    can_answer = perms.can_answer_request(request.user, r)
    return render(
        request,
        "exchange/request.html",
        {
            "req": r,
            "answers": r.answers.select_related("hub"),
            "asked": r.asked_hubs.all(),
            "dimension": dimension_titles().get(r.dimension, r.dimension),
            "can_manage": can_manage,
            "can_answer": can_answer,
            "answer_form": answer_form
            or (forms.AnswerForm(hubs=_answer_hubs(request.user)) if can_answer else None),
            "suggestions": support.suggestions(request.user, r) if can_manage else [],
        },
        status=status,
    )


@login_required
def request_create(request):
    hubs = hub_perms.editable_hubs(request.user).order_by("name_en")
    if not hubs.exists():
        raise PermissionDenied
    form = forms.RequestForm(request.POST or None, hubs=hubs)
    status = 200
    if request.method == "POST":

        def create(cleaned):
            data = dict(cleaned)
            hub = data.pop("hub")
            data["objective"] = data["objective"] or None
            return support.create_request(actor=request.user, hub=hub, **data)

        if saved := form_saved(
            request, form, create, done=_("Your request is sent to the network.")
        ):
            return saved
        status = 422
    return render(request, "exchange/request_form.html", {"form": form}, status=status)


@login_required
@require_POST
def request_answer(request, pk: int):
    r = _request(request, pk)
    if not perms.can_answer_request(request.user, r):
        raise PermissionDenied
    form = forms.AnswerForm(request.POST, hubs=_answer_hubs(request.user))
    saved = form_saved(
        request,
        form,
        lambda data: support.answer(actor=request.user, request=r, **data),
        done=_("Your answer is posted."),
        then=r,
    )
    return saved or request_detail(request, pk, answer_form=form, status=422)


@login_required
@require_POST
def request_status(request, pk: int):
    r = _request(request, pk)
    if not perms.can_manage_request(request.user, r):
        raise PermissionDenied
    wanted = request.POST.get("status", "")
    run_action(
        request, lambda: support.set_request_status(actor=request.user, request=r, status=wanted)
    )
    return redirect(r)


@login_required
@require_POST
def request_ask(request, pk: int):
    """Ask a suggested hub."""
    r = _request(request, pk)
    if not perms.can_manage_request(request.user, r):
        raise PermissionDenied
    hub_id = request.POST.get("hub", "")
    if not hub_id.isdigit():
        messages.error(request, _("Choose a hub."))
        return redirect(r)
    run_action(
        request,
        lambda: support.ask_hubs(actor=request.user, request=r, hubs=[int(hub_id)]),
        done=_("The hub is asked and told by e-mail."),
    )
    return redirect(r)

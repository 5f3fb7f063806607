"""The privacy notice and the coordinators' privacy page: they gather every app's section."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.core.roles import is_network_coordinator
from echos.core.search import MAX_QUERY, search_everything
from echos.site import privacy
from echos.site.privacy import people

# --- privacy ---------------------------------------------------------------------------------------


def privacy_notice(request):
    """What personal data echos keeps, why, who sees it, how long, and how to ask for it."""
    return render(
        request,
        "core/privacy_notice.html",
        {"limits": privacy.retention_limits(), "contact": privacy.privacy_contact()},
    )


def _privacy_guard(request):
    if not is_network_coordinator(request.user):
        raise PermissionDenied


def _privacy_subject(data):
    """The subject named by ``user`` or ``email`` in a query or form, or None."""
    username, email = data.get("user", "").strip(), data.get("email", "").strip()
    if not username and not email:
        return None
    return privacy.find_subject(username=username, email=email)


@never_cache
def privacy_people(request):
    """Network coordinators: find a person, see what is stored, export or erase it.

    The search covers people without an account (registrations, contributions, contact people);
    opening one uses the same functions as ``echos privacy export/erase``.
    """
    _privacy_guard(request)
    query = request.GET.get("q", "").strip()
    context = {"query": query, "people": None, "subject": None}
    if query:
        context["people"] = people.search_people(query)
    try:
        subject = _privacy_subject(request.GET)
    except privacy.SubjectError as exc:
        messages.error(request, str(exc))
        subject = None
    if subject is not None:
        data = privacy.collect(subject)  # looking is not exporting: not audited
        context.update(
            subject=subject,
            account=data["accounts"]["account"],
            preview=privacy.preview(data),
            empty=privacy.is_empty(data),
        )
    return render(request, "core/privacy_person.html", context)


def _posted_subject(request):
    """The person named in a privacy POST, or a 400 response saying what is missing."""
    _privacy_guard(request)
    try:
        subject = _privacy_subject(request.POST)
    except privacy.SubjectError as exc:
        return None, HttpResponseBadRequest(str(exc))
    if subject is None:
        return None, HttpResponseBadRequest("Give a username or an e-mail address.")
    return subject, None


@require_POST
def privacy_export(request):
    """Download everything stored about one person as JSON (audited)."""
    subject, refusal = _posted_subject(request)
    if refusal is not None:
        return refusal
    data = privacy.export_subject(subject, actor=request.user)
    response = HttpResponse(privacy.export_json(data), content_type="application/json")
    name = slugify(subject.label.replace("@", "-at-")) or "person"
    response["Content-Disposition"] = f'attachment; filename="echos-export-{name}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def privacy_erase(request):
    """Erase one person: the first POST shows what would change, the confirmed one erases."""
    subject, refusal = _posted_subject(request)
    if refusal is not None:
        return refusal
    if subject.user is not None and subject.user.pk == request.user.pk:
        messages.error(
            request, _("You cannot erase your own account here; ask another coordinator.")
        )
        query = urlencode({"user": subject.user.username})
        return redirect(f"{reverse('privacy_people')}?{query}")
    if request.POST.get("confirmed") != "yes":
        summary = privacy.erase_subject(subject, apply=False)
        return render(
            request,
            "core/privacy_person.html",
            {"subject": subject, "confirm": summary, "rows": privacy.summary_rows(summary)},
        )
    summary = privacy.erase_subject(subject, actor=request.user, apply=True)
    if summary["changed"]:
        messages.success(request, _("The person has been erased. An audit entry records it."))
    else:
        messages.info(request, _("Nothing was stored about this person."))
    return redirect("privacy_people")


def site_search(request):
    """The search of the header: hubs, organisations, events, consultations, initiatives and
    resources at once, each app answering for what the visitor may see (core.search)."""
    query = request.GET.get("q", "")
    context: dict = {"q": " ".join(query.split())[:MAX_QUERY], "sections": [], "error": ""}
    if "q" in request.GET:
        try:
            context["sections"] = search_everything(request.user, query)
        except RuleViolation as refusal:
            context["error"] = refusal.message
    status = 400 if context["error"] else 200
    return render(request, "site_search.html", context, status=status)

"""Pages of the library: the list and search, a resource with its versions, the forms, downloads.

A resource the reader may not see answers 404, as if it did not exist. Files are only ever sent
as attachments with their checked content type, ``nosniff`` and a sandboxing CSP.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.core.filters import ignored_item, say_ignored, unknown_parameters
from echos.core.multilingual import languages_of, shown
from echos.library import permissions as perms
from echos.library import search, services, vocab
from echos.library.forms import FilterForm, ResourceForm, VersionForm
from echos.library.models import Resource, ResourceVersion

PAGE_SIZE = 20


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def index(request):
    """Public: the resources the reader may see, searched and filtered, translations grouped."""
    labels = vocab.all_choices()  # read once: the filters' checkboxes and the results' tags
    form = FilterForm(request.GET or None, known=labels)
    filters = form.filters()
    # A value that names nothing is dropped and named in the site's one notice (core.filters).
    say_ignored(
        request,
        [ignored_item(n, request.GET.get(n)) for n in form.errors if n in form.fields and n != "q"]
        + unknown_parameters(request.GET, form.fields),
    )
    query = request.GET.get("q", "").strip()
    page_number = request.GET.get("page", "1")
    number = int(page_number) if page_number.isdigit() and 0 < int(page_number) < 10_000 else 1
    context: dict = {"form": form, "q": query, "error": "", "results": None, "page": None}
    if "q" in request.GET:
        try:
            found = search.search(
                query,
                user=request.user,
                page=number,
                per_page=PAGE_SIZE,
                prefer_language=_language(),
                count_cap=search.COUNT_CAP,
                **filters,
            )
        except RuleViolation as exc:
            context["error"] = exc.message
        else:
            context["results"] = found
    else:
        resources = search.browse(user=request.user, prefer_language=_language(), **filters)
        page = Paginator(resources.select_related("hub", "organisation"), PAGE_SIZE).get_page(
            number
        )
        context["page"] = page
        context["translations"] = search.translations_of(request.user, list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    context["query"] = params.urlencode()
    context["filtering"] = bool(filters["language"] or filters["type"] or filters["tags"])
    context["can_add"] = perms.can_add_resource(request.user)
    context["labels"] = labels
    return render(request, "library/index.html", context)


def _visible(request, pk: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("hub", "organisation"), pk=pk)
    if not perms.can_view_resource(request.user, resource):
        raise Http404
    return resource


def resource_detail(request, pk: int):
    """A resource: its description, tags, versions (history), translations and downloads."""
    resource = _visible(request, pk)
    known = vocab.all_choices()
    translations = (
        Resource.objects.visible_to(request.user)
        .filter(translation_group=resource.translation_group)
        .exclude(pk=resource.pk)
        .order_by("language")
    )
    return render(
        request,
        "library/resource.html",
        {
            "resource": resource,
            "versions": list(resource.versions.select_related("uploaded_by")),
            "tags": [
                (tag, vocab.label(tag.vocabulary, tag.code, known)) for tag in resource.tags.all()
            ],
            "translations": translations,
            "text_languages": [
                code for code in languages_of(resource) if code != shown(resource, "title").language
            ],
            "language_name": vocab.language_name(resource.language),
            "can_edit": perms.can_edit_resource(request.user, resource),
            "can_add": perms.can_add_resource(request.user),
            "version_form": VersionForm(),
        },
    )


def _editable(request, pk: int) -> Resource:
    resource = _visible(request, pk)
    if not perms.can_edit_resource(request.user, resource):
        raise PermissionDenied
    return resource


@login_required
def resource_edit(request, pk: int | None = None):
    """Add (no ``pk``; ``?translation_of=`` adds a translation) or change a resource."""
    resource = _editable(request, pk) if pk else None
    translation_of = None
    if resource is None:
        source = request.GET.get("translation_of", "")
        if source.isdigit() and len(source) < 19:
            translation_of = _visible(request, int(source))
        if not perms.can_add_resource(request.user):
            raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, user=request.user, resource=resource)
        if form.is_valid():
            try:
                if resource is None:
                    saved = services.create_resource(
                        actor=request.user,
                        file=form.cleaned_data.get("file"),
                        translation_of=translation_of,
                        **form.service_fields(),
                    )
                else:
                    saved = services.update_resource(
                        actor=request.user, resource=resource, **form.service_fields()
                    )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Resource saved."))
                return redirect(saved)
        status = 422
    else:
        initial = ResourceForm.initial_for(resource) if resource else {"language": _language()}
        if translation_of is not None:
            initial = ResourceForm.initial_for(translation_of) | {"title": "", "description": ""}
            initial["language"] = ""
        form = ResourceForm(initial=initial, user=request.user, resource=resource)
    return render(
        request,
        "library/resource_form.html",
        {"form": form, "resource": resource, "translation_of": translation_of},
        status=status,
    )


@login_required
def resource_delete(request, pk: int):
    """A confirmation page, then the deletion of the resource and all its versions."""
    resource = _editable(request, pk)
    if request.method == "POST":
        services.delete_resource(actor=request.user, resource=resource)
        messages.success(request, _("Resource deleted."))
        return redirect("library:index")
    return render(request, "library/resource_delete.html", {"resource": resource})


@login_required
@require_POST
def version_add(request, pk: int):
    """Upload a new file; the older ones stay in the history."""
    resource = _editable(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.add_version(
                actor=request.user, resource=resource, file=form.cleaned_data["file"]
            )
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Version %(n)s uploaded.") % {"n": version.number})
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect(resource)


def download(request, pk: int, number: int):
    """One version's file, always as an attachment (never rendered by the browser)."""
    resource = _visible(request, pk)
    version = get_object_or_404(ResourceVersion, resource=resource, number=number)
    try:
        stored = version.file.open("rb")
    except OSError:
        raise Http404 from None
    services.record_download(resource=resource)
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def open_link(request, pk: int):
    """Count a visit of a link resource and send the reader there."""
    resource = _visible(request, pk)
    if not resource.url:
        raise Http404
    services.record_download(resource=resource)
    return HttpResponseRedirect(resource.url)

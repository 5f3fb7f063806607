"""Pages of the assessment capability: fill and read responses, hub maturity, consensus, network."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from echos.assessment import benchmarks, cached, charts, scoring, services
from echos.assessment import permissions as perms
from echos.assessment.models import ConsensusRound, Evidence, Response
from echos.core.exceptions import RuleViolation
from echos.core.models import Country
from echos.core.spreadsheets import SafeWriter, append_row
from echos.hubs.models import Hub, Organisation, Stage
from echos.hubs.permissions import editable_hubs
from echos.questionnaires import engine
from echos.questionnaires.services import AnswersInvalid

NETWORK_PAGE = 100


def _definition_sections(response: Response, errors: dict | None = None) -> list[dict]:
    """Sections with their questions, current answers, options and errors, for the form template."""
    answers = response.answers
    out = []
    for section in engine.parse(response.instrument.definition):
        items = []
        for q in section.questions:
            items.append(
                {
                    "q": q,
                    "value": answers.get(q.code),
                    "error": (errors or {}).get(q.code),
                    "visible": engine.is_visible(q, answers),
                    "evidence": [e for e in response.evidence.all() if e.question == q.code],
                }
            )
        out.append({"section": section, "items": items})
    return out


def _get_response_for_user(request, pk: int, check=perms.can_read_response) -> Response:
    response = get_object_or_404(
        Response.objects.select_related("instrument", "hub", "country", "round"), pk=pk
    )
    if not check(request.user, response):
        raise PermissionDenied
    return response


@login_required
def index(request):
    """The user's assessments: hubs they can answer for, their drafts, open rounds."""
    hubs = list(editable_hubs(request.user).select_related("country").in_hierarchy_order()[:200])
    drafts = Response.objects.filter(
        respondent=request.user, status=Response.Status.DRAFT
    ).select_related("instrument", "hub", "country")
    rounds = (
        ConsensusRound.objects.filter(
            status=ConsensusRound.Status.OPEN, hub__roles__user=request.user
        )
        .select_related("hub")
        .distinct()
    )
    return render(
        request,
        "assessment/index.html",
        {
            "hubs": hubs,
            "drafts": drafts,
            "rounds": rounds,
            "can_view_network": perms.can_view_network(request.user),
            "countries_without_hub": Country.objects.exclude(hubs__level="national")
            if perms.can_view_network(request.user)
            else [],
        },
    )


@login_required
@require_POST
def start(request, instrument: str):
    """Open (or resume) a draft for a hub or a country without a hub."""
    hub = Hub.objects.filter(pk=request.POST.get("hub") or 0).first()
    country = Country.objects.filter(pk=(request.POST.get("country") or "").upper()).first()
    code = {"maturity": services.MATURITY, "mapping": services.MAPPING}.get(instrument)
    if code is None:
        raise Http404
    try:
        response = services.start_response(
            actor=request.user,
            instrument=services.current_instrument(code),
            hub=hub,
            country=country,
        )
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("assessment:index")
    return redirect("assessment:response", response.pk)


@login_required
@require_POST
def rate(request, round_id: int):
    """Start (or resume) the user's individual rating in a consensus round."""
    round = get_object_or_404(ConsensusRound, pk=round_id)
    response = services.start_response(actor=request.user, instrument=round.instrument, round=round)
    return redirect("assessment:response", response.pk)


def response_detail(request, pk: int):
    """A draft is a form for its respondent; otherwise the answers are shown read-only."""
    response = _get_response_for_user(request, pk)
    editable = perms.can_edit_response(request.user, response)
    errors = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        answers = engine.answers_from_post(response.instrument.definition, request.POST)
        errors = services.save_draft(actor=request.user, response=response, answers=answers)
        if "submit" in request.POST and not errors:
            try:
                services.submit_response(
                    actor=request.user,
                    response=response,
                    is_public=request.POST.get("is_public") == "on",
                )
            except AnswersInvalid as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Submitted. Thank you."))
                if (
                    response.hub_id
                    and response.instrument.kind == "maturity"
                    and not response.round_id
                ):
                    return redirect("assessment:hub", response.hub_id)
                return redirect("assessment:response", response.pk)
        elif not errors:
            messages.success(request, _("Draft saved. You can come back and finish it later."))
            return redirect("assessment:response", response.pk)
        response.answers = {**response.answers, **answers}
    context = {
        "response": response,
        "editable": editable,
        "errors": errors,
        "sections": _definition_sections(response, errors),
        "currencies": [
            "EUR",
            "NOK",
            "PLN",
            "CHF",
            "GBP",
            "SEK",
            "DKK",
            "CZK",
            "HUF",
            "RON",
            "BGN",
            "ISK",
            "TRY",
            "UAH",
        ],
        "organisations": _organisation_choices(response) if editable else [],
    }
    return render(request, "assessment/response.html", context, status=422 if errors else 200)


def _organisation_choices(response: Response):
    return Organisation.objects.filter(country=response.country).order_by("name")[:500]


@login_required
@require_POST
def evidence_add(request, pk: int):
    response = _get_response_for_user(request, pk, perms.can_edit_response)
    try:
        services.add_evidence(
            actor=request.user,
            response=response,
            question=request.POST.get("question", ""),
            link=request.POST.get("link", "").strip(),
            upload=request.FILES.get("file"),
        )
    except RuleViolation as exc:
        messages.error(request, f"{exc.field}: {exc.message}")
    else:
        messages.success(request, _("Evidence attached."))
    return redirect(
        reverse("assessment:response", args=[pk]) + f"#q-{request.POST.get('question', '')}"
    )


@login_required
def evidence_download(request, pk: int):
    """Evidence files are always downloaded as attachments, never rendered by the browser."""
    evidence = get_object_or_404(Evidence.objects.select_related("response__hub"), pk=pk)
    if not perms.can_read_response(request.user, evidence.response):
        raise PermissionDenied
    if not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.filename,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def hub_maturity(request, hub_id: int):
    """Scores, radar against the network and peers at the same stage, history and next steps."""
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    if not perms.can_view_hub_scores(request.user, hub):
        raise PermissionDenied
    # Every hub's scores and the medians are shared by every viewer (cached per data version);
    # which peers may be named is decided for this user below.
    summary = cached.maturity()
    definition, dims, scores = summary["definition"], summary["dims"], summary["scores"]
    index = summary["by_hub"].get(hub.pk)
    own = scores[index] if index is not None else None
    network = summary["network"]
    same_stage = summary["stages"].get(hub.stage) or scoring.medians([], [c for c, _t in dims])
    series = [
        (_("Network median"), network),
        (_("Hubs at stage: %(s)s") % {"s": Stage(hub.stage).label}, same_stage),
    ]
    # A median over too few hubs is not published: it would give away a peer's score.
    too_few = [name for name, levels in series if all(v is None for v in levels.values())]
    series = [(name, levels) for name, levels in series if name not in too_few]
    if own:
        series.insert(0, (hub.name_en, own["dimensions"]))
    peers = benchmarks.peers_visible_to(request.user, scores, hub)
    table = [
        {
            "code": c,
            "title": t,
            "own": own["dimensions"].get(c) if own else None,
            "network": network[c],
            "stage": same_stage[c],
        }
        for c, t in dims
    ]
    can_manage = perms.can_manage_round(request.user, hub)
    recommendations = (
        scoring.recommendations(definition, own["dimensions"], network, peers) if own else []
    )
    history = benchmarks.hub_history(hub, request.user)
    for h in history:  # each dimension's level and change, in column order
        h["cells"] = [(h["dimensions"].get(c), h["change"].get(c)) for c, _t in dims]
    # The library's next-steps panel reads the resources of every step shown at once.
    page_dimensions = [r["dimension"] for r in recommendations]
    for r in recommendations:
        r["page_dimensions"] = page_dimensions
    return render(
        request,
        "assessment/hub.html",
        {
            "hub": hub,
            "own": own,
            "table": table,
            "radar": charts.radar_spec(dims, series) if series else None,
            "legend": charts.radar_legend(series),
            "medians_withheld": any(r["network"] is None or r["stage"] is None for r in table),
            "median_min_hubs": scoring.MEDIAN_MIN_HUBS,
            "history": history,
            "dims": dims,
            "recommendations": recommendations,
            "can_answer": perms.can_answer_for(request.user, hub),
            "can_manage": can_manage,
            "open_round": hub.consensus_rounds.filter(status=ConsensusRound.Status.OPEN).first(),
            "past_rounds": hub.consensus_rounds.filter(status=ConsensusRound.Status.CLOSED)[:5],
        },
    )


@login_required
@require_POST
def round_open(request, hub_id: int):
    hub = get_object_or_404(Hub, pk=hub_id)
    try:
        round = services.open_round(actor=request.user, hub=hub)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("assessment:hub", hub.pk)
    messages.success(request, _("Consensus round opened: each team member can now rate the hub."))
    return redirect("assessment:round", round.pk)


@login_required
def round_detail(request, round_id: int):
    """Individual ratings side by side, disagreements flagged, and the consensus form."""
    round = get_object_or_404(
        ConsensusRound.objects.select_related("hub", "instrument"), pk=round_id
    )
    can_manage = perms.can_manage_round(request.user, round.hub)
    if not (
        can_manage
        or perms.can_rate_in_round(request.user, round)
        or (round.consensus and perms.can_read_response(request.user, round.consensus))
    ):
        raise PermissionDenied
    definition = round.instrument.definition
    titles = scoring.dimension_titles(definition)
    spread = services.round_spread(round)
    error = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        levels, notes = {}, {}
        for row in spread:
            raw = request.POST.get(f"level_{row['dimension']}", "")
            if raw:
                levels[row["dimension"]] = int(raw) if raw.isdigit() else raw
            notes[row["dimension"]] = request.POST.get(f"note_{row['dimension']}", "").strip()
        try:
            services.record_consensus(
                actor=request.user,
                round=round,
                levels=levels,
                notes=notes,
                is_public=request.POST.get("is_public") == "on",
            )
        except AnswersInvalid as exc:
            error = (
                _("Give an agreed level for every dimension (1–5).") + f" ({', '.join(exc.errors)})"
            )
        except RuleViolation as exc:
            error = exc.message
        else:
            messages.success(request, _("Consensus recorded as the hub's assessment."))
            return redirect("assessment:hub", round.hub_id)
    levels = {q.dimension: q.levels for q in scoring.dimension_questions(definition)}
    rows = [
        {**row, "title": titles.get(row["dimension"]), "levels": levels[row["dimension"]]}
        for row in spread
    ]
    raters = round.responses.filter(kind=Response.Kind.INDIVIDUAL).select_related("respondent")
    return render(
        request,
        "assessment/round.html",
        {
            "round": round,
            "rows": rows,
            "raters": raters,
            "can_manage": can_manage,
            "error": error,
            "can_rate": perms.can_rate_in_round(request.user, round),
            "submitted": sum(1 for r in raters if r.status == Response.Status.SUBMITTED),
        },
        status=422 if error else 200,
    )


def _network_rows(request):
    view = cached.network(request.GET.get("sort", "country"))
    return view["definition"], view["dims"], view["scores"], view["sort"]


@login_required
def network(request):
    """The secretariat's view of Europe's maturity."""
    if not perms.can_view_network(request.user):
        raise PermissionDenied
    view = cached.network(request.GET.get("sort", "country"))
    scores, sort = view["scores"], view["sort"]
    page = Paginator(scores, NETWORK_PAGE).get_page(request.GET.get("page"))
    context = {
        "dims": view["dims"],
        "scores": scores,
        "sort": sort,
        "map_spec": view["map_spec"],
        "map_rows": view["map_rows"],
        # 2,000 hubs × 8 dimensions is too long for one page; the exports hold everything.
        "page": page,
        # The table's rows are the same for everyone who may see them: rendered once per page.
        "rows_html": cached.fragment(
            view,
            "network-rows",
            lambda: render_to_string(
                "assessment/_network_rows.html", {"page": page, "dims": view["dims"]}
            ),
            page.number,
        ),
        "query": f"sort={sort}",
        "distribution": view["distribution"],
        "stale": view["stale"],
        "stale_count": view["stale_count"],
    }
    return render(request, "assessment/network.html", context)


@login_required
def network_export(request, fmt: str):
    """Hubs × dimensions as CSV or XLSX."""
    if not perms.can_view_network(request.user):
        raise PermissionDenied
    _definition, dims, scores, _sort = _network_rows(request)
    header = [
        "hub_id",
        "hub",
        "country",
        "level",
        "stage",
        "submitted",
        "overall",
        *[c for c, _t in dims],
    ]
    rows = [
        [
            s["hub_id"],
            s["name"],
            s["country"],
            s["level"],
            s["stage"],
            s["submitted_at"].date().isoformat(),
            s["overall"],
            *[s["dimensions"].get(c) for c, _t in dims],
        ]
        for s in scores
    ]
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("maturity")
        sheet.append(header)
        for row in rows:
            append_row(sheet, row)
        out: io.BytesIO | io.StringIO = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        out = io.StringIO()
        writer = SafeWriter(out)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="maturity.{fmt}"'
    return response


@login_required
def mapping_analysis(request):
    """Distributions, common traits, unique features, clusters and a map per question."""
    if not perms.can_view_network(request.user):
        raise PermissionDenied
    view = cached.mapping(request.GET.get("question") or "")
    context = {
        "rows": view["rows"],
        "distributions": view["distributions"],
        "traits": view["traits"],
        "clusters": view["clusters"],
        "questions": view["questions"],
        "selected": view["selected"],
        "by_country": view["by_country"],
        "names": view["names"],
        "map_spec": view["map_spec"],
    }
    # Every network coordinator sees the same analysis: rendered once per question and aggregate.
    context["body"] = cached.fragment(
        view,
        "mapping-body",
        lambda: render_to_string("assessment/_mapping_body.html", context),
        view["selected"],
    )
    return render(request, "assessment/mapping.html", context)


@login_required
def mapping_export(request):
    """Every answer option of the mapping survey with its count, share and countries, as CSV."""
    if not perms.can_view_network(request.user):
        raise PermissionDenied
    view = cached.mapping("")
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        ["section", "question", "text", "answer", "label", "count", "share", "countries"]
    )
    for d in view["distributions"]:
        for c in d.get("counts", []):
            writer.writerow(
                [
                    d["section"],
                    d["question"],
                    d["text"],
                    c["value"],
                    c["label"],
                    c["count"],
                    round(c["share"], 4),
                    " ".join(c["countries"]),
                ]
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mapping-analysis.csv"'
    return response

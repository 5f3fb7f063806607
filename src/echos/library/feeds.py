"""Atom feed of the newest public resources, whole or filtered like the library's list.

Only ``Resource.objects.public()`` ever reaches a feed: a network or hub-only resource is never in
it, whoever asks (the feed is the same for everyone, so it is cacheable). Filters: ``language``
(ISO 639-1), ``type`` (a ``ResourceType`` code) and tags, as the API writes them (``tag``:
``vocabulary:code``, repeatable) or as the list page does (``tag_dimensions=funding``); tags
combine with AND. An unknown value answers 404 so that a typo is not an empty feed.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from echos.core.exceptions import RuleViolation
from echos.core.languages import language_codes
from echos.library import vocab
from echos.library.models import Resource, ResourceTag, ResourceType, Vocabulary
from echos.library.oai import clean_xml

MAX_ENTRIES = 50
MAX_TAGS = 10
CONTENT_TYPE = "application/atom+xml; charset=utf-8"


@dataclass(frozen=True)
class FeedFilters:
    """The feed's filters, already checked."""

    language: str = ""
    type: str = ""
    tags: tuple[tuple[str, str], ...] = ()


def filters_from(request: HttpRequest) -> FeedFilters:
    """The filters of the query string; 404 for an unknown language, type or tag."""
    language = (request.GET.get("language") or "").strip().lower()
    if language and language not in language_codes():
        raise Http404(_("Unknown language."))
    kind = (request.GET.get("type") or "").strip()
    if kind and kind not in ResourceType.values:
        raise Http404(_("Unknown resource type."))
    given = [t for t in request.GET.getlist("tag") if t.strip()]
    # The list page's own form names: ``tag_dimensions=funding``.
    for vocabulary in Vocabulary.values:
        given += [
            f"{vocabulary}:{c}" for c in request.GET.getlist(f"tag_{vocabulary}") if c.strip()
        ]
    if len(given) > MAX_TAGS:
        raise Http404(_("Too many tags."))
    try:
        tags = vocab.check_tags([vocab.parse_tag(value, "tag") for value in given], "tag")
    except RuleViolation as exc:
        raise Http404(_("Unknown tag.")) from exc
    return FeedFilters(language=language, type=kind, tags=tuple(tags))


def feed_resources(filters: FeedFilters) -> list[Resource]:
    """The newest public resources matching the filters, at most ``MAX_ENTRIES``."""
    qs = Resource.objects.public()
    if filters.language:
        qs = qs.in_language(filters.language)
    if filters.type:
        qs = qs.of_type(filters.type)
    for vocabulary, code in filters.tags:
        qs = qs.tagged(vocabulary, code)
    qs = qs.select_related("hub", "organisation").prefetch_related(
        Prefetch("tags", queryset=ResourceTag.objects.order_by("vocabulary", "code"))
    )
    return list(qs.order_by("-created_at", "-pk")[:MAX_ENTRIES])


def _author(resource: Resource) -> str:
    if resource.hub is not None:
        return str(resource.hub)
    if resource.organisation is not None:
        return str(resource.organisation)
    return "echos"


def build_feed(request: HttpRequest, filters: FeedFilters) -> Atom1Feed:
    """The Atom document of the filtered resources (absolute links from the request)."""
    resources = feed_resources(filters)
    list_url = request.build_absolute_uri(reverse("library:index"))
    feed = Atom1Feed(
        title=_("Cancer Mission Hubs library: new resources"),
        link=list_url,
        description=_("New public documents and links of the Cancer Mission Hubs library."),
        feed_url=request.build_absolute_uri(request.get_full_path()),
        # Each filtered feed is a feed of its own, so its id is its own address.
        feed_guid=request.build_absolute_uri(request.get_full_path()),
        author_name="echos",
        language=filters.language or None,
    )
    for resource in resources:
        link = request.build_absolute_uri(resource.get_absolute_url())
        categories = [resource.type, *(f"{t.vocabulary}:{t.code}" for t in resource.tags.all())]
        feed.add_item(
            title=clean_xml(resource.title),
            link=link,
            description=clean_xml(resource.description),
            unique_id=link,
            unique_id_is_permalink=True,
            pubdate=resource.created_at,
            updateddate=resource.updated_at,
            author_name=_author(resource),
            categories=categories,
            item_copyright=resource.licence or None,
        )
    return feed


@require_safe
def atom(request: HttpRequest) -> HttpResponse:
    """``/library/feed.atom``: the newest public resources, filtered by the query string."""
    feed = build_feed(request, filters_from(request))
    response = HttpResponse(content_type=CONTENT_TYPE)
    feed.write(response, "utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response

"""Input of the library's pages; the rules themselves are checked by the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.languages import LANGUAGE_CODES
from echos.core.multilingual import TranslationsFormMixin
from echos.core.roles import is_network_coordinator
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub, HubRole, Membership, Organisation
from echos.library import vocab
from echos.library.models import Resource, ResourceType, Visibility, Vocabulary


def language_choices() -> list[tuple[str, str]]:
    """The languages of the MS/AC, by code, named in their own language."""
    return [(code, f"{vocab.language_name(code)} ({code})") for code in sorted(LANGUAGE_CODES)]


def editable_hubs(user) -> list[Hub]:
    """Hubs the user may publish for (those they edit)."""
    if is_network_coordinator(user):
        return list(Hub.objects.in_hierarchy_order())
    ids = HubRole.objects.filter(user=user).values_list("hub_id", flat=True)
    candidates = Hub.objects.filter(pk__in=list(ids)).select_related("parent__parent")
    hubs = {h.pk: h for h in candidates if hub_perms.can_edit_hub(user, h)}
    coordinated = [h for h in hubs.values() if hub_perms.can_change_stage(user, h)]
    for hub in coordinated:  # coordinators also publish for the hubs below theirs
        for child in Hub.objects.filter(pk__in=hub.descendant_ids()):
            hubs.setdefault(child.pk, child)
    return sorted(hubs.values(), key=str)


def creditable_organisations(user):
    """Organisations the user may name as a resource's source."""
    if is_network_coordinator(user):
        return Organisation.objects.all()
    hubs = [h.pk for h in editable_hubs(user)]
    members = Membership.objects.current().confirmed().filter(hub_id__in=hubs)
    return Organisation.objects.filter(
        pk__in=[
            *members.values_list("organisation_id", flat=True),
            *Organisation.objects.filter(contacts__user=user).values_list("pk", flat=True),
        ]
    )


class TagFieldsMixin:
    """One group of checkboxes per vocabulary, named ``tag_<vocabulary>``."""

    fields: dict[str, Any]

    def add_tag_fields(self, known: dict[str, list[tuple[str, str]]] | None = None) -> None:
        """``known``: the vocabularies' choices when the caller has already read them."""
        known = known if known is not None else vocab.all_choices()
        for vocabulary, label in Vocabulary.choices:
            self.fields[f"tag_{vocabulary}"] = forms.MultipleChoiceField(
                label=label,
                choices=known.get(vocabulary, []),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def tags(self, data: dict) -> list[tuple[str, str]]:
        return [(v, code) for v in Vocabulary.values for code in data.get(f"tag_{v}", [])]

    @staticmethod
    def tag_initial(resource: Resource) -> dict[str, list[str]]:
        initial: dict[str, list[str]] = {}
        for tag in resource.tags.all():
            initial.setdefault(f"tag_{tag.vocabulary}", []).append(tag.code)
        return initial


class ResourceForm(TranslationsFormMixin, TagFieldsMixin, ServiceFormMixin, forms.Form):
    """A new resource (with its file or link) or the fields of an existing one; its title and
    description may be given in other languages on the same form (``TranslationsFormMixin``)."""

    translatable_fields = {
        "title": forms.CharField(label=_("Title"), max_length=300),
        "description": forms.CharField(
            label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000
        ),
    }

    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20_000,
    )
    language = forms.ChoiceField(label=_("Language"))
    type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "PDF, Word (DOCX), OpenDocument (ODT, ODS, ODP), Excel (XLSX), PowerPoint (PPTX), "
            "images (PNG, JPEG, GIF, WebP), text or CSV. Web pages and SVG are not accepted. "
            "The text inside PDF, DOCX and ODT files is searchable."
        ),
    )
    url = forms.CharField(
        label=_("Or a link"),
        required=False,
        max_length=1000,
        help_text=_("A web address starting with https:// (instead of a file)."),
        widget=forms.URLInput,
    )
    hub = forms.ModelChoiceField(
        label=_("Hub"),
        queryset=Hub.objects.none(),
        required=False,
        help_text=_("The hub it comes from; the hub's team may then edit it."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    licence = forms.CharField(
        label=_("Licence"),
        max_length=120,
        required=False,
        help_text=_("For example CC BY 4.0."),
    )
    published = forms.DateField(label=_("Publication date"), widget=DateInput, required=False)
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.PUBLIC,
        help_text=_(
            "Public: everyone. Network: anyone signed in. The hub's team: only people with a "
            "role on the chosen hub."
        ),
    )

    def __init__(self, *args, user, resource: Resource | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.fields["language"].choices = language_choices()
        hubs = editable_hubs(user)
        if resource is not None and resource.hub is not None:
            hubs = [resource.hub, *[h for h in hubs if h.pk != resource.hub_id]]
        self.fields["hub"].queryset = Hub.objects.filter(pk__in=[h.pk for h in hubs])
        organisations = creditable_organisations(user)
        if resource is not None and resource.organisation_id:
            organisations = organisations | Organisation.objects.filter(pk=resource.organisation_id)
        self.fields["organisation"].queryset = organisations.order_by("name").distinct()
        if resource is not None:
            del self.fields["file"]
            if resource.url:
                self.fields["url"].label = _("Link")
                self.fields["url"].required = True
            else:
                del self.fields["url"]
        self.add_tag_fields()
        self.setup_translations(resource)
        source = self.fields["source_language"]
        source.required = False  # default: the document's language
        source.choices = [("", _("The document's language")), *source.choices]
        source.initial = resource.source_language if resource is not None else ""
        self.fields["source_language"].help_text = _(
            "The language of the title and description above, when not the document's own "
            "language. Add translations below."
        )

    @classmethod
    def initial_for(cls, resource: Resource) -> dict:
        return {
            "title": resource.title,
            "description": resource.description,
            "language": resource.language,
            "type": resource.type,
            "url": resource.url,
            "hub": resource.hub_id,
            "organisation": resource.organisation_id,
            "licence": resource.licence,
            "published": resource.published,
            "visibility": resource.visibility,
            **cls.tag_initial(resource),
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            key: data[key]
            for key in (
                "title",
                "description",
                "language",
                "type",
                "hub",
                "organisation",
                "licence",
                "published",
                "visibility",
            )
        }
        if "url" in self.fields:
            fields["url"] = data.get("url") or ""
        fields["tags"] = self.tags(data)
        fields["source_language"] = data.get("source_language") or data["language"]
        fields["translations"] = self.cleaned_translations()
        return fields


class VersionForm(forms.Form):
    """A new file for a document."""

    file = forms.FileField(label=_("New version"))


class FilterForm(TagFieldsMixin, forms.Form):
    """The list's search box and filters (values that match nothing known are errors, dropped)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    language = forms.ChoiceField(label=_("Language"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args, known: dict[str, list[tuple[str, str]]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages")), *language_choices()]
        self.fields["type"].choices = [("", _("All types")), *ResourceType.choices]
        self.add_tag_fields(known)

    def filters(self) -> dict:
        if self.is_bound:
            self.is_valid()  # the valid fields stay in cleaned_data; unknown values are dropped
        data = getattr(self, "cleaned_data", {})
        return {
            "language": data.get("language") or None,
            "type": data.get("type") or None,
            "tags": self.tags(data),
        }

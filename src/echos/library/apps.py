from django.utils.translation import gettext_lazy as _

from echos.core import registry


class LibraryConfig(registry.EchosAppConfig):
    """The resource library: documents and links in every EU language, searchable inside (#13)."""

    name = "echos.library"
    label = "library"
    verbose_name = _("Library")

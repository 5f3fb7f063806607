from django.utils.translation import gettext_lazy as _

from echos.core import registry


class LibraryConfig(registry.EchosAppConfig):
    """The resource library: documents and links in every EU language, searchable inside (#13)."""

    name = "echos.library"
    label = "library"
    page_cache = "echos.library.pagecache"
    search = "echos.library.sitesearch.find"
    open_data = "echos.library.opendata"
    verbose_name = _("Library")
    privacy = "echos.library.privacy"
    revert_handlers = "echos.library.revert"
    api_router = "echos.library.api.router"
    urls = ("library/", "echos.library.urls")
    nav = (registry.NavItem("library:index", _("Library"), 55),)
    demo_loaders = ("echos.library.demo.load_demo",)
    generator_steps = "echos.library.generate"
    panels = (
        ("maturity_next_steps", "echos.library.panels.next_steps"),
        ("hub", "echos.library.panels.hub_publications"),
    )

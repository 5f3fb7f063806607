from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from echos.core import i18n, pagecache, registry  # noqa: F401 (i18n: the sign-in receiver)


class CoreConfig(registry.EchosAppConfig):
    """Countries, vocabularies, accounts and roles, audit log."""

    name = "echos.core"
    label = "core"
    open_data = "echos.core.opendata"
    verbose_name = _("Core")
    privacy = "echos.core.privacy"
    demo_loaders = ("echos.core.reference.load_reference",)
    api_router = "echos.core.api.router"
    urls = ("accounts/tokens/", "echos.core.urls_tokens")
    nav = (
        registry.NavItem("api:openapi-view", _("API"), 70),
        registry.NavItem("api_tokens", _("API tokens"), 71, access="signed_in"),
        registry.NavItem("admin:index", _("Admin"), 90, access="coordinator"),
    )
    page_cache = "echos.core.pagecache_pages"

    def ready(self):
        # The shared page cache watches every database write (core/pagecache.py).
        connection_created.connect(pagecache.install, dispatch_uid="echos-pagecache-install")
        post_migrate.connect(pagecache.after_migrate, dispatch_uid="echos-pagecache-migrate")
        pagecache.install_all()

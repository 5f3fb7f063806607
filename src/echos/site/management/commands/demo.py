"""``echos demo``: migrate, load reference and demo data once, and serve.

The data comes from every app's ``demo_loaders`` (``core.registry``), run in ``INSTALLED_APPS``
order: core's reference data, hubs' reference hubs and demo hubs, then assessment, synergies,
events, participation and engagement, each building on the ones before.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from echos.core import registry
from echos.hubs.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from echos.hubs.models import Hub


def use_site_url(host: str, port: int) -> str:
    """Links in e-mails and feeds point where the demo serves (issue #16), unless
    ECHOS_SITE_URL says otherwise; the environment carries it to the server's workers."""
    if not os.environ.get("ECHOS_SITE_URL"):
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        shown = f"[{shown}]" if ":" in shown else shown
        os.environ["ECHOS_SITE_URL"] = f"http://{shown}:{port}"
        settings.SITE_URL = os.environ["ECHOS_SITE_URL"]
    return settings.SITE_URL


class Command(BaseCommand):
    help = "Migrate, load reference and demo data (once), and serve on http://HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Prepare the data and stop.")

    def handle(self, *args, host, port, no_serve, **options):
        use_site_url(host, port)
        call_command("migrate", verbosity=0, interactive=False)
        if not Hub.objects.exists():
            self.stdout.write("Loading reference data…")
            for load in registry.demo_loaders():
                load()
        else:
            self.stdout.write("Data already present: not reloading.")
        call_command("collectstatic", verbosity=0, interactive=False)
        self.stdout.write(self.style.SUCCESS(f"\nechos is ready at http://{host}:{port}/"))
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, description, _country, _role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:16} {description}")
        if settings.ECHOS_REQUIRE_2FA:
            self.stdout.write(
                "  (secretariat sets up a TOTP app at first sign-in; ECHOS_REQUIRE_2FA=0 skips that in a demo)"
            )
        self.stdout.flush()
        if not no_serve:
            call_command("serve", host=host, port=port, workers=2)

from django.core.management.base import BaseCommand

from echos.core.reference import load_reference


class Command(BaseCommand):
    help = "Load or refresh countries, ISO 3166-2 regions and vocabularies (idempotent)."

    def handle(self, *args, **options):
        counts = load_reference()
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))

from django.core.management.base import BaseCommand

from echos.assessment.services import load_instruments


class Command(BaseCommand):
    help = "Publish the shipped questionnaire instruments; a changed, already answered one gets a new version."

    def handle(self, *args, **options):
        for instrument in load_instruments():
            self.stdout.write(f"{instrument.code} v{instrument.version}: {instrument.title}")

from pathlib import Path

from django.core.management.base import BaseCommand

from echos.reports import kpi_docs


class Command(BaseCommand):
    help = (
        "Write the KPI catalogue as Markdown (every installed KPI with its definition): "
        "`echos kpis -o docs/kpis.md`; without -o, print it."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write")

    def handle(self, *args, **options):
        text = kpi_docs.render()
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(text, ending="")

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from echos.reports import opendata_dump


class Command(BaseCommand):
    help = (
        "Write the open-data dump (CSV files and datapackage.json, CC BY 4.0) into a directory: "
        "`echos opendata -o DIR` (replaced as a whole). Without -o, regenerate the published dump."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Directory to write (replaced as a whole)")

    def handle(self, *args, **options):
        def progress(done: int, total: int, name: str) -> None:
            if name:
                sys.stderr.write(f"[{done + 1}/{total}] {name}\n")

        if options["output"]:
            target = Path(options["output"])
            descriptor = opendata_dump.write_dump(target, progress=progress)
        else:
            target = opendata_dump.dump_dir()
            descriptor = opendata_dump.write_dump(target, progress=progress)
            opendata_dump.write_zip(target, opendata_dump.zip_path())
        rows = sum(r["x_rows"] for r in descriptor["resources"])
        self.stdout.write(f"{len(descriptor['resources'])} tables, {rows} rows in {target}")

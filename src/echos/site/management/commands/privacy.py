"""Personal data on request and on schedule.

echos privacy export --user NAME | --email ADDRESS [--output FILE]
echos privacy erase --user NAME | --email ADDRESS [--yes]
echos privacy retention [--apply]
"""

import os

from django.core.management.base import BaseCommand, CommandError, CommandParser

from echos.site import privacy


def _who(parser):
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--user", default="", help="the person's username")
    group.add_argument("--email", default="", help="the person's e-mail address")


class Command(BaseCommand):
    help = (
        "Export or erase everything stored about a person, or apply the retention rules "
        "(export --user NAME | --email ADDRESS [--output FILE]; "
        "erase --user NAME | --email ADDRESS [--yes]; retention [--apply])."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        export = sub.add_parser("export", help="everything stored about a person, as JSON")
        _who(export)
        export.add_argument("--output", help="write to this file (mode 600) instead of stdout")
        erase = sub.add_parser("erase", help="erase a person (a dry run without --yes)")
        _who(erase)
        erase.add_argument("--yes", action="store_true", help="really erase")
        retention = sub.add_parser("retention", help="apply the retention rules (run daily)")
        retention.add_argument("--apply", action="store_true", help="really delete")

    def handle(self, *args, action, **options):
        if action == "retention":
            return self._retention(options["apply"])
        try:
            subject = privacy.find_subject(username=options["user"], email=options["email"])
        except privacy.SubjectError as exc:
            raise CommandError(str(exc)) from None
        if action == "export":
            return self._export(subject, options.get("output"))
        return self._erase(subject, options["yes"])

    def _export(self, subject, output):
        data = privacy.export_subject(subject)
        text = privacy.export_json(data)
        if privacy.is_empty(data):
            self.stderr.write(f"Nothing is stored about {subject.label}.")
        if not output:
            self.stdout.write(text, ending="")
            return
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        self.stdout.write(f"Wrote the export of {subject.label} to {output}.")

    def _erase(self, subject, yes):
        summary = privacy.erase_subject(subject, apply=yes)
        if not summary["changed"]:
            self.stdout.write(f"Nothing to erase for {subject.label}: no personal data is stored.")
            return
        lines = [f"  {label}: {n}" for label, n in privacy.summary_rows(summary)]
        if yes:
            self.stdout.write(f"Erased {subject.label}:")
            self.stdout.write("\n".join(lines))
        else:
            self.stdout.write(f"Dry run — erasing {subject.label} would change:")
            self.stdout.write("\n".join(lines))
            self.stdout.write("Nothing was changed. Add --yes to erase.")

    def _retention(self, apply):
        results = privacy.run_retention(apply=apply)
        for r in results:
            if not r["enabled"]:
                self.stdout.write(f"{r['rule']}: disabled ({r['setting']}=0)")
                continue
            n = r["count"]
            outcome = f"{n} record(s) changed" if apply else f"would affect {n} record(s)"
            self.stdout.write(f"{r['rule']}: {r['description']} ({r['setting']}) — {outcome}")
        if not apply:
            self.stdout.write("Nothing was changed. Add --apply to apply.")

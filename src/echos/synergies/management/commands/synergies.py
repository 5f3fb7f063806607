import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from echos.synergies import batch, engine, lexicon_audit, matching
from echos.synergies.models import Activity, Initiative


class Command(BaseCommand):
    help = "Synergy engine for analysts: `echos synergies match --initiatives F --activities F --top K`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        m = sub.add_parser("match", help="Rank initiatives for each activity; no database needed.")
        m.add_argument(
            "--initiatives", required=True, help="JSON array or CSV: id, name, description"
        )
        m.add_argument(
            "--activities", required=True, help="JSON array or CSV: id, title, description"
        )
        m.add_argument("--top", type=int, default=10)
        m.add_argument("--format", choices=["json", "csv"], default="json")
        m.add_argument("--mode", choices=engine.MODES, default=engine.DEFAULT_MODE)
        m.add_argument(
            "--explain", action="store_true", help="Add the shared concepts to each match (JSON)"
        )
        a = sub.add_parser(
            "lexicon-audit",
            help="Concepts of the lexicon found in too many texts (exit 1 if one is not down-weighted).",
        )
        a.add_argument(
            "--stored",
            action="store_true",
            help="Also count the initiatives and activities stored in the database",
        )
        a.add_argument("--top", type=int, default=15, help="How many of the commonest to list")

    def handle(self, *args, **options):
        if options["action"] == "lexicon-audit":
            self.lexicon_audit(stored=options["stored"], top=options["top"])
            return
        try:
            if options["top"] < 1:
                raise batch.BatchError("--top must be at least 1")
            docs = {}
            for kind in ("initiatives", "activities"):
                path = Path(options[kind])
                if not path.is_file():
                    raise batch.BatchError(f"{kind}: no such file {path}")
                items = batch.read_items(
                    path.read_bytes(),
                    name=path.name,
                    fmt="csv" if path.suffix.lower() == ".csv" else None,
                )
                docs[kind] = getattr(batch, kind)(items, name=path.name)
        except (batch.BatchError, UnicodeDecodeError) as exc:
            self.stderr.write(f"error: {exc}")
            sys.exit(2)
        for note in batch.truncation_notes(docs["activities"] + docs["initiatives"]):
            self.stderr.write(f"note: {note}")
        index = engine.Index(docs["initiatives"], need_vectors=options["mode"] != "lexical")
        results = engine.match(
            docs["activities"],
            index,
            top=options["top"],
            mode=options["mode"],
            explain=options["explain"],
        )
        if options["format"] == "csv":
            self.stdout.write(batch.to_csv(results), ending="")
        else:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))

    def lexicon_audit(self, *, stored: bool, top: int) -> None:
        texts = [text for _source, text in lexicon_audit.shipped_texts()]
        if stored:
            texts += [matching.initiative_doc(i).text for i in Initiative.objects.all()]
            texts += [matching.activity_doc(a).text for a in Activity.objects.all()]
        rows = lexicon_audit.audit(texts)
        self.stdout.write(lexicon_audit.report(rows, len(texts), top=top), ending="")
        if any(r.status == "too common" for r in rows):
            sys.exit(1)

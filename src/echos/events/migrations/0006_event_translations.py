"""Events carry a source language, translations of their texts and a folded search text (#17).

Existing events are taken as written in English (the only language the forms had); their
``search_text`` is filled in batches by primary key, so that a database of 100,000 events is
migrated in bounded memory."""

from types import SimpleNamespace

from django.db import migrations, models

from echos.core.multilingual import search_text_of

TRANSLATABLE = ("title", "description", "accessibility_notes", "outcomes")
BATCH = 2000


def fill_search_text(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    last = 0
    while True:
        rows = list(
            Event.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", *TRANSLATABLE, "translations")[:BATCH]
        )
        if not rows:
            return
        changed = []
        for pk, *texts, translations in rows:
            item = SimpleNamespace(
                TRANSLATABLE=TRANSLATABLE,
                translations=translations or {},
                **dict(zip(TRANSLATABLE, texts, strict=True)),
            )
            changed.append(Event(pk=pk, search_text=search_text_of(item)))
        Event.objects.bulk_update(changed, ["search_text"], batch_size=500)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_events_in_country_zones"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="event",
            name="source_language",
            field=models.CharField(
                default="en",
                help_text="The language the text was written in.",
                max_length=8,
                verbose_name="written in",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The text in other languages: {language: {field: text}}.",
                verbose_name="translations",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
    ]

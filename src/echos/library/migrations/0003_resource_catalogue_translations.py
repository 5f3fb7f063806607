"""The catalogue text of a resource (title, description) gets a source language, translations and
a folded search text (issue #17). ``language`` stays the language of the document itself; the
catalogue text of existing resources was written in that language, so it is their source language.
"""

from django.db import migrations, models

from echos.core.folding import fold

BATCH = 1000


def fill(apps, schema_editor) -> None:
    Resource = apps.get_model("library", "Resource")
    last = 0
    while True:
        batch = list(
            Resource.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "title", "description", "language")[:BATCH]
        )
        if not batch:
            return
        for resource in batch:
            resource.source_language = (resource.language or "en")[:8]
            resource.search_text = fold(
                "\n".join(t for t in (resource.title, resource.description) if t)
            )
        Resource.objects.bulk_update(batch, ["source_language", "search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="resource",
            name="source_language",
            field=models.CharField(
                default="en",
                help_text="The language the text was written in.",
                max_length=8,
                verbose_name="written in",
            ),
        ),
        migrations.AddField(
            model_name="resource",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The text in other languages: {language: {field: text}}.",
                verbose_name="translations",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

"""A hub's mission in several languages (issue #17): source language, translations, and the
folded search text of its names and mission, filled for existing hubs in batches."""

from django.db import migrations, models

from echos.core.multilingual import search_text_of

BATCH = 500


def fill_search_text(apps, schema_editor):
    Hub = apps.get_model("hubs", "Hub")
    Hub.TRANSLATABLE = ("mission",)
    Hub.SEARCH_ALSO = ("name", "name_en")
    last = 0
    while True:
        batch = list(Hub.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        for hub in batch:
            hub.search_text = search_text_of(hub)
        Hub.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("hubs", "0003_invitation")]

    operations = [
        migrations.AddField(
            model_name="hub",
            name="source_language",
            field=models.CharField(
                default="en",
                help_text="The language the text was written in.",
                max_length=8,
                verbose_name="written in",
            ),
        ),
        migrations.AddField(
            model_name="hub",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The text in other languages: {language: {field: text}}.",
                verbose_name="translations",
            ),
        ),
        migrations.AddField(
            model_name="hub",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]

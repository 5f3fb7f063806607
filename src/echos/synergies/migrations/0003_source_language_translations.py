"""Initiatives and activities in several languages (issue #17).

An activity's former ``language`` (the language its text is written in) becomes its
``source_language``: renamed, so the data stays; both models gain ``translations`` and the folded
``search_text``, filled for existing rows in batches."""

from django.db import migrations, models

from echos.core.multilingual import search_text_of

BATCH = 500


def fill(apps, schema_editor):
    for name, translatable, also in (
        ("Initiative", ("name", "description"), ("acronym", "partners")),
        ("Activity", ("title", "description"), ()),
    ):
        model = apps.get_model("synergies", name)
        model.TRANSLATABLE = translatable
        model.SEARCH_ALSO = also
        last = 0
        while True:
            batch = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not batch:
                break
            for obj in batch:
                obj.search_text = search_text_of(obj)
                if name == "Activity":
                    obj.source_language = (obj.source_language or "en").lower()
            model.objects.bulk_update(
                batch, ["search_text", "source_language"] if name == "Activity" else ["search_text"]
            )
            last = batch[-1].pk


def _language_fields():
    return {
        "source_language": models.CharField(
            default="en",
            help_text="The language the text was written in.",
            max_length=8,
            verbose_name="written in",
        ),
        "translations": models.JSONField(
            blank=True,
            default=dict,
            help_text="The text in other languages: {language: {field: text}}.",
            verbose_name="translations",
        ),
        "search_text": models.TextField(blank=True, default="", editable=False),
    }


class Migration(migrations.Migration):
    dependencies = [("synergies", "0002_matchjob")]

    operations = [
        migrations.RenameField(
            model_name="activity", old_name="language", new_name="source_language"
        ),
        migrations.AlterField(
            model_name="activity",
            name="source_language",
            field=_language_fields()["source_language"],
        ),
        migrations.AddField(
            model_name="activity", name="translations", field=_language_fields()["translations"]
        ),
        migrations.AddField(
            model_name="activity", name="search_text", field=_language_fields()["search_text"]
        ),
        *(
            migrations.AddField(model_name="initiative", name=name, field=field)
            for name, field in _language_fields().items()
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

"""Indicators say how their periods add up: cumulative (a running total since the baseline date) or
per period. Existing computed indicators become cumulative (their targets are totals); existing
hand-entered ones stay per period, so their latest entry remains their figure, as before."""

from django.db import migrations, models


def entered_per_period(apps, schema_editor):
    Indicator = apps.get_model("engagement", "Indicator")
    Indicator.objects.filter(computation="").update(accumulation="per_period")


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0002_deeper_engagement"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="accumulation",
            field=models.CharField(
                choices=[("per_period", "Per period"), ("cumulative", "Cumulative")],
                default="cumulative",
                max_length=10,
                verbose_name="how periods add up",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="baseline_date",
            field=models.DateField(
                blank=True,
                help_text="A cumulative indicator counts from this date (empty: from the first period).",
                null=True,
                verbose_name="baseline date",
            ),
        ),
        migrations.RunPython(entered_per_period, migrations.RunPython.noop),
    ]

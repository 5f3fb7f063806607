"""Memberships wait for the organisation's confirmation before they grant rights over it.

Every membership that exists when this runs keeps its rights: it is marked confirmed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def confirm_existing(apps, schema_editor):
    """Memberships recorded before confirmations existed keep the rights they gave."""
    Membership = apps.get_model("hubs", "Membership")
    Membership.objects.filter(status="pending").update(status="confirmed")


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="decided_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="confirmed or declined at"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="confirmed or declined by",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting the organisation's confirmation"),
                    ("confirmed", "Confirmed"),
                    ("declined", "Declined by the organisation"),
                ],
                default="pending",
                max_length=10,
                verbose_name="confirmation",
            ),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["status"], name="hubs_member_status_599376_idx"),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]

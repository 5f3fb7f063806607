# Event.questions now points at questionnaires.Instrument (issue #11, WP3): the same table, so only
# the migration state changes (on SQLite an AlterField of a foreign key would rebuild the table).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0002_calendar_index'),
        ('questionnaires', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='event',
                    name='questions',
                    field=models.ForeignKey(blank=True, limit_choices_to={'kind': 'registration'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='questionnaires.instrument', verbose_name='registration questions'),
                ),
            ],
            database_operations=[],
        ),
    ]

# Consultation.instrument now points at questionnaires.Instrument (issue #11, WP3): the same table,
# so only the migration state changes (on SQLite an AlterField of a foreign key would rebuild it).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0001_initial'),
        ('questionnaires', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='consultation',
                    name='instrument',
                    field=models.ForeignKey(limit_choices_to={'kind': 'consultation'}, on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='questionnaires.instrument', verbose_name='questionnaire'),
                ),
            ],
            database_operations=[],
        ),
    ]

# Instrument moved to questionnaires (issue #11, WP3), keeping its table assessment_instrument:
# responses and consensus rounds point at the moved model, then the model leaves assessment's state.
# State only: no SQL runs. It comes after events 0003 and participation 0002 so that no foreign key
# still names assessment.instrument when the model is removed from the state.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0001_initial'),
        ('events', '0003_questions_to_questionnaires'),
        ('participation', '0002_instrument_to_questionnaires'),
        ('questionnaires', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='consensusround',
                    name='instrument',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rounds', to='questionnaires.instrument'),
                ),
                migrations.AlterField(
                    model_name='response',
                    name='instrument',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responses', to='questionnaires.instrument'),
                ),
                migrations.DeleteModel(
                    name='Instrument',
                ),
            ],
            database_operations=[],
        ),
    ]

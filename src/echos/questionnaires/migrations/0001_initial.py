# The Instrument model moves from assessment (issue #11, WP3). Its table, assessment_instrument,
# exists from assessment 0001_initial on fresh and on existing databases alike: only the migration
# state changes here, no SQL runs.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessment', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Instrument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=60, verbose_name='code')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('kind', models.CharField(choices=[('survey', 'Survey'), ('maturity', 'Maturity model'), ('consultation', 'Consultation'), ('registration', 'Registration questions')], max_length=20, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('definition', models.JSONField(verbose_name='definition')),
                        ('is_current', models.BooleanField(default=True, verbose_name='current version')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'verbose_name': 'instrument',
                        'verbose_name_plural': 'instruments',
                        'db_table': 'assessment_instrument',
                        'ordering': ['code', '-version'],
                        'constraints': [models.UniqueConstraint(fields=('code', 'version'), name='instrument_unique_version'), models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('code',), name='instrument_one_current')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

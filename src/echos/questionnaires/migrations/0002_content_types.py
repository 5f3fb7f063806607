# The content type of Instrument follows the model from assessment (WP3), keeping its id, so that
# audit entries about instruments and permissions on them stay attached (see upgrades.py).

from django.db import migrations

from echos.questionnaires.upgrades import move_content_type


def forwards(apps, schema_editor):
    move_content_type(
        apps.get_model('contenttypes', 'ContentType'),
        model='instrument',
        from_app='assessment',
        to_app='questionnaires',
        using=schema_editor.connection.alias,
    )


def backwards(apps, schema_editor):
    move_content_type(
        apps.get_model('contenttypes', 'ContentType'),
        model='instrument',
        from_app='questionnaires',
        to_app='assessment',
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('questionnaires', '0001_initial'),
        ('assessment', '0002_instrument_to_questionnaires'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

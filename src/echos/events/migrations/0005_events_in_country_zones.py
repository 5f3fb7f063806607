"""Events in Brussels' zone outside Belgium move to their country's zone (#16): same local times,
named by their own city ("Rome time")."""

from django.db import migrations


def forwards(apps, schema_editor):
    from echos.events.zones import move_to_country_zones

    event = apps.get_model("events", "Event")
    move_to_country_zones(event.objects.using(schema_editor.connection.alias))


class Migration(migrations.Migration):
    dependencies = [("events", "0004_eventmessage")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]

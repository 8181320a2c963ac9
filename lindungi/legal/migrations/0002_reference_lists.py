from django.db import migrations


def load(apps, schema_editor):
    from lindungi.legal.reference_data import load_reference

    load_reference(lambda name: apps.get_model("legal", name))


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

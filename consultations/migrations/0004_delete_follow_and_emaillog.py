"""The old follow and email log tables: their rows are in the core since 0003."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_move_follows_to_the_core"),
    ]

    operations = [
        migrations.DeleteModel(name="EmailLog"),
        migrations.DeleteModel(name="Follow"),
    ]

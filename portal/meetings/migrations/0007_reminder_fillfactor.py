"""Room on each page of the outbox for the per-message record of a sent e-mail (``email_status``):
with it PostgreSQL updates the row in place (a HOT update, no index entries), which keeps the record
that is committed before the next message cheap."""

from django.db import migrations


def fillfactor(value):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE meetings_reminder SET (fillfactor = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_reminder_channel_outcome")]

    operations = [migrations.RunPython(fillfactor(80), fillfactor(100))]

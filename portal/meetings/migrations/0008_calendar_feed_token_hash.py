"""Calendar feeds keep only the hash of their token: existing addresses go on working."""

from django.db import migrations, models

from portal.accounts.models import hash_token


def hash_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("meetings", "CalendarFeed")
    for feed in CalendarFeed.objects.only("pk", "token_hash").order_by("pk"):
        CalendarFeed.objects.filter(pk=feed.pk).update(token_hash=hash_token(feed.token_hash))


def delete_feeds(apps, schema_editor):
    # A hash cannot be turned back into its token: on the way back people make a new address.
    apps.get_model("meetings", "CalendarFeed").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_reminder_fillfactor"),
    ]

    operations = [
        migrations.RenameField(model_name="calendarfeed", old_name="token", new_name="token_hash"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        # Last, so no schema change follows the data change in the transaction (PostgreSQL).
        migrations.RunPython(hash_tokens, delete_feeds),
    ]

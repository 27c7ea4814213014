from django.db import transaction

from portal.privacy.models import RetentionSetting
from portal.privacy.retention import BY_KEY


def retention_periods_set(*, municipality, by, days: dict[str, int]) -> int:
    """Keep the municipality's own periods: a period equal to the default is no choice of its own and is
    not stored. Returns how many kinds now differ from the defaults."""
    own = {key: n for key, n in days.items() if key in BY_KEY and n != BY_KEY[key].default_days}
    with transaction.atomic():
        RetentionSetting.objects.filter(municipality=municipality).exclude(kind__in=own).delete()
        current = {
            s.kind: s for s in RetentionSetting.objects.select_for_update().filter(municipality=municipality)
        }
        for key, n in own.items():
            setting = current.get(key)
            if setting is None:
                RetentionSetting.objects.create(
                    municipality=municipality, kind=key, keep_days=n, changed_by=by
                )
            elif setting.keep_days != n:
                setting.keep_days, setting.changed_by = n, by
                setting.save(update_fields=["keep_days", "changed_by", "changed_at"])
    return len(own)

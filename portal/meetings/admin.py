from django.contrib import admin

from portal.audit.admin import AuditedChildDataMixin
from portal.meetings.models import BookingPeriod, Meeting, MeetingSettings, Reminder


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(admin.ModelAdmin):
    list_display = ["municipality", "reminder_offsets"]


@admin.register(BookingPeriod)
class BookingPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "institution", "group", "kind", "booking_deadline", "published_at"]
    list_filter = ["kind"]
    raw_id_fields = ["institution", "group", "created_by", "hosts"]


@admin.register(Meeting)
class MeetingAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    """Opening a family's meeting is audited like any other read of the child's data."""

    list_display = ["__str__", "institution", "status", "starts_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["institution", "child", "group", "period", "slot", "hosts", "booked_by", "cancelled_by"]


@admin.register(Reminder)
class ReminderAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    """The outbox, for operators: what is waiting, sent or skipped, and why."""

    child_path = "meeting__child"

    list_display = ["pk", "kind", "status", "due_at", "sent_at", "skip_reason", "attempts"]
    list_filter = ["status", "kind", "skip_reason"]
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from portal.audit.models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["at", "actor_name", "actor_role", "child", "action", "subject", "ip"]
    list_filter = ["action", "subject"]
    search_fields = ["actor_name", "child__first_name", "child__last_name"]
    list_select_related = ["child"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

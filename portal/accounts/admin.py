from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Invitation, User
from portal.audit.admin import AuditedChildDataMixin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "phone", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    list_display = ["email", "kind", "municipality", "institution", "created_at", "expires_at", "accepted_at"]
    list_filter = ["kind", "municipality"]
    search_fields = ["email", "first_name", "last_name"]
    raw_id_fields = ["child", "institution", "invited_by", "accepted_by"]
    readonly_fields = ["token_hash", "sent_at", "accepted_at", "accepted_by", "revoked_at"]

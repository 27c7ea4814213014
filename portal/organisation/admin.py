from django.contrib import admin

from portal.organisation.models import (
    Group,
    Institution,
    MunicipalAdministrator,
    Municipality,
    StaffMembership,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "municipality", "is_active"]
    search_fields = ["name"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "school_year"]
    search_fields = ["name", "institution__name"]
    list_select_related = ["institution"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "institution", "role", "started_on", "ended_on"]
    list_filter = ["role"]
    search_fields = ["user__email", "institution__name"]
    raw_id_fields = ["user", "institution"]
    filter_horizontal = ["groups"]
    list_select_related = ["user", "institution"]


@admin.register(MunicipalAdministrator)
class MunicipalAdministratorAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality"]
    raw_id_fields = ["user"]

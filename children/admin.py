from django.contrib import admin

from children.models import Child, Enrollment, Guardianship, LearningGoal
from portal.audit.admin import AuditedChildDataMixin


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    raw_id_fields = ["user"]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["institution", "group"]


@admin.register(Child)
class ChildAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    child_path = "pk"
    list_display = ["first_name", "last_name", "birth_date", "expected_on", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["first_name", "last_name"]
    inlines = [GuardianshipInline, EnrollmentInline]


@admin.register(LearningGoal)
class LearningGoalAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    list_display = ["title", "child", "theme", "status", "updated_at"]
    list_filter = ["theme", "status"]
    raw_id_fields = ["child", "institution", "created_by"]

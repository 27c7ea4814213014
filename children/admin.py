from django.contrib import admin

from children.models import Child, Enrollment, Guardianship, LearningGoal
from portal.audit.models import AccessEvent
from portal.audit.services import access_record


class AuditedChildDataMixin:
    """Opening a child's data in the Django admin is audited like any other read."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            child = obj if isinstance(obj, Child) else obj.child
            access_record(
                request=request,
                child=child,
                action=AccessEvent.Action.VIEW,
                subject=f"admin.{self.model._meta.model_name}",
                object_id=obj.pk,
                actor_role="Django admin",
            )
        return super().change_view(request, object_id, form_url, extra_context)


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
    list_display = ["first_name", "last_name", "birth_date", "expected_on", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["first_name", "last_name"]
    inlines = [GuardianshipInline, EnrollmentInline]


@admin.register(LearningGoal)
class LearningGoalAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    list_display = ["title", "child", "theme", "status", "updated_at"]
    list_filter = ["theme", "status"]
    raw_id_fields = ["child", "institution", "created_by"]

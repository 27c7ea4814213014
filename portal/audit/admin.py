from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.audit.descriptions import ADMIN_PREFIX, describe
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many

ADMIN_ROLE = "Django admin"


class AuditedChildDataMixin:
    """Reading children's data in the Django admin is audited like any other read: a page of one object
    records a look at its child, a list page that it showed each child of its rows."""

    # The path from the model to its child ("pk" for Child itself); rows without a child are skipped.
    child_path = "child"

    def _children(self, pks):
        """The children of these rows, in one query."""
        Child = apps.get_model("children", "Child")
        rows = self.model._base_manager.filter(pk__in=pks).values(self.child_path)
        return Child.objects.filter(pk__in=rows).only("pk", "municipality_id")

    def _record_open(self, request, object_id) -> None:
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return
        for child in self._children([obj.pk]):
            access_record(
                request=request,
                child=child,
                action=AccessEvent.Action.VIEW,
                subject=f"{ADMIN_PREFIX}{self.model._meta.model_name}",
                object_id=obj.pk,
                actor_role=ADMIN_ROLE,
            )

    # The change page, the page asking to confirm a deletion (it lists what belongs to the object) and
    # the history (it names the object) each show the object.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._record_open(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._record_open(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._record_open(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # The rows the page shows; the template reads the same, already fetched, list.
            pks = [obj.pk for obj in changelist.result_list]
            if pks:
                access_record_many(
                    request=request,
                    children=self._children(pks),
                    action=AccessEvent.Action.LIST,
                    subject=f"{ADMIN_PREFIX}{self.model._meta.model_name}",
                    actor_role=ADMIN_ROLE,
                )
        return response


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["at", "actor_name", "actor_role", "child", "description", "ip"]
    list_filter = ["action", "subject"]
    search_fields = ["actor_name", "child__first_name", "child__last_name"]
    list_select_related = ["child"]

    @admin.display(description=_("what"))
    def description(self, event):
        return describe(event.action, event.subject, event.child.first_name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

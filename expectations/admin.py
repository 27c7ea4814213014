from django.contrib import admin

from expectations.models import (
    AgreementAcceptance,
    AgreementComment,
    CharterItem,
    CharterVersion,
    Commitment,
    CommitmentSuggestion,
    ExpectationAgreement,
    InstitutionPrinciples,
)
from portal.audit.admin import AuditedChildDataMixin


class CharterItemInline(admin.TabularInline):
    model = CharterItem
    extra = 0


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "number", "status", "approved_on", "in_force_from"]
    list_filter = ["status", "municipality"]
    inlines = [CharterItemInline]


@admin.register(InstitutionPrinciples)
class InstitutionPrinciplesAdmin(admin.ModelAdmin):
    list_display = ["institution", "adopted_on", "adopted_by"]
    raw_id_fields = ["institution", "charter_version", "created_by"]


@admin.register(CommitmentSuggestion)
class CommitmentSuggestionAdmin(admin.ModelAdmin):
    list_display = ["text", "side", "how_often", "municipality", "is_active"]
    list_filter = ["side", "is_active", "municipality"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    raw_id_fields = ["suggestion", "progress_by"]


@admin.register(ExpectationAgreement)
class ExpectationAgreementAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    list_display = ["child", "institution", "status", "review_due_on", "agreed_at"]
    list_filter = ["status"]
    raw_id_fields = ["child", "institution", "supersedes", "created_by"]
    inlines = [CommitmentInline]


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    child_path = "agreement__child"
    list_display = ["agreement", "user", "role", "revision", "accepted_at"]
    list_select_related = ["agreement__child", "agreement__institution", "user"]
    raw_id_fields = ["agreement", "user"]


@admin.register(AgreementComment)
class AgreementCommentAdmin(AuditedChildDataMixin, admin.ModelAdmin):
    child_path = "agreement__child"
    list_display = ["agreement", "author", "created_at", "asks_for_change"]
    list_select_related = ["agreement__child", "agreement__institution", "author"]
    raw_id_fields = ["agreement", "author"]

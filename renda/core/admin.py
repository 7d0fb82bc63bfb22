from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from renda.core.models import AuditEvent, Body, Region, Rule, Session, StateChange, Term, Unit, User


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["region", "parent"]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "started_on", "ended_on"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "opened_on", "closed_on", "status"]
    # The status moves only through the workflow (with its change row).
    readonly_fields = ["status"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    raw_id_fields = ["region"]


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = ["key", "region", "value", "effective_from", "effective_to", "source"]
    search_fields = ["key", "source"]
    raw_id_fields = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "region", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["region", "unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("角色与范围", {"fields": ["full_name", "role", "region", "unit", "phone"]}),
    ]


@admin.register(StateChange)
class StateChangeAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "event", "from_state", "to_state", "actor", "at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["actor", "action", "content_type", "object_id", "ip_address", "at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

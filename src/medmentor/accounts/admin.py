"""Accounts in the admin, the access log staff search, and the base of every admin page
that shows people's records: what staff open or change there is in the access log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import AccessLogEntry, User
from medmentor.accounts.services import account_delete
from medmentor.core.admin import ReadOnlyModelAdmin


def people_of(obj: Model) -> list[int]:
    """The people a record is about: the account itself, or every account it points to
    (whose data it therefore holds)."""
    people = [obj.pk] if isinstance(obj, User) else []
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model is User:
            people.append(getattr(obj, field.attname))
    return [pk for pk in people if pk is not None]


def _program_of(obj: Model) -> Any:
    return obj if obj._meta.model_name == "program" else getattr(obj, "program", None)


# The base of many models' admins (programs, mentorships, profiles...), each over its own
# model, so it names none; its own code reads any model (people_of).
class AccessLoggedAdmin(admin.ModelAdmin):
    """Staff listing, opening, adding, changing or deleting records about people: written
    to each person's access log, as a coordinator's access is."""

    def people_of(self, obj: Model) -> list[int]:
        return people_of(obj)

    def _logged(
        self, request: HttpRequest, action: str, objects: Iterable[Model], detail: str = ""
    ) -> None:
        for obj in objects:
            access_log(
                actor=request.user,
                action=action,
                what=What.ADMIN_RECORD,
                subjects=self.people_of(obj),
                program=_program_of(obj),
                detail=f"{obj._meta.verbose_name} {obj.pk} {detail}".strip(),
            )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None and response.status_code == 200:
            access_log(
                actor=request.user,
                action=Action.VIEW,
                what=What.ADMIN_RECORD,
                subjects={pk for obj in changelist.result_list for pk in self.people_of(obj)},
                detail=str(self.opts.verbose_name_plural),
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                self._logged(request, Action.VIEW, [obj])
        return response

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._logged(request, Action.CHANGE, [obj], "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        fields = [
            str(name)
            for part in message
            if "changed" in part
            for name in part["changed"].get("fields", ())
        ]
        self._logged(request, Action.CHANGE, [obj], ", ".join(fields) or "changed")
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        self._logged(request, Action.CHANGE, list(queryset), "deleted")
        return super().log_deletions(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (a program's coordinators, say) are logged about their own people."""
        super().save_formset(request, form, formset, change)
        self._logged(request, Action.CHANGE, formset.new_objects, "added")
        self._logged(
            request, Action.CHANGE, [obj for obj, _f in formset.changed_objects], "changed"
        )
        self._logged(request, Action.CHANGE, formset.deleted_objects, "deleted")


@admin.register(User)
class UserAdmin(AccessLoggedAdmin, DjangoUserAdmin[User]):
    ordering = ("email",)
    list_display = ("email", "name", "language", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "language")
    search_fields = ("email", "name")
    readonly_fields = ("uuid", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("uuid", "email", "password")}),
        (_("Personal information"), {"fields": ("name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    # Deleting an account here erases it as the person's own deletion does: their partners
    # keep their records, with a "former member" in the person's place. That placeholder
    # stands in for everyone who left, so it is never deleted.
    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_former_member:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        account_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            account_delete(user=user)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyModelAdmin):
    """The access log, to search: nobody adds, changes or deletes an entry."""

    list_display = ("at", "who", "action", "what", "subject", "program_name", "address")
    list_filter = ("action", "what")
    search_fields = ("actor_name", "subject__name", "subject__email", "program_name", "detail")
    date_hierarchy = "at"
    list_select_related = ("subject",)
    fields = (
        "at",
        "actor",
        "actor_name",
        "subject",
        "action",
        "what",
        "program_name",
        "program_uuid",
        "detail",
        "address",
    )
    readonly_fields = fields

from django.contrib import admin

from medmentor.institutions.models import Institution, InstitutionDomain


class DomainInline(admin.TabularInline):
    model = InstitutionDomain
    extra = 1


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "sso_protocol", "sso_provider_id", "enforce_sso")
    search_fields = ("name", "slug", "domains__domain")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (DomainInline,)

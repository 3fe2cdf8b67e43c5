from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.forms import AdminUserCreationForm
from accounts.models import FirstResponderEmailDomain, Organisation, User
from accounts.services import user_confirm_email, user_sync_role_group


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "nation", "is_active"]
    list_filter = ["kind", "nation", "is_active"]
    search_fields = ["name", "short_name", "email_domains"]
    autocomplete_fields = ["parent"]


@admin.register(FirstResponderEmailDomain)
class FirstResponderEmailDomainAdmin(SimpleHistoryAdmin):
    list_display = ["domain", "match"]
    list_filter = ["match"]
    search_fields = ["domain"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    add_form = AdminUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Role", {"fields": ["role", "organisation", "is_active"]}),
        ("Django admin", {"fields": ["is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "organisation", "password1", "password2"],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user_sync_role_group(user=obj)
        if not change:
            user_confirm_email(user=obj)

from django.contrib import admin

from common.admin import HistoryAdmin
from referrals.models import Country, LocalAuthority, Nationality, PoliceForce, UkRegion, UkTown


@admin.register(Country, Nationality, UkTown, UkRegion, PoliceForce)
class ReferenceItemAdmin(HistoryAdmin):
    """The reference lists a referral's answers are checked against. Deactivate rather than delete a name that
    submitted referrals may hold."""

    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(ReferenceItemAdmin):
    """A council abolished in a reorganisation gets its end date: new referrals no longer offer it, referrals that
    already name it keep it."""

    list_display = ["name", "ended_on", "is_active"]
    list_filter = ["is_active", ("ended_on", admin.EmptyFieldListFilter)]

from django.contrib import admin

from common.admin import HistoryAdmin
from referrals.models import Country, LocalAuthority, Nationality, PoliceForce, UkRegion, UkTown


@admin.register(Country, Nationality, UkTown, UkRegion, LocalAuthority, PoliceForce)
class ReferenceItemAdmin(HistoryAdmin):
    """The reference lists a referral's answers are checked against. Deactivate rather than delete a name that
    submitted referrals may hold."""

    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from common import health
from common.views import page

admin.site.site_header = "NRM Digital administration"
admin.site.site_title = "NRM Digital administration"
# Admins sign in through allauth like all staff: password, authenticator code, lockout.
admin.site.login = secure_admin_login(admin.site.login)

# A database timeout outside a view gets the busy page (503); any other error, templates/500.html.
handler500 = "common.views.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("help/accessibility-statement", page, {"template": "accessibility"}, name="accessibility"),
    path("help/privacy-notice", page, {"template": "privacy"}, name="privacy"),
    path("help/cookies", page, {"template": "cookies"}, name="cookies"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
    path("referrals/", include("referrals.urls")),
    path("casework/", include("casework.urls")),
    path("panels/", include("panels.urls")),
    path("statistics/", include("insights.urls")),
    path("privacy/", include("privacy.urls")),
    path("organisation/api-clients/", include("partners.client_urls")),
    path("organisation/", include("accounts.organisation_urls")),
    path("api/", include("partners.urls")),
    path("partnerships/", include("partners.partnership_urls")),
    path("", include("accounts.urls")),
]

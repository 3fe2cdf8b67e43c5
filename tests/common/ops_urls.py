"""The service's URLs plus one view that fails, for the tests of error reports and logs (never in nrm/urls.py)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from nrm.urls import handler500
from nrm.urls import urlpatterns as service_urlpatterns

__all__ = ["handler500", "urlpatterns"]


@csrf_exempt  # the test posts through the WSGI handler, as a browser through gunicorn, without a form first
def failing_view(request):
    """Fails the way a bug does: with the signed-in user's address in the exception's message."""
    raise RuntimeError(f"Could not save the referral of {request.user.email}")


urlpatterns = [*service_urlpatterns, path("ops-test/fail", failing_view)]

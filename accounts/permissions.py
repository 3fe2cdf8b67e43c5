from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from accounts.roles import FIRST_RESPONDER_ROLES, Role


def role_required(*roles: Role) -> Callable:
    """Signed-in users of these roles only. Anyone else gets a 404, so pages of other roles are not revealed.

    An organisation administrator is a first responder too: a page for first responders is also theirs."""
    allowed = frozenset(roles) | (FIRST_RESPONDER_ROLES if Role.FIRST_RESPONDER in roles else frozenset())

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in allowed:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


organisation_admin_only = role_required(Role.ORGANISATION_ADMIN)


def admin_of_organisation_or_404(request) -> None:
    """An organisation administrator whose own membership lapsed (deactivated, unverified) manages nothing."""
    if not request.user.is_organisation_admin:
        raise Http404

"""Which scope each view needs: `required_scopes` on the view (one of partners.scopes.Scope)."""

from oauth2_provider.contrib.rest_framework import TokenHasScope
from rest_framework.permissions import IsAuthenticated


class HasClientScope(TokenHasScope):
    """The token carries every scope the view names (`required_scopes`); a view that names none needs none."""

    message = "Your client's token does not have the scope this call needs"

    def get_scopes(self, request, view):
        return list(getattr(view, "required_scopes", []))


DEFAULT_PERMISSIONS = [IsAuthenticated, HasClientScope]

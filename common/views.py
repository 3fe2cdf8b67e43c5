from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def page(request, template: str):
    """The service's fixed pages: accessibility statement, privacy notice, cookies."""
    return render(request, f"pages/{template}.html")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)

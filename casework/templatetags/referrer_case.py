"""A sent referral's case as its referring organisation sees it, for the referrals app's templates: referrals
renders casework's view of the case without importing casework (docs/adr/0010).

    {% load referrer_case %}
    {% referrer_case_view referral as case_view %}  {# casework.selectors.referrer.ReferrerCaseView #}
    {{ case_view.status_label }}
    {% include "casework/responder/_case.html" %}
"""

from django import template

from casework.selectors import referrer
from referrals.models import Referral

register = template.Library()


@register.simple_tag(takes_context=True)
def referrer_case_view(context, referral: Referral) -> referrer.ReferrerCaseView:
    """The case of `referral` (from the signed-in user's scoped list) as that user sees it."""
    return referrer.referrer_case_view(user=context["request"].user, referral=referral)

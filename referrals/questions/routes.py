"""Which route a referral takes, from two answers: under 18 ("yes" or "not_sure" is the child route) and, for
an adult, consent ("yes" an NRM referral, "no" a Duty to Notify)."""

from referrals.models import Route
from referrals.questions.schema import Answers, Condition

UNDER_18 = "under_18"
CONSENT = "consent"


def route_of(answers: Answers) -> Route | None:
    """The route, or None while the answers do not decide it yet."""
    under_18 = answers.get(UNDER_18)
    if under_18 in ("yes", "not_sure"):
        return Route.CHILD
    if under_18 == "no":
        return {"yes": Route.ADULT, "no": Route.DUTY_TO_NOTIFY}.get(answers.get(CONSENT))
    return None


def on_route(*routes: Route, description: str) -> Condition:
    return Condition(lambda answers: route_of(answers) in routes, description)


ADULT_NOT_YET_KNOWN = Condition(lambda answers: answers.get(UNDER_18) == "no", "for an adult")
CHILD = on_route(Route.CHILD, description="on the child route")
ADULT = on_route(Route.ADULT, description="for an adult who consents")
DUTY_TO_NOTIFY = on_route(Route.DUTY_TO_NOTIFY, description="for a Duty to Notify")
NRM = on_route(Route.CHILD, Route.ADULT, description="for an NRM referral (child, or adult who consents)")
ANY_ROUTE = on_route(Route.CHILD, Route.ADULT, Route.DUTY_TO_NOTIFY, description="once the route is known")

"""The errors of casework's services: each message says why, in words a user can read."""


class CaseworkError(Exception):
    """A move the case lifecycle does not allow; the message says why, in words a user can read."""


class IllegalTransition(CaseworkError):
    """The case is not in a state from which this move is allowed."""


class CaseOpenRefused(CaseworkError, ValueError):
    """The referral cannot have a case: a Duty to Notify, or a referral that already has one."""


class NotPermitted(CaseworkError):
    """The actor may not make this move on this case (the message says who may)."""


class StaleCase(CaseworkError):
    """The case changed after the form was opened: nothing was saved."""


class AlreadyDone(StaleCase):
    """The case changed since the form was opened because the same user already made this move (a double post):
    nothing more was saved, and the message says "You have already …" (casework.lifecycle.double_posts)."""


class InvalidInput(CaseworkError):
    """A value the service cannot take; `field` names the form field the message belongs to."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


STALE_MESSAGE = (
    "Someone else changed this case while you were working on it. Nothing was saved: check the case as it is "
    "now, then try again (what you typed is still below)."
)

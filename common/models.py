from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxTask(models.Model):
    """A task that must happen (a letter to render, an email to send, later a webhook to call), written in the
    transaction of the change that needs it and run by common.outbox: published to Celery after commit, and
    published again by the sweep while it is still pending, so that a task Redis lost is run minutes later.

    `args` are the handler's keyword arguments: ids and nothing a reader of the database could use (no personal
    data, no secret). docs/adr/0023-outbox-and-short-visibility-timeout.md."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    handler = models.CharField(max_length=200, help_text="The dotted path of an @outbox_handler function")
    args = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the sweep may publish it again: a little after each publish (its task is probably still queued),
    # later after each failure.
    next_attempt_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True, help_text="The error's class, never personal data")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(state="pending"), name="outbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Outbox task {self.pk}: {self.handler}"

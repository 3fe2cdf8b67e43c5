from django.apps import AppConfig


class NrmConfig(AppConfig):
    """The top of the house: holds the commands that compose every app, such as seed_demo."""

    name = "nrm"
    verbose_name = "NRM Digital"

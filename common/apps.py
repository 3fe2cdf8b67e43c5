from django.apps import AppConfig
from django.core import checks
from django.urls import register_converter


class CommonConfig(AppConfig):
    name = "common"

    def ready(self):
        from common import database  # noqa: F401 - connects the jobs' database timeouts (docs/adr/0018)
        from common.checks import history_admins_refuse_revert
        from common.converters import ReferenceConverter

        # Before any URL conf is imported: every reference in a URL is `<reference:reference>`.
        register_converter(ReferenceConverter, "reference")
        checks.register(history_admins_refuse_revert, checks.Tags.admin)

"""Start-up checks of rules that a new module could otherwise quietly break."""

from django.contrib import admin
from django.core.checks import Error
from simple_history.admin import SimpleHistoryAdmin

from common.admin import HistoryAdmin


def history_admins_refuse_revert(app_configs=None, **kwargs) -> list[Error]:
    """Every admin with a change history comes through common.admin.HistoryAdmin, which refuses revert."""
    return [
        Error(
            f"{type(model_admin).__name__} shows history through SimpleHistoryAdmin, which lets anyone who may view "
            f"{model._meta.label} revert it",
            hint="Inherit from common.admin.HistoryAdmin instead",
            obj=type(model_admin),
            id="common.E001",
        )
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, HistoryAdmin)
    ]

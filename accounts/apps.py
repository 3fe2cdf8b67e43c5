from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_groups(sender, **kwargs) -> None:
    from accounts.services import roles_sync_groups

    roles_sync_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        # After each app's migrations (no sender), so that each role's group also holds the permissions of apps
        # migrated after accounts.
        post_migrate.connect(_sync_role_groups, dispatch_uid="accounts.sync_role_groups")

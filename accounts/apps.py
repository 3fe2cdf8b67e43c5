from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_groups(sender, **kwargs) -> None:
    from accounts.services import roles_sync_groups

    roles_sync_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        # After every migrate, so that each role's group holds the permissions of the apps now installed.
        post_migrate.connect(_sync_role_groups, sender=self, dispatch_uid="accounts.sync_role_groups")

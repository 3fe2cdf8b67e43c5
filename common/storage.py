"""Private files (evidence, letters, case files): outside the web root, served only through views that check the
user's right. Every read, write and delete goes through Django's storage API, so the same code works on the file
system (one machine, or a volume every process shares) and on an S3-compatible object store (several machines).

Which one is chosen by settings (nrm/settings.py, docs/configuration.md): with S3_BUCKET set, STORAGES' "private"
and "quarantine" (and "default") are django-storages' S3Storage with `s3_storage_options` below; otherwise the file
system under .data/ (PRIVATE_MEDIA_ROOT, QUARANTINE_MEDIA_ROOT). See docs/adr/0020-files-in-object-storage.md.
"""

from __future__ import annotations

from itertools import combinations

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

PRIVATE_STORAGE = "private"
# A download or scan reads an object into a temporary file: in memory up to this size, on disk beyond it.
S3_MAX_MEMORY_SIZE = 1024 * 1024
# Nothing hands out an object's URL; if anything ever asked for one, it would be signed and short-lived.
S3_SIGNED_URL_SECONDS = 60
SERVER_SIDE_ENCRYPTION_CHOICES = ("", "AES256", "aws:kms")
# Each call to the store is tried at most twice: with the default timeouts a store that never answers costs a
# request about 2 x (3 + 10) s, inside gunicorn's 30 s (WEB_TIMEOUT).
S3_ATTEMPTS = 2


class StorageAlias(LazyObject):
    """`storages[alias]`, looked up when first used and again after STORAGES changes (as Django's default_storage
    is). A FileField evaluates its storage callable once, when its model class is made: through this proxy the
    field follows the configured storage instead of keeping the one of that moment."""

    def __init__(self, alias: str):
        self.__dict__["_alias"] = alias
        super().__init__()

    def _setup(self):
        self._wrapped = storages[self._alias]

    # One alias for the process: a copied field (model state, a form) keeps following the same storage.
    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


_private = StorageAlias(PRIVATE_STORAGE)


def private_storage():
    """The storage of every FileField holding personal documents (referenced by the models and migrations)."""
    return _private


def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


setting_changed.connect(_storages_changed, dispatch_uid="common.storage.private_storage")


def s3_storages(*, bucket: str, prefixes: dict[str, str], buckets: dict[str, str] | None = None, **options) -> dict:
    """STORAGES entries for each alias of `prefixes` ({"private": "private", ...}): S3Storage in `bucket` (or the
    alias's own in `buckets`) under its prefix, with `s3_storage_options`. Raises ImproperlyConfigured when two
    of them would share objects (the same bucket, and one prefix inside the other)."""
    from django.core.exceptions import ImproperlyConfigured

    places = {alias: ((buckets or {}).get(alias) or bucket, prefix.strip("/")) for alias, prefix in prefixes.items()}
    for alias, other in combinations(places, 2):
        (its_bucket, prefix), (other_bucket, other_prefix) = places[alias], places[other]
        nested = f"{prefix}/".startswith(f"{other_prefix}/") or f"{other_prefix}/".startswith(f"{prefix}/")
        if its_bucket == other_bucket and (nested or not prefix or not other_prefix):
            raise ImproperlyConfigured(
                f"The {alias} and {other} files would share objects in bucket {its_bucket}: give each its own "
                "prefix (S3_PRIVATE_PREFIX, S3_QUARANTINE_PREFIX, S3_MEDIA_PREFIX) or S3_QUARANTINE_BUCKET"
            )
    return {
        alias: {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_storage_options(bucket=its_bucket, location=prefix, **options),
        }
        for alias, (its_bucket, prefix) in places.items()
    }


def s3_storage_options(
    *,
    bucket: str,
    location: str,
    endpoint_url: str = "",
    region: str = "",
    addressing_style: str = "",
    default_acl: str = "private",
    server_side_encryption: str = "",
    kms_key_id: str = "",
    connect_timeout: float = 3,
    read_timeout: float = 10,
) -> dict:
    """The OPTIONS of one S3Storage in STORAGES: a private bucket (or a prefix of one), objects never overwritten
    (a name taken gets a suffix, as on the file system), optionally encrypted at rest, every call with timeouts.
    Credentials are not options: boto3 finds them (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a web identity
    or the machine's role)."""
    from botocore.config import Config

    if server_side_encryption not in SERVER_SIDE_ENCRYPTION_CHOICES:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("S3_SERVER_SIDE_ENCRYPTION must be empty, AES256 or aws:kms")
    object_parameters = {}
    if server_side_encryption:
        object_parameters["ServerSideEncryption"] = server_side_encryption
        if server_side_encryption == "aws:kms" and kms_key_id:
            object_parameters["SSEKMSKeyId"] = kms_key_id
    options = {
        "bucket_name": bucket,
        "location": location.strip("/"),
        "default_acl": default_acl or None,
        "querystring_auth": True,
        "querystring_expire": S3_SIGNED_URL_SECONDS,
        "file_overwrite": False,
        "object_parameters": object_parameters,
        "max_memory_size": S3_MAX_MEMORY_SIZE,
        "client_config": Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"max_attempts": S3_ATTEMPTS, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": addressing_style} if addressing_style else None,
        ),
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if region:
        options["region_name"] = region
    return options

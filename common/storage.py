"""Private files (evidence, letters, referral copies): outside the web root, served only through views that
check the user's right. The file system under .data/private by default; an S3-compatible store in production
through STORAGES["private"] (django-storages)."""

from django.core.files.storage import storages


def private_storage():
    return storages["private"]

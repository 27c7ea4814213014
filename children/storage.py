"""Where evidence (photos and files in learning plans) is kept: private storage with no public address.

``url()`` is refused on purpose: a file is only ever served by ``children.views.evidence``, which checks
who asks and records the read. The S3 storage signs nothing and makes no public links either.
"""

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


class _NoPublicURL:
    def url(self, name, *args, **kwargs):
        raise NotImplementedError("Evidence has no public address; serve it through the evidence view.")


class PrivateFileSystemStorage(_NoPublicURL, FileSystemStorage):
    """Files under var/evidence/ readable by the portal's user only."""

    def __init__(self, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)


class PrivateS3Storage(_NoPublicURL, S3Storage):
    """An S3-compatible bucket (private; the portal's keys only)."""

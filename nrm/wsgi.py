"""The WSGI application gunicorn serves. gunicorn.conf.py preloads this module in its arbiter and forks each worker
from it, so that the URL configuration, and with it every view, form and selector module, is imported and the
resolver's tables built here, once, rather than on each new worker's first request: about a second on 2 CPUs,
which that request and the ones queued behind it waited, after every deploy, crash or `max_requests` recycling.
Nothing here opens a database or Redis connection (tests/common/test_wsgi.py)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
application = get_wsgi_application()
get_resolver().reverse_dict  # noqa: B018 - building it imports every URL module and fills the resolver's tables

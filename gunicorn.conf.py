"""gunicorn's settings for the web process. gunicorn reads ./gunicorn.conf.py from its working directory: the
Dockerfile, compose and `make run`'s supervisord.conf start it from the repository's root. Sized for the machine it
runs on; the environment overrides every value. See docs/deployment.md ("Web processes") and ADR 0022.

- WEB_CONCURRENCY: worker processes (default: two a CPU the process may use, at least 2). A worker is a copy of
  Django (about 120 MB); Python runs one thread at a time in each, so CPU-bound page rendering needs processes.
- WEB_THREADS: threads a worker (default 2): while one thread waits on PostgreSQL or Redis another renders, and a
  slow request does not hold a whole worker. 1 gives gunicorn's plain sync workers.
- WEB_TIMEOUT (default 30 s) is shorter than the load balancer's (60 s on the usual ones, AWS ALB and Azure, GOV.UK
  PaaS's router): a stuck sync worker is restarted before the balancer gives up on it, and the user sees our error
  page, not the balancer's. Requests themselves end sooner: PostgreSQL's statement and lock timeouts and Redis's
  socket timeouts (settings) bound every wait a request can make.
- WEB_KEEPALIVE (default 75 s) is longer than the balancer's idle timeout, so the balancer always closes an idle
  connection first and never sends a request down one gunicorn has just closed (a 502).
"""

import os


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may run on (a container's cpuset)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


workers = _number("WEB_CONCURRENCY", max(2, 2 * _cpus()))
threads = _number("WEB_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _number("WEB_TIMEOUT", 30)
graceful_timeout = _number("WEB_GRACEFUL_TIMEOUT", 25)
keepalive = _number("WEB_KEEPALIVE", 75)
# A worker is replaced after this many requests (a leak in a library cannot grow without bound); the jitter keeps
# the workers from restarting together.
max_requests = _number("WEB_MAX_REQUESTS", 10000)
max_requests_jitter = max_requests // 10
# The heartbeat file in memory, not on a container's overlay file system (which can stall it and get workers
# killed as if they hung).
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - gunicorn makes its file there with mkstemp and unlinks it at once
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
# With the request id every app log line of the request carries (common.request_context); no user agent or referer
# (a referer can hold a query string).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(L)s %({x-request-id}o)s'
# Django, and with the URL resolver every view (nrm/wsgi.py), is imported once in the arbiter and each worker is a
# fork of it (copy-on-write): a worker replaced after max_requests, or after a crash, serves again within
# milliseconds instead of importing Django and the views for a second or two while its connections wait. Nothing
# opens a database or Redis connection at import (Django connects lazily), so no connection is shared between
# workers. WEB_PRELOAD=false imports in each worker instead.
preload_app = os.environ.get("WEB_PRELOAD", "true").strip().lower() != "false"

"""Throughput under load: three signed-in pages against a bare Django page of the same size, on the same gunicorn.

    .venv/bin/python benchmarks/throughput.py                          # 20 s a measure, the project's gunicorn.conf.py
    .venv/bin/python benchmarks/throughput.py --duration 10 --workers 2 --threads 1   # another process model
    .venv/bin/python benchmarks/throughput.py --refresh-every-request  # a signed-in GET writes, as before ADR 0022
    .venv/bin/python benchmarks/throughput.py --rounds 3 --duration 10   # the medians of three rounds of each

It needs wrk (Debian: `apt-get install wrk`). Its own database (`nrm_bench_throughput` on the app's PostgreSQL
server: created, migrated and given the demo data by `seed_demo` on the first run, reused afterwards, analysed
(`VACUUM ANALYZE`) before each run; `--reseed` starts it again). gunicorn serves it with the project's
`gunicorn.conf.py` (WEB_CONCURRENCY and WEB_THREADS from `--workers` and `--threads` when given; no worker
recycling, WEB_MAX_REQUESTS=0) and `benchmarks.bench_settings`, which is the project's settings plus one URL,
`/bench/bare/<size>`: `size` bytes from a view that does nothing else, through the same middleware.

The script signs in through the sign-in page as the demo's police first responder and SCA caseworker and finds
the pages by following links: the first question page of one of the responder's drafts, the caseworker's queue,
and the first case the queue lists. For each page it drives `wrk -t2 -c10 -d<duration>s` with the signed-in
session's cookie, then the bare page of the page's size (anonymous: the floor is Django and gunicorn alone), then
the bare page again with the page's cookie (the signed-in floor: what signing in costs before any view), one after
the other, and prints requests/s, p50 and p99 of each and the ratios. Targets (issue 13): every page at 0.5 of its
floor's requests/s or better, its p99 within 3x the floor's. The signed-in floor's own ratio is printed beside
them: no signed-in page can do better than it, so it is the most the target could be met by with sessions and
users read from PostgreSQL on every request (ADR 0034). `--rounds N` measures the three N times, one after the
other, and prints each figure's median (a shared machine's floor can halve for one measure).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import demo_server_environment, empty_queue, free_port  # noqa: E402

LUA = Path(__file__).resolve().parent / "wrk_summary.lua"
QUEUE = "nrm-throughput-benchmark"
RESPONDER = "responder@police.example"
CASEWORKER = "caseworker@sca.example"
NAMES = {"question": "referral question page", "queue": "caseworker's queue", "case": "case page"}
TARGET_RATIO = 0.5
TARGET_P99_FACTOR = 3.0


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int


@dataclass
class Page:
    name: str
    path: str
    cookie: str
    size: int = 0


# --- the server -----------------------------------------------------------------------------------------------
def prepare_database(database: str, *, reseed: bool) -> str:
    """The benchmark's database, migrated and holding the demo data (seeded once, reused afterwards)."""
    from benchmarks.harness import recreate_database, use_own_database

    url = use_own_database(database)
    os.environ.update({"NRM_DEMO": "true", "NRM_REQUIRE_STAFF_MFA": "false", "CLAMD_ENABLED": "false"})
    os.environ["CELERY_QUEUE"] = QUEUE
    import django

    django.setup()
    from django.core.management import call_command

    if reseed:
        recreate_database(url)
    call_command("migrate", verbosity=0)
    from casework.models import Case

    if Case.objects.exists():
        print(f"Reusing the demo data already in {database} ({Case.objects.count()} cases)")
    else:
        print(f"Seeding the demo data into {database} (seed_demo, about a minute)")
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the planner's statistics, as autovacuum would give a production database

    connections.close_all()
    return url


def start_gunicorn(
    url: str, *, workers: int | None, threads: int | None, refresh_every_request: bool, log
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    environment = demo_server_environment(url, port=port, queue=QUEUE)
    environment.update({"DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings", "LOG_LEVEL": "WARNING"})
    # No worker recycling during a measure: at the bare page's 2,000 to 3,000 requests a second each worker reaches
    # gunicorn.conf.py's max_requests (10,000) every few seconds, and each replacement stalls the connections it
    # held for up to a second: the floor's p99 went from ~10 ms to 500-2,000 ms, and the next page's measure
    # inherited workers about to be replaced. In production a worker serves 10,000 requests in hours.
    environment.setdefault("WEB_MAX_REQUESTS", "0")
    if refresh_every_request:
        environment["BENCH_REFRESH_EVERY_REQUEST"] = "true"
    if workers:
        environment["WEB_CONCURRENCY"] = str(workers)
    if threads:
        environment["WEB_THREADS"] = str(threads)
    command = [str(ROOT / ".venv/bin/gunicorn"), "nrm.wsgi", "--bind", f"127.0.0.1:{port}"]
    config = ROOT / "gunicorn.conf.py"
    if config.exists():
        command += ["--config", str(config)]
    server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped: see its log above")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - http only
                if response.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


# --- signing in and finding the pages -------------------------------------------------------------------------
class Browser:
    """A cookie jar and urllib, enough to sign in through allauth's page and follow links."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def sign_in(self, email: str, password: str) -> None:
        _, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password})
        request = urllib.request.Request(  # noqa: S310 - the benchmark's own http server
            self.base + "/accounts/login/", data=form.encode(), headers={"Referer": self.base + "/accounts/login/"}
        )
        with self.opener.open(request, timeout=30) as response:
            response.read()
        if not self.cookie(signed_in_only=True):
            raise RuntimeError(f"could not sign in as {email}")

    def cookie(self, *, signed_in_only: bool = False) -> str:
        from django.conf import settings

        cookies = {cookie.name: cookie.value for cookie in self.jar}
        if signed_in_only:
            return cookies.get(settings.SESSION_COOKIE_NAME, "")
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def first_link(self, path: str, pattern: str) -> str:
        _, page = self.get(path)
        match = re.search(pattern, page)
        if not match:
            raise RuntimeError(f"no link like {pattern} on {path}")
        return match.group(0)


def find_pages(base: str, password: str) -> list[Page]:
    """The question page (as the responder), the queue and a case page (as the caseworker), with their sizes."""
    responder = Browser(base)
    responder.sign_in(RESPONDER, password)
    draft = responder.first_link("/referrals/", r"/referrals/drafts/\d+/")
    question = responder.first_link(draft, r"/referrals/drafts/\d+/questions/[-\w]+/")
    caseworker = Browser(base)
    caseworker.sign_in(CASEWORKER, password)
    case = caseworker.first_link("/casework/queue/?tab=all", r"/casework/cases/[-\w]+/")
    pages = []
    for name, path, browser in (
        ("question", question, responder),
        ("queue", "/casework/queue/", caseworker),
        ("case", case, caseworker),
    ):
        status, body = browser.get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        pages.append(Page(name, path, browser.cookie(), size=len(body.encode())))
    return pages


# --- the load -------------------------------------------------------------------------------------------------
def drive(url: str, *, cookie: str, duration: int, connections: int, threads: int) -> Load:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    summary = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    if summary["socket_errors"] or summary["status_errors"]:
        raise RuntimeError(f"{url}: {summary['socket_errors']} socket errors, {summary['status_errors']} errors")
    return Load(
        requests_per_second=summary["requests"] / (summary["duration_us"] / 1e6),
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        requests=summary["requests"],
    )


def median_load(loads: tuple[Load, ...]) -> Load:
    """Each figure's median over the rounds (this machine's runs vary by 10 to 30%, a floor now and then by 60%)."""
    return Load(
        requests_per_second=statistics.median(load.requests_per_second for load in loads),
        p50_ms=statistics.median(load.p50_ms for load in loads),
        p99_ms=statistics.median(load.p99_ms for load in loads),
        requests=sum(load.requests for load in loads),
    )


def check_the_page_answers(url: str, cookie: str) -> None:
    """A page must answer 200 to wrk's requests (wrk counts a redirect to the sign-in page as a success)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - http only
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=30) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def print_results(rows: list[tuple[Page, Load, Load, Load]]) -> None:
    header = (
        f"{'page':<24} {'bytes':>7} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} | {'floor req/s':>11} {'p99 ms':>7} "
        f"| {'ratio':>5} {'p99 x':>5}  {'target':<7} | {'signed-in floor':>15} {'ratio':>5} | {'page/signed-in':>14}"
    )
    print()
    print(header)
    print("-" * len(header))
    for page, load, floor, signed_in in rows:
        ratio = load.requests_per_second / floor.requests_per_second
        p99_factor = load.p99_ms / floor.p99_ms
        met = ratio >= TARGET_RATIO and p99_factor <= TARGET_P99_FACTOR
        print(
            f"{NAMES[page.name]:<24} {page.size:>7} {load.requests_per_second:>7.0f} {load.p50_ms:>7.1f} "
            f"{load.p99_ms:>7.1f} | {floor.requests_per_second:>11.0f} {floor.p99_ms:>7.1f} | {ratio:>5.2f} "
            f"{p99_factor:>5.1f}  {'met' if met else 'NOT MET':<7} | {signed_in.requests_per_second:>15.0f} "
            f"{signed_in.requests_per_second / floor.requests_per_second:>5.2f} | "
            f"{load.requests_per_second / signed_in.requests_per_second:>14.2f}"
        )
    print(
        f"\nTargets: ratio >= {TARGET_RATIO} of the floor's requests/s, p99 within {TARGET_P99_FACTOR:.0f}x its p99."
        "\nThe signed-in floor is the bare page of the same size with the page's cookie: its ratio is the most any"
        "\nsigned-in page could reach; page/signed-in is the page's own work (view, queries, template) against it."
    )


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load a measure (default 20)")
    parser.add_argument("--warm-up", type=int, default=3, help="seconds of load before each measure (default 3)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each page and its floors this many times, one after the other, and print the medians (default 1)",
    )
    parser.add_argument("--connections", type=int, default=10, help="wrk's -c (default 10)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (WEB_CONCURRENCY; default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="threads a worker (WEB_THREADS; default: gunicorn.conf.py's)")
    parser.add_argument(
        "--pages", nargs="+", choices=["question", "queue", "case"], default=["question", "queue", "case"]
    )
    parser.add_argument(
        "--refresh-every-request",
        action="store_true",
        help="write the session's expiry and allauth's last seen on every request (as before ADR 0022)",
    )
    parser.add_argument("--database", default="nrm_bench_throughput", help="the benchmark's own database")
    parser.add_argument("--reseed", action="store_true", help="start the database again")
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    if not shutil.which("wrk"):
        sys.exit("This benchmark needs wrk: sudo apt-get install wrk (Debian and Ubuntu)")
    url = prepare_database(arguments.database, reseed=arguments.reseed)
    from accounts.demo import DEMO_PASSWORD

    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    server, base = start_gunicorn(
        url,
        workers=arguments.workers,
        threads=arguments.threads,
        refresh_every_request=arguments.refresh_every_request,
        log=log,
    )
    rows = []
    try:
        pages = [page for page in find_pages(base, DEMO_PASSWORD) if page.name in arguments.pages]
        with open(f"/proc/{server.pid}/cmdline", "rb") as cmdline:
            shown = cmdline.read().replace(b"\0", b" ").decode().strip()
        print(
            f"gunicorn ({shown}); wrk -t2 -c{arguments.connections} -d{arguments.duration}s a measure, "
            f"{arguments.rounds} round(s) of each page and its floors"
        )
        for page in pages:
            bare = f"{base}/bench/bare/{page.size}"
            measures = ((base + page.path, page.cookie), (bare, ""), (bare, page.cookie))
            for target, cookie in measures:
                check_the_page_answers(target, cookie)
                drive(target, cookie=cookie, duration=arguments.warm_up, connections=arguments.connections, threads=2)
            rounds = []
            for _ in range(arguments.rounds):
                load, floor, signed_in = (
                    drive(
                        target, cookie=cookie, duration=arguments.duration, connections=arguments.connections, threads=2
                    )
                    for target, cookie in measures
                )
                print(
                    f"  {NAMES[page.name]}: {load.requests_per_second:.0f} req/s, floor "
                    f"{floor.requests_per_second:.0f}, signed-in floor {signed_in.requests_per_second:.0f}"
                )
                rounds.append((load, floor, signed_in))
            rows.append((page, *(median_load(measure) for measure in zip(*rounds, strict=True))))
    except Exception:
        log.flush()
        print(Path(log.name).read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        server.terminate()
        server.wait(timeout=30)
        empty_queue(QUEUE)
    print_results(rows)


if __name__ == "__main__":
    main()

"""manage.py bench: the scale benchmark (see operations/benchmark.py); `make bench` runs it."""

import contextlib
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk_rps(url: str, seconds: int = 8) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else 0.0


def gunicorn_command(env: dict, port: int, workers: int = 2) -> tuple[list[str], dict]:
    """gunicorn as production runs it (gunicorn.conf.py), on a free port with `workers`
    workers: the figures are then against the real ceiling, worker recycling included."""
    return (
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "clubportal.wsgi"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)},
    )


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return f"{platform.node()}: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


class Command(BaseCommand):
    help = "Builds a scale data set in a database of its own and prints the benchmark table."

    def add_arguments(self, parser):
        parser.add_argument("--inside", action="store_true", help="(internal) measure here")
        parser.add_argument("--json", type=Path, help="(internal) where to write the figures")
        parser.add_argument("--output", type=Path, default=ROOT / "bench-results")

    def handle(self, *args, **options):
        if options["inside"]:
            from django.db import connection

            from operations import benchmark

            report = benchmark.run(database=connection.vendor)
            options["json"].write_text(report.as_json(), encoding="utf-8")
            return
        self.orchestrate(options["output"])

    def orchestrate(self, output: Path):
        work = Path(tempfile.mkdtemp(prefix="clubportal-bench-"))
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + uuid.uuid4().hex + uuid.uuid4().hex,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_PLAIN_STATIC": "1",
            "DJANGO_MEDIA_ROOT": str(work / "media"),
            "DJANGO_PDF_CACHE_ROOT": str(work / "pdf-cache"),
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        base_url = os.environ.get("DATABASE_URL", "")
        drop = None
        if base_url.startswith(("postgres://", "postgresql://")):
            import psycopg

            name = f"clubportal_bench_{os.getpid()}"
            admin = re.sub(r"/[^/?]*(\?|$)", r"/postgres\1", base_url, count=1)
            admin = re.sub(r"^(postgres(?:ql)?://[^/]*)/[^/?]*", r"\1/postgres", base_url)
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
                conn.execute(f"CREATE DATABASE {name}")
            env["DATABASE_URL"] = re.sub(
                r"^(postgres(?:ql)?://[^/]*)/[^/?]*", rf"\1/{name}", base_url
            )

            def drop():
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
        manage = [sys.executable, str(ROOT / "manage.py")]
        try:
            self.stdout.write(f"Benchmark database: {env['DATABASE_URL'].split('@')[-1]}")
            subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
            figures_file = work / "figures.json"
            started = time.perf_counter()
            subprocess.run(
                [*manage, "bench", "--inside", "--json", str(figures_file)], env=env, check=True
            )
            data = json.loads(figures_file.read_text(encoding="utf-8"))
            data["figures"].extend(self.requests_per_second(env))
            data["machine"] = machine()
            data["seconds"] = round(time.perf_counter() - started, 1)
        finally:
            if drop:
                drop()
            shutil.rmtree(work, ignore_errors=True)
        self.report(data, output)

    def requests_per_second(self, env) -> list[dict]:
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install wrk")
        port = free_port()
        command, server_env = gunicorn_command(env, port)
        # The access log (every request, on stdout) is written as in production, not shown.
        server = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            trivial = wrk_rps(f"http://127.0.0.1:{port}/healthz/")
            archive = wrk_rps(f"http://127.0.0.1:{port}/meetings/")
        finally:
            server.terminate()
            server.wait(timeout=20)
        share = archive / trivial * 100 if trivial else 0
        return [
            {
                "name": "trivial view under gunicorn (2 workers)",
                "value": trivial,
                "unit": "r/s",
                "target": "(reference)",
                "ok": None,
                "queries": None,
                "note": "",
            },
            {
                "name": "archive page under gunicorn (2 workers)",
                "value": archive,
                "unit": "r/s",
                "target": ">= 40 % of the trivial view",
                "ok": share >= 40,
                "queries": None,
                "note": f"{share:.0f} % of trivial",
            },
        ]

    def report(self, data: dict, output: Path):
        from operations.benchmark import BenchReport, Figure

        report = BenchReport(database=data["database"], sizes=data["sizes"])
        for figure in data["figures"]:
            report.add(Figure(**figure))
        output.mkdir(parents=True, exist_ok=True)
        text = (
            f"Machine: {data['machine']}\nDatabase: {data['database']}; data: {data['sizes']}\n"
            f"Measured in {data['seconds']} s\n\n{report.table()}\n"
        )
        (output / f"latest-{data['database']}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        (output / f"latest-{data['database']}.txt").write_text(text, encoding="utf-8")
        self.stdout.write(text)

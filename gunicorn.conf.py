"""gunicorn settings for the portal: `gunicorn -c gunicorn.conf.py clubportal.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers: requests are short; PDFs of long minutes render in the task worker
# (manage.py db_worker), shorter ones once each and then from the PDF cache.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A cold render of a long set of minutes can take a few seconds; nothing legitimate takes 60.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak in a library cannot grow without end, but
# rarely enough to cost nothing: at the measured peak (about 1,500 requests a second on two
# workers) a worker lives at least a minute, at the club's real traffic for days. 2,000
# restarted each worker every second or two under load, halved the throughput and stalled
# requests for a second. The jitter keeps the workers from restarting at the same moment.
max_requests = 50_000
max_requests_jitter = 5_000
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

"""Settings from the environment: production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "clubportal.settings"},
        capture_output=True,
        text=True,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = run_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_debug_without_database_url_uses_sqlite_in_the_project_folder():
    result = run_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    result = run_settings(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    # It compiled the dashboard's grouped queries for longer than they then ran.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_russian_language_and_kuzbass_time_zone():
    assert settings.LANGUAGE_CODE == "ru"
    assert settings.TIME_ZONE == "Asia/Novokuznetsk"
    assert settings.USE_TZ


def test_bootstrap_comes_from_a_package_not_a_cdn():
    from django.contrib.staticfiles import finders

    assert finders.find("bootstrap/css/bootstrap.min.css")
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "cdn" not in base.lower() and "https://" not in base


def test_the_russian_catalogue_is_complete():
    po = (ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    untranslated = [
        e
        for e in entries
        if 'msgstr ""' in e and "msgstr[" not in e and e.strip().endswith('msgstr ""')
    ]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == [] and fuzzy == []


def test_deploy_check_with_production_settings_is_clean():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 20 + "-production-like-secret-" + "z" * 30,
        DJANGO_ALLOWED_HOSTS="club.example.ru",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_security_headers(client, db):
    response = client.get("/meetings/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_project_app_runs_its_own_config():
    from django.apps import apps

    from clubportal.apps import ClubportalConfig

    # Its ready() connects the page cache's invalidation: without it, edits go unseen.
    assert type(apps.get_app_config("clubportal")) is ClubportalConfig
    assert str(apps.get_app_config("django_tasks_database").verbose_name) == "Фоновые задачи"

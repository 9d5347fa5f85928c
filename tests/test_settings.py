"""Settings are read from the environment at start-up; check them in a fresh interpreter."""

import os
import subprocess
import sys

from django.conf import settings

PRINT_SETTINGS = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.ALLOWED_HOSTS)"
)


def start(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean["DJANGO_SETTINGS_MODULE"] = "krakow_ngo.settings"
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_local_defaults_are_debug_on_sqlite():
    result = start()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "django.db.backends.sqlite3"]


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = start(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="archiwum.example.pl")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = start(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_settings_come_from_the_environment():
    result = start(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="archiwum.example.pl, www.archiwum.example.pl",
        DATABASE_URL="postgres://archiwum@db.example.pl:5432/archiwum",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False django.db.backends.postgresql ['archiwum.example.pl', 'www.archiwum.example.pl']"
    )


def test_a_misspelt_boolean_is_an_error_not_a_silent_default():
    result = start(DJANGO_DEBUG="nope")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **clean,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "k" * 30 + "-Xq7!" + "z" * 30,
            "DJANGO_ALLOWED_HOSTS": "archiwum.example.pl",
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_lasts_at_least_six_months_in_production():
    result = start(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="a.example.pl"
    )
    assert result.returncode == 0, result.stderr
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    printed = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "a.example.pl",
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    ).stdout.split()
    assert int(printed[0]) >= 183 * 24 * 3600
    assert printed[1:] == ["True", "True", "True"]


def test_trusted_proxies_are_addresses_or_networks():
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.TRUSTED_PROXIES)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}

    def run(value):
        env = {**clean, "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings"}
        if value is not None:
            env["DJANGO_TRUSTED_PROXIES"] = value
        return subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            check=False,
        )

    assert run(None).stdout.strip() == "[]"
    assert run("10.0.0.2, 10.1.0.0/16, ::1").stdout.strip() == "['10.0.0.2', '10.1.0.0/16', '::1']"
    wrong = run("10.0.0.2, proxy.example.pl")
    assert wrong.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES must list IP addresses or networks" in wrong.stderr


def test_the_old_proxy_count_stops_the_start_with_a_pointer_to_its_replacement():
    result = start(DJANGO_TRUSTED_PROXY_COUNT="1")
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT is replaced by DJANGO_TRUSTED_PROXIES" in result.stderr


def print_site_url(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.SITE_URL)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_files_built_without_a_request_name_the_first_allowed_host_or_the_given_address():
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 50}
    derived = print_site_url(**production, DJANGO_ALLOWED_HOSTS=".archiwum.example.pl,x.pl")
    assert derived.stdout.strip() == "https://archiwum.example.pl", derived.stderr
    given = print_site_url(
        **production, DJANGO_ALLOWED_HOSTS="*", DJANGO_SITE_URL="https://ngo.krakow.pl/"
    )
    assert given.stdout.strip() == "https://ngo.krakow.pl", given.stderr
    wildcard = print_site_url(**production, DJANGO_ALLOWED_HOSTS="*")
    assert wildcard.returncode != 0
    assert "DJANGO_SITE_URL is not set" in wildcard.stderr

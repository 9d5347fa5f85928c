"""Staff accounts from the outside: throttled passwords, a second factor, the admin's address."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "Archiwum-Krakow-2026!"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "redaktorka", password=PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def otp_on(settings):
    settings.ADMIN_REQUIRE_OTP = True


def log_in(client, username, password, token="", address="203.0.113.5"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "otp_token": token},
        REMOTE_ADDR=address,
    )


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def reset_throttling(device):
    """A wrong code starts the device's growing delay (django-otp); a test needn't wait."""
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


# --- Throttling (django-axes) ---------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "redaktorka", "zle-haslo").status_code == 200
    assert log_in(client, "redaktorka", "zle-haslo").status_code == 429  # the fifth locks
    response = log_in(client, "redaktorka", PASSWORD)
    assert response.status_code == 429
    assert "Logowanie zablokowane" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_at_other_accounts_do_not_lock_a_colleague_at_the_same_address(client, staff):
    # Behind the city's proxy or an office's NAT every editor has the same address: typos (or a
    # stranger) at other accounts must not lock everyone out.
    for number in range(settings.AXES_FAILURE_LIMIT + 2):
        assert (
            log_in(client, f"ktos-{number}", "zle-haslo", address="198.51.100.7").status_code == 200
        )
    assert log_in(client, "redaktorka", PASSWORD, address="198.51.100.7").status_code == 302


def test_an_address_that_keeps_trying_is_throttled_for_every_account(client, staff, settings):
    settings.LOGIN_ADDRESS_LIMIT = (8, 3600)
    for number in range(8):
        assert (
            log_in(client, f"ktos-{number}", "zle-haslo", address="198.51.100.7").status_code == 200
        )
    response = log_in(client, "redaktorka", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "Logowanie zablokowane" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "_auth_user_id" not in client.session
    # The account itself was never guessed at: from elsewhere it still logs in.
    assert log_in(client, "redaktorka", PASSWORD, address="192.0.2.1").status_code == 302


def test_the_default_address_limit_is_far_above_an_office_and_below_guessing():
    attempts, seconds = settings.LOGIN_ADDRESS_LIMIT
    assert (attempts, seconds) == (60, 3600)


@pytest.fixture
def address_limit(settings):
    """The address's attempts end where the account's failures would: fail_logins uses them up."""
    settings.LOGIN_ADDRESS_LIMIT = (settings.AXES_FAILURE_LIMIT, 3600)


def fail_logins(client, forwarded, address="198.51.100.7", proxy=None):
    """Failed logins at other accounts each time, so only the address can get throttled; the
    attacker sends each with another X-Forwarded-For from `forwarded`."""
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": f"ktos-{number}", "password": "zle"},
            REMOTE_ADDR=proxy or address,
            HTTP_X_FORWARDED_FOR=forwarded(number),
        )


def log_in_through(client, forwarded, remote):
    return client.post(
        reverse("admin:login"),
        {"username": "redaktorka", "password": PASSWORD},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_without_trusted_proxies_a_forged_x_forwarded_for_changes_nothing(
    client, staff, settings, address_limit
):
    settings.TRUSTED_PROXIES = []
    # Straight from the attacker's machine, with a made-up address in every request.
    fail_logins(client, lambda number: f"1.2.3.{number}")
    response = log_in_through(client, "203.0.113.99", remote="198.51.100.7")
    assert response.status_code == 429
    assert "Logowanie zablokowane" in response.content.decode()
    # Not even a header naming a listed-looking proxy or a chain helps.
    assert log_in_through(client, "9.9.9.9, 10.0.0.2", remote="198.51.100.7").status_code == 429
    # Someone else, at their own address, is not affected.
    assert log_in_through(client, "198.51.100.7", remote="192.0.2.1").status_code == 302


def test_a_forged_x_forwarded_for_does_not_unlock_a_guessed_account(client, staff, settings):
    settings.TRUSTED_PROXIES = []
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "redaktorka", "password": "zle"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}",
        )
    assert log_in_through(client, "192.0.2.1", remote="198.51.100.7").status_code == 429


def test_behind_a_listed_proxy_the_client_address_it_forwards_counts(
    client, staff, settings, address_limit
):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    # The attacker varies the part of X-Forwarded-For it controls; the proxy appends the real
    # address, the right-most one that is not a proxy, and that is the one that counts.
    fail_logins(client, lambda number: f"1.2.3.{number}, 198.51.100.7", proxy="10.0.0.2")
    locked = log_in_through(client, "9.9.9.9, 198.51.100.7", remote="10.0.0.2")
    assert locked.status_code == 429
    # Another visitor behind the same proxy still logs in: the proxy's address is not locked.
    assert log_in_through(client, "192.0.2.1", remote="10.0.0.2").status_code == 302


def test_behind_several_proxies_the_address_before_the_first_one_counts(
    client, staff, settings, address_limit
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::/32"]
    fail_logins(
        client,
        lambda number: f"1.2.3.{number}, 198.51.100.7, 10.0.0.9, 2001:db8::5",
        proxy="10.0.0.2",
    )
    assert log_in_through(client, "198.51.100.7, 10.0.0.9", remote="10.0.0.3").status_code == 429
    assert log_in_through(client, "192.0.2.1, 10.0.0.9", remote="10.0.0.3").status_code == 302


@pytest.mark.parametrize(
    "forwarded", ["", "unknown", "198.51.100.7:4431", "<script>", "1.2.3.4,,", "::ffff:1.2.3.4"]
)
def test_odd_x_forwarded_for_values_from_a_proxy_never_break_the_login(
    client, staff, settings, forwarded
):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    wrong = client.post(
        reverse("admin:login"),
        {"username": "redaktorka", "password": "zle"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert wrong.status_code == 200
    assert "Wprowadź poprawn" in wrong.content.decode()
    assert log_in_through(client, forwarded, remote="10.0.0.2").status_code == 302


# --- Second factor (django-otp, TOTP) --------------------------------------------------------


def test_without_a_device_the_password_leads_to_setting_one_up_and_nowhere_else(
    client, staff, otp_on
):
    response = log_in(client, "redaktorka", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:otp_setup")
    # Nothing of the admin opens before the device is confirmed.
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 302
    setup = client.get(reverse("admin:otp_setup"))
    assert setup.status_code == 200
    page = setup.content.decode()
    assert "<svg" in page and "Klucz:" in page

    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong = client.post(reverse("admin:otp_setup"), {"otp_token": "000000"})
    assert "Kod jest nieprawidłowy" in wrong.content.decode()
    reset_throttling(device)
    confirmed = client.post(reverse("admin:otp_setup"), {"otp_token": code_for(device)})
    assert confirmed["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_with_a_device_the_code_is_required_and_checked(client, staff, otp_on):
    device = TOTPDevice.objects.create(user=staff, name="telefon", confirmed=True)
    # A right password without the code, with a wrong code, and a wrong password with the right
    # code: one and the same answer, so a guesser never learns the password was right.
    answers = [
        log_in(client, "redaktorka", PASSWORD),
        log_in(client, "redaktorka", PASSWORD, token="123456"),
        log_in(client, "redaktorka", "zle-haslo", token=code_for(device)),
    ]
    reset_throttling(device)
    errors = [answer.context["form"].non_field_errors() for answer in answers]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert errors[0] == errors[1] == errors[2]
    assert "hasło lub kod jednorazowy są nieprawidłowe" in errors[0][0]
    assert "_auth_user_id" not in client.session

    reset_throttling(device)
    right = log_in(client, "redaktorka", PASSWORD, token=code_for(device))
    assert right.status_code == 302
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200


def test_a_logged_in_but_unverified_session_cannot_open_the_admin(client, staff, otp_on):
    TOTPDevice.objects.create(user=staff, name="telefon", confirmed=True)
    client.force_login(staff)  # a password-only session, e.g. from before OTP was required
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_public_site_never_asks_for_a_login(client, otp_on):
    assert client.get("/").status_code == 200


# --- Passwords and the admin's address -------------------------------------------------------


def test_weak_passwords_are_refused(staff):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("krakow2026", "12345678901234", "password1234", "redaktorka123"):
        with pytest.raises(ValidationError):
            validate_password(weak, staff)
    validate_password("Zielone-Lokale-Na-Kazimierzu-7", staff)


def run_with_admin_url(value):
    env = {**os.environ, "DJANGO_ADMIN_URL": value, "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings"}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.urls import reverse; "
            "print(reverse('admin:index'))",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_the_admin_address_is_configurable():
    result = run_with_admin_url("redakcja-7f3k/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/redakcja-7f3k/"


def test_a_bad_admin_address_stops_the_start_with_a_clear_message():
    result = run_with_admin_url("../zle adres")
    assert result.returncode != 0
    assert "DJANGO_ADMIN_URL must be a path" in result.stderr

"""Limits that keep the subscription form from being used to mail-bomb a stranger: requests
per client address in a window, counted where every server process counts together
(ratelimits.counting: Redis when configured, else the database), and per e-mail address:
confirmations sent in a window and unconfirmed requests at once, counted from the database by
alerts.services (one count for every process)."""

from ratelimits.counting import take as count_request

# (requests, seconds); PER_ADDRESS counts confirmation messages sent to one address.
PER_ADDRESS = (5, 24 * 3600)
PER_CLIENT = (20, 3600)
# Unconfirmed requests one address may have at once; each has sent a message.
MAX_PENDING_PER_ADDRESS = 3


def take(scope, value, limit):
    """Counts one request for `value`; False once more than `limit` came within the window."""
    return count_request(f"alerts-{scope}", value, limit).allowed

"""Fixtures the security tests share with the tests of what they attack: the API's example items,
ingested once per session, and apps over them (tests/api/conftest.py); a webhook receiver on
loopback (tests/alerts/conftest.py)."""

from tests.alerts.conftest import webhook_receiver
from tests.api.conftest import client_for, data_dir, example_data

__all__ = ["client_for", "data_dir", "example_data", "webhook_receiver"]

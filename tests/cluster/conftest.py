"""The cluster tests drive the app in the browser tests' Chromium."""

from tests.browser.conftest import browser  # noqa: F401 - the browser tests' Chromium, for the cluster test

"""Which Surge this is, as the metrics and the API description report it."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def surge_version() -> str:
    try:
        return version("surge")
    except PackageNotFoundError:
        return "0"  # running from a checkout that was never installed

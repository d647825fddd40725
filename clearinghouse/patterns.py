"""The e-mail and web-address rules shared by clearinghouses and their protocols."""

from __future__ import annotations

import re

EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
URL = re.compile(r"^https?://[^\s<>\"']{1,2000}$")

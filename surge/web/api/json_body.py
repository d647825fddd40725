"""Reading a JSON request body: clear 4xx answers for every way a body can be wrong, bounded in cost."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request

from surge.kernel.errors import BadRequest, UnsupportedMediaType
from surge.kernel.i18n import N_

# Escapes that can smuggle what text columns and UTF-8 answers cannot hold: NUL and lone surrogates.
_RISKY_ESCAPE = re.compile(r"\\u(?:0000|[dD][89abAB][0-9a-fA-F]{2}|[dD][c-fC-F][0-9a-fA-F]{2})")


def _bad(message: str, code: str, **params) -> BadRequest:
    return BadRequest(message, params=params, code=code)


async def read_json(request: Request) -> Any:
    """The body as JSON, or a 415/400 that says what is wrong with it."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType(N_("Send the body as JSON with Content-Type: application/json."))
    raw = await request.body()  # bounded by the body size limit before it gets here
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(N_("The body is not valid UTF-8 text."), "bad_encoding") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(N_("The body is not valid JSON (line %(line)s, column %(column)s)."), "malformed_json",
                   line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise _bad(N_("The body is nested too deeply."), "malformed_json") from None
    except ValueError:
        # Python refuses integers of more than 4,300 digits rather than spend quadratic time on them.
        raise _bad(N_("The body holds a number too long to read."), "malformed_json") from None
    if _RISKY_ESCAPE.search(text) and _has_unstorable_text(data):
        raise _bad(N_("The body holds a character that cannot be stored (a NUL or a lone surrogate)."), "bad_encoding")
    return data


def _has_unstorable_text(data: Any) -> bool:
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item or not _is_utf8_safe(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _is_utf8_safe(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

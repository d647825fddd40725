"""A routing table in the formats people and phone systems load: CSV, JSON, Kamailio and an Asterisk dialplan.

Pure functions over a `RoutingTable`; nothing here reads the database.

- **CSV**: `zip,county_fips,primary,backup_1,...`, the header as wide as the widest row, shorter rows padded
  with empty cells.
- **Kamailio**: a `dispatcher.list` with one set per distinct ordered target list (its centers' SIP URIs, the
  primary with the highest priority, so `ds_select_dst(set, "8")` tries it first and `ds_next_dst()` the
  backups in order), a `db_text` table for `htable` mapping each ZIP code to its set, and a `kamailio.cfg`
  that loads both and routes an INVITE by its `X-Surge-ZIP` header (or a `;zip=` Request-URI parameter).
- **Asterisk**: a dialplan include; `Gosub(surge-route,${ZIP},1)` dials the ZIP code's centers in order.

A center without a SIP URI cannot be dialled: Kamailio leaves it out of its set (a comment in
`dispatcher.list` names it), and the Asterisk dialplan keeps its place with a `NoOp` instead of a `Dial`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tarfile
import time
from typing import Iterator

from surge.routing.table import RoutingTable

CSV_CHUNK_ROWS = 2000
KAMAILIO_DIR = "/etc/kamailio/surge"
KAMAILIO_TABLE = "surge_zip"
KAMAILIO_MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/"
# dispatcher flag 16: do not resolve the host name when the list loads (a center's DNS being down at start
# must not drop it); it is resolved when a call is relayed.
DISPATCHER_FLAGS = 16
RING_SECONDS = 30


def columns(width: int) -> list[str]:
    return ["zip", "county_fips", "primary", *(f"backup_{n}" for n in range(1, max(width, 1)))]


def csv_chunks(table: RoutingTable, chunk_rows: int = CSV_CHUNK_ROWS) -> Iterator[str]:
    """The CSV text in pieces of `chunk_rows` rows, for streaming."""
    width = table.width
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns(width))
    for start in range(0, len(table.rows), chunk_rows):
        for row in table.rows[start:start + chunk_rows]:
            writer.writerow([row.zip, row.county_fips, *row.targets, *([""] * (width - len(row.targets)))])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def to_csv(table: RoutingTable) -> str:
    return "".join(csv_chunks(table))


def as_json(table: RoutingTable) -> dict:
    return {"state": table.state, "at": table.at.isoformat(), "columns": columns(table.width),
            "rows": [{"zip": row.zip, "county_fips": row.county_fips, "targets": row.targets}
                     for row in table.rows]}


def to_json(table: RoutingTable) -> str:
    return json.dumps(as_json(table), separators=(",", ":"))


def route_sets(table: RoutingTable) -> dict[tuple[str, ...], int]:
    """A number for each distinct ordered target list, from 1, in the order the rows first use them."""
    sets: dict[tuple[str, ...], int] = {}
    for row in table.rows:
        if row.targets:
            sets.setdefault(tuple(row.targets), len(sets) + 1)
    return sets


def _describe(table: RoutingTable) -> str:
    where = table.state or "every state"
    return f"Surge routing table for {where}, by schedules at {table.at.isoformat()}"


# --- Kamailio ---------------------------------------------------------------------------------------------


def dispatcher_list(table: RoutingTable, sets: dict[tuple[str, ...], int]) -> str:
    lines = [f"# {_describe(table)}.",
             "# setid destination flags priority attributes; the highest priority is tried first."]
    for targets, set_id in sets.items():
        lines.append(f"# set {set_id}: {' '.join(targets)}")
        for position, slug in enumerate(targets):
            uri = table.sip_uris.get(slug)
            if not uri:
                lines.append(f"#   {slug} has no SIP URI and is left out")
                continue
            priority = len(targets) - position
            lines.append(f"{set_id} {uri} {DISPATCHER_FLAGS} {priority} center={slug}")
    return "\n".join(lines) + "\n"


def htable_rows(table: RoutingTable, sets: dict[tuple[str, ...], int]) -> str:
    """The db_text table `htable` loads: ZIP code (string key) -> set number (integer value)."""
    lines = ["id(int,auto) key_name(str) key_type(int) value_type(int) key_value(str) expires(int)"]
    number = 0
    for row in table.rows:
        if row.targets:
            number += 1
            lines.append(f"{number}:{row.zip}:0:1:{sets[tuple(row.targets)]}:0")
    return "\n".join(lines) + "\n"


def kamailio_cfg(table: RoutingTable, *, directory: str, rows: int) -> str:
    size = min(max(4, math.ceil(math.log2(max(rows, 1))) + 1), 20)
    return f"""#!KAMAILIO
#
# {_describe(table)}.
# Routes an INVITE by the caller's ZIP code, taken from the X-Surge-ZIP header or else from a ";zip="
# parameter of the Request-URI, to the ZIP code's centers in order: the primary first, then each backup
# when the one before fails (busy, unavailable, timeout or 5xx). Unknown ZIP codes get 404.
#
# Files (in {directory}): dispatcher.list (one set per ordered list of centers) and
# db/{KAMAILIO_TABLE} (ZIP code -> set), loaded by the dispatcher and htable modules.
# Reload after replacing them:  kamcmd dispatcher.reload; kamcmd htable.reload {KAMAILIO_TABLE}

debug=2  # info: one log line per routed call and per failover
children=4
mpath="{KAMAILIO_MODULES}"
# listen=udp:0.0.0.0:5060
# The control socket for kamcmd; another one with:  kamailio -A 'SURGE_CTL="unix:/path/ctl"' ...
#!ifndef SURGE_CTL
#!define SURGE_CTL "unix:/run/kamailio/kamailio_ctl"
#!endif

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "db_text.so"
loadmodule "htable.so"
loadmodule "dispatcher.so"
loadmodule "ctl.so"
loadmodule "kex.so"

modparam("ctl", "binrpc", SURGE_CTL)
modparam("htable", "db_url", "text://{directory}/db")
modparam("htable", "htable", "{KAMAILIO_TABLE}=>size={size};dbtable={KAMAILIO_TABLE};")
modparam("dispatcher", "list_file", "{directory}/dispatcher.list")
modparam("dispatcher", "flags", 2)  # keep the rest of the set for ds_next_dst()
modparam("tm", "fr_timer", 5000)
modparam("tm", "fr_inv_timer", {RING_SECONDS * 1000})

request_route {{
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (has_totag()) {{
        if (loose_route()) {{
            t_relay();
        }} else if (is_method("ACK")) {{
            if (t_check_trans()) {{
                t_relay();
            }}
        }} else {{
            sl_send_reply("404", "Not here");
        }}
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) {{
            t_relay();
        }}
        exit;
    }}
    if (!is_method("INVITE")) {{
        sl_send_reply("405", "Only INVITE is routed here");
        exit;
    }}
    route(SURGE_ZIP);
}}

route[SURGE_ZIP] {{
    # (A missing value assigned to $var becomes 0, so test for presence before assigning.)
    if (is_present_hf("X-Surge-ZIP")) {{
        $var(zip) = $(hdr(X-Surge-ZIP){{s.trim}});
    }} else {{
        $var(zip) = $(ru{{uri.param,zip}});
    }}
    if (!($var(zip) =~ "^[0-9]{{5}}$")) {{
        sl_send_reply("400", "Give the caller's ZIP code in X-Surge-ZIP");
        exit;
    }}
    if ($sht({KAMAILIO_TABLE}=>$var(zip)) == $null) {{
        sl_send_reply("404", "No center takes this ZIP code");
        exit;
    }}
    $var(set) = $sht({KAMAILIO_TABLE}=>$var(zip));
    if (!ds_select_dst("$var(set)", "8")) {{
        sl_send_reply("480", "No center can be reached");
        exit;
    }}
    xlog("L_INFO", "surge: ZIP $var(zip) -> set $var(set) -> $du\\n");
    record_route();
    t_on_failure("SURGE_NEXT");
    if (!t_relay()) {{
        sl_reply_error();
    }}
    exit;
}}

failure_route[SURGE_NEXT] {{
    if (t_is_canceled()) {{
        exit;
    }}
    if (t_check_status("408|480|486|5[0-9][0-9]") || t_branch_timeout()) {{
        if (ds_next_dst()) {{
            xlog("L_INFO", "surge: next center $du\\n");
            t_on_failure("SURGE_NEXT");
            t_relay();
        }}
    }}
}}
"""


def kamailio_files(table: RoutingTable, *, directory: str = KAMAILIO_DIR) -> dict[str, str]:
    """Relative path -> text of every file Kamailio loads; `directory` is where they will be installed."""
    directory = directory.rstrip("/") or "/"
    sets = route_sets(table)
    rows = htable_rows(table, sets)
    return {
        "kamailio.cfg": kamailio_cfg(table, directory=directory, rows=rows.count("\n")),
        "dispatcher.list": dispatcher_list(table, sets),
        f"db/{KAMAILIO_TABLE}": rows,
        "db/version": f"table_name(str) table_version(int)\n{KAMAILIO_TABLE}:2\n",
        "README": (f"{_describe(table)}.\nInstall these files in {directory} (or edit the paths in "
                   "kamailio.cfg), then check with:  kamailio -c -f kamailio.cfg\n"),
    }


def kamailio_tarball(table: RoutingTable, *, directory: str = KAMAILIO_DIR, folder: str = "surge-kamailio") -> bytes:
    """The Kamailio files as a .tar.gz whose files sit in `folder`/."""
    buffer = io.BytesIO()
    now = time.time()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in kamailio_files(table, directory=directory).items():
            data = text.encode()
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size, info.mtime, info.mode = len(data), now, 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


# --- Asterisk ---------------------------------------------------------------------------------------------

# What a SIP URI may hold to sit safely in a Dial() argument: no "," (argument separator), "&" (parallel
# dialling), "$" or brackets (expressions); ";" is escaped, as it starts a comment in extensions.conf.
_DIALPLAN_SAFE = re.compile(r"^[A-Za-z0-9:@._+\-=;%!~*/?]+$")


def _dial_uri(uri: str | None) -> str | None:
    if not uri or not _DIALPLAN_SAFE.match(uri):
        return None
    return uri.replace(";", "\\;")


def asterisk_dialplan(table: RoutingTable, *, endpoint: str = "surge", ring_seconds: int = RING_SECONDS) -> str:
    """An include for extensions.conf: `[surge-route]` has one extension per ZIP code, `[surge-sets]` one per set.

    `Gosub(surge-route,${ZIP},1)` sets SURGE_COUNTY and dials the ZIP code's centers one after the other
    through the PJSIP endpoint `endpoint` (the trunk to the centers), each for `ring_seconds`; it returns
    when none answered (an unknown ZIP code returns at once, with SURGE_COUNTY empty). Each step names its
    center in SURGE_CENTER before dialling.
    """
    sets = route_sets(table)
    lines = [f"; {_describe(table)}.",
             "; Include it from extensions.conf (#include extensions_surge.conf), then route a caller with",
             ";   same => n,Gosub(surge-route,${CALLER_ZIP},1)",
             f"; Centers are dialled through the PJSIP endpoint \"{endpoint}\", {ring_seconds} s each.",
             "", "[surge-route]"]
    for row in table.rows:
        lines.append(f"exten => {row.zip},1,Set(SURGE_COUNTY={row.county_fips})")
        if row.targets:
            lines.append(f" same => n,Gosub(surge-sets,{sets[tuple(row.targets)]},1)")
        lines.append(" same => n,Return()")
    lines += ["exten => _X.,1,Set(SURGE_COUNTY=)", " same => n,Return()", "", "[surge-sets]"]
    for targets, set_id in sets.items():
        lines.append(f"exten => {set_id},1,NoOp(Surge centers: {' '.join(targets)})")
        for slug in targets:
            lines.append(f" same => n,Set(SURGE_CENTER={slug})")
            uri = _dial_uri(table.sip_uris.get(slug))
            if uri:
                lines.append(f" same => n,Dial(PJSIP/{endpoint}/{uri},{ring_seconds})")
            elif table.sip_uris.get(slug):
                lines.append(f" same => n,NoOp(Surge: the SIP URI of {slug} cannot be dialled from here)")
            else:
                lines.append(f" same => n,NoOp(Surge: {slug} has no SIP URI)")
        lines.append(" same => n,Return()")
    return "\n".join(lines) + "\n"

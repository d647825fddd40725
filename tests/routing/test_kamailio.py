"""The Kamailio files: checked by the real kamailio, then run on a loopback port and sent real INVITEs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from surge.kernel.db import run_in_transaction
from surge.routing import exports
from surge.routing.table import RoutingTable, TableRow, scheduled_table
from tests.conftest import TEST_ACTOR
from tests.routing.conftest import DAY, NIGHT

KAMAILIO = os.environ.get("SURGE_TEST_KAMAILIO", "/usr/sbin/kamailio")
needs_kamailio = pytest.mark.skipif(not os.access(KAMAILIO, os.X_OK),
                                    reason=f"{KAMAILIO} is missing: apt-get install kamailio (.ci/run does)")


def write(files: dict[str, str], folder: Path) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder / "kamailio.cfg"


def test_sets_priorities_and_the_zip_table():
    table = RoutingTable(state="TX", at=DAY, rows=[
        TableRow("77002", "48201", ["a"]), TableRow("77003", "48201", ["a"]),
        TableRow("77701", "48245", ["b", "a"]), TableRow("70601", "22019", ["c", "a"]),
        TableRow("79901", "48141", [])], sip_uris={"a": "sip:a@a.example", "b": "sips:b@b.example:5061", "c": None})
    files = exports.kamailio_files(table, directory="/srv/surge/")
    lines = [line for line in files["dispatcher.list"].splitlines() if not line.startswith("#")]
    assert lines == ["1 sip:a@a.example 16 1 center=a",
                     "2 sips:b@b.example:5061 16 2 center=b", "2 sip:a@a.example 16 1 center=a",
                     "3 sip:a@a.example 16 1 center=a"]
    assert "#   c has no SIP URI and is left out" in files["dispatcher.list"]
    assert files["db/surge_zip"].splitlines() == [
        "id(int,auto) key_name(str) key_type(int) value_type(int) key_value(str) expires(int)",
        "1:77002:0:1:1:0", "2:77003:0:1:1:0", "3:77701:0:1:2:0", "4:70601:0:1:3:0"]
    assert 'modparam("dispatcher", "list_file", "/srv/surge/dispatcher.list")' in files["kamailio.cfg"]
    assert 'modparam("htable", "db_url", "text:///srv/surge/db")' in files["kamailio.cfg"]


@needs_kamailio
def test_kamailio_accepts_the_demo_networks_files(engine, demo_network, tmp_path):
    table = run_in_transaction(engine, scheduled_table, state=None, at=NIGHT, national_fallback=None,
                               actor=TEST_ACTOR)
    cfg = write(exports.kamailio_files(table, directory=str(tmp_path)), tmp_path)
    checked = subprocess.run([KAMAILIO, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "config file ok" in checked.stderr


@needs_kamailio
def test_the_cli_writes_a_directory_kamailio_accepts(surge_cli, demo_network, tmp_path):
    folder = tmp_path / "out"
    result = surge_cli("routing-table", "--state", "LA", "--at", NIGHT.isoformat(), "--format", "kamailio",
                       "--output", str(folder))
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README", "db/surge_zip", "db/version", "dispatcher.list", "kamailio.cfg"]
    assert f'"{folder}/dispatcher.list"' in (folder / "kamailio.cfg").read_text()
    checked = subprocess.run([KAMAILIO, "-c", "-f", str(folder / "kamailio.cfg")], capture_output=True, text=True,
                             timeout=60)
    assert checked.returncode == 0, checked.stderr


# --- a running kamailio ------------------------------------------------------------------------------------


def udp_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    return sock


def invite(caller: socket.socket, zip_header: str | None, call_id: str, *, method="INVITE") -> str:
    port = caller.getsockname()[1]
    zip_line = f"X-Surge-ZIP: {zip_header}\r\n" if zip_header is not None else ""
    return (f"{method} sip:211@surge.test SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-{uuid.uuid4().hex}\r\n"
            "Max-Forwards: 70\r\n"
            f"From: <sip:caller@127.0.0.1:{port}>;tag=caller\r\n"
            "To: <sip:211@surge.test>\r\n"
            f"Call-ID: {call_id}\r\n"
            f"CSeq: 1 {method}\r\n"
            f"Contact: <sip:caller@127.0.0.1:{port}>\r\n"
            f"{zip_line}Content-Length: 0\r\n\r\n")


def receive(sock: socket.socket, want: str, call_id: str) -> tuple[str, tuple]:
    """The next message on `sock` for this call whose first line starts with `want`."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        data, sender = sock.recvfrom(65535)
        text = data.decode()
        if text.startswith(want) and f"Call-ID: {call_id}" in text:
            return text, sender
    raise AssertionError(f"no {want} for {call_id}")


def reply(request: str, status: str) -> bytes:
    """A center's answer to a relayed INVITE: its Via, From, Call-ID and CSeq, and its To with a tag."""
    lines = request.split("\r\n")
    keep = [line for line in lines if line.split(":")[0].strip().lower() in ("via", "from", "call-id", "cseq")]
    to = next(line for line in lines if line.lower().startswith("to:"))
    return "\r\n".join([f"SIP/2.0 {status}", *keep, f"{to};tag=center", "Content-Length: 0", "", ""]).encode()


@pytest.fixture
def running_kamailio(tmp_path):
    if not os.access(KAMAILIO, os.X_OK):
        pytest.skip(f"{KAMAILIO} is missing: apt-get install kamailio (.ci/run does)")
    centers = {slug: udp_socket() for slug in ("a", "b")}
    uris = {slug: f"sip:{slug}@127.0.0.1:{sock.getsockname()[1]}" for slug, sock in centers.items()}
    table = RoutingTable(state="TX", at=DAY, rows=[
        TableRow("77002", "48201", ["a"]), TableRow("77701", "48245", ["b", "a"]),
        TableRow("70601", "22019", ["c", "a"])], sip_uris={**uris, "c": None})
    cfg = write(exports.kamailio_files(table, directory=str(tmp_path)), tmp_path)
    probe = udp_socket()
    port = probe.getsockname()[1]
    probe.close()
    log = (tmp_path / "kamailio.log").open("w")
    process = subprocess.Popen(
        [KAMAILIO, "-DD", "-E", "-f", str(cfg), "-l", f"udp:127.0.0.1:{port}", "-n", "1", "-Y", str(tmp_path),
         "-w", str(tmp_path), "-A", f'SURGE_CTL="unix:{tmp_path}/ctl"'],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    caller = udp_socket()
    caller.settimeout(0.2)
    try:
        for attempt in range(50):  # up within a few seconds: it answers OPTIONS with 405
            if process.poll() is not None:
                pytest.fail(f"kamailio stopped: {(tmp_path / 'kamailio.log').read_text()[-2000:]}")
            caller.sendto(invite(caller, None, f"probe-{attempt}", method="OPTIONS").encode(), ("127.0.0.1", port))
            try:
                if caller.recv(65535).startswith(b"SIP/2.0 405"):
                    break
            except socket.timeout:
                continue
        else:
            pytest.fail("kamailio did not answer")
        caller.settimeout(5)
        yield caller, ("127.0.0.1", port), centers, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        for sock in (caller, *centers.values()):
            sock.close()


def test_a_running_kamailio_routes_by_zip_and_fails_over_in_order(running_kamailio):
    caller, proxy, centers, folder = running_kamailio
    # 77002 goes to a, its only center.
    caller.sendto(invite(caller, "77002", "one").encode(), proxy)
    relayed, _ = receive(centers["a"], "INVITE", "one")
    assert relayed.startswith("INVITE sip:211@surge.test")
    # 77701 goes to b first; when b answers 503, on to a.
    caller.sendto(invite(caller, "77701", "two").encode(), proxy)
    first, sender = receive(centers["b"], "INVITE", "two")
    centers["b"].sendto(reply(first, "503 Service Unavailable"), sender)
    receive(centers["a"], "INVITE", "two")
    # 70601's first center has no SIP URI: a takes it.
    caller.sendto(invite(caller, "70601", "three").encode(), proxy)
    receive(centers["a"], "INVITE", "three")
    # A ZIP code in a ;zip= parameter of the Request-URI works too.
    caller.sendto(invite(caller, None, "four").replace("sip:211@surge.test SIP", "sip:211@surge.test;zip=77701 SIP",
                                                       1).encode(), proxy)
    receive(centers["b"], "INVITE", "four")
    # Unknown and missing ZIP codes are refused with a reason.
    caller.sendto(invite(caller, "99999", "five").encode(), proxy)
    assert receive(caller, "SIP/2.0 404", "five")[0].startswith("SIP/2.0 404 No center takes this ZIP code")
    caller.sendto(invite(caller, None, "six").encode(), proxy)
    assert receive(caller, "SIP/2.0 400", "six")[0].startswith("SIP/2.0 400")
    log = (folder / "kamailio.log").read_text()
    assert re.search(r"surge: ZIP 77701 -> set 2 -> sip:b@127\.0\.0\.1:\d+", log), log[-3000:]


@pytest.mark.skipif(shutil.which("kamcmd") is None, reason="kamcmd is missing (part of the kamailio package)")
def test_the_loaded_tables_read_back_through_kamcmd(running_kamailio):
    _caller, _proxy, _centers, folder = running_kamailio
    dumped = subprocess.run(["kamcmd", "-s", f"unix:{folder}/ctl", "htable.dump", "surge_zip"],
                            capture_output=True, text=True, timeout=10)
    assert dumped.returncode == 0, dumped.stderr
    pairs = dict(re.findall(r"name: (\d{5})\s+value: (\d+)", dumped.stdout))
    assert pairs == {"77002": "1", "77701": "2", "70601": "3"}
    listed = subprocess.run(["kamcmd", "-s", f"unix:{folder}/ctl", "dispatcher.list"], capture_output=True,
                            text=True, timeout=10)
    assert listed.returncode == 0, listed.stderr
    assert re.findall(r"URI: (sip:\w@[\d.:]+)", listed.stdout).count(re.search(
        r"URI: (sip:a@[\d.:]+)", listed.stdout).group(1)) == 3

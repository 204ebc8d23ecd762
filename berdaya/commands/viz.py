"""`berdaya viz [--port N] [--host ADDRESS] [--store DIR] [--token TEXT | --no-token] [--shared] ...`: the browser
pages (``sim/app.py``, pages in ``berdaya/viz/``).

Solara serves the page and all its scripts and styles from the installed packages
(solara-assets), with its telemetry off, so it works with no internet. It listens on
127.0.0.1 (this machine only) unless ``--host`` asks for another address, e.g. the
teacher's Wi-Fi address or 0.0.0.0 (every interface), so a class's phones can follow;
every browser gets its own village. On such an address every page and websocket needs a
token (``berdaya.viz.gate``): a random one per start, or ``--token TEXT``; the address
printed holds it (``?token=...``). ``--no-token`` serves the network without one, and says
so. ``--token`` on 127.0.0.1 asks for the token there too (how the tests check the gate).

The comparison page (``/compare``) keeps its comparisons in ``--store DIR``, checked
writable before the server starts; at most ``--max-running N`` compute at once, the others
wait in turn. Each browser sees the comparisons it started and those it was given a link
to, unless ``--shared`` (or 127.0.0.1 without a token: one person's machine) shows all.
The command hands the process over to Solara's server; Ctrl+C stops it (not the
comparisons running in the background, which go on).
"""

from __future__ import annotations

import errno
import importlib.resources
import ipaddress
import os
import socket
import sys
from pathlib import Path

import psutil
import segno

from berdaya.commands.options import positive
from berdaya.viz import gate, jobs
from experiments.engine import cpu_count
from sim.errors import InputError

HOST = "127.0.0.1"
DEFAULT_PORT = 8765  # Solara's own default
ANY = ("0.0.0.0", "::")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "viz",
        description="Serve the visualizer and print the address to open in a browser. Works offline.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default: {DEFAULT_PORT})")
    parser.add_argument(
        "--host",
        default=HOST,
        help=f"address to listen on (default: {HOST}, this machine only); a class on one network: "
        "this machine's address on it, or 0.0.0.0 for every interface",
    )
    parser.add_argument(
        "--store",
        type=Path,
        default=Path(jobs.DEFAULT_STORE),
        metavar="DIR",
        help=f"folder where the comparison page (/compare) keeps its comparisons (default: "
        f"{jobs.DEFAULT_STORE} in the current folder)",
    )
    parser.add_argument(
        "--token",
        metavar="TEXT",
        help="the token every page and websocket must carry (default: a new random one on an address other "
        "than 127.0.0.1, none on 127.0.0.1; given, it is asked for on 127.0.0.1 too)",
    )
    parser.add_argument(
        "--no-token",
        action="store_true",
        help="serve an address other than 127.0.0.1 without a token: anyone on the network can use it",
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        help="every browser sees every comparison (default: the ones it started or was given a link to; "
        "on 127.0.0.1 without a token, all)",
    )
    parser.add_argument(
        "--max-running",
        metavar="N",
        type=positive,
        default=default_running(),
        help=f"comparisons that compute at once, the others wait in turn (default: {default_running()}, "
        "one per two cores)",
    )
    parser.add_argument(
        "--max-upload-mb",
        metavar="MB",
        type=positive,
        default=jobs.MAX_UPLOAD_MB,
        help=f"largest survey file the comparison page takes, in megabytes (default: {jobs.MAX_UPLOAD_MB})",
    )
    parser.set_defaults(handler=run)


def default_running() -> int:
    """One comparison at a time per two cores: each uses every core it is given."""
    return max(1, cpu_count() // 2)


def loopback(host: str) -> bool:
    return ipaddress.ip_address(host).is_loopback


def token_of(args) -> str | None:
    """The token the server asks for: ``--token``, else a new one off loopback unless ``--no-token``."""
    if args.token is not None and args.no_token:
        raise InputError("give --token TEXT or --no-token, not both", field="--no-token")
    if args.token is not None:
        if len(args.token) < 8 or not all(c.isalnum() or c in "-_" for c in args.token):
            raise InputError(
                f"{args.token!r}; allowed: at least 8 letters, digits, '-' or '_' (it goes in a link)", field="--token"
            )
        return args.token
    if args.no_token or loopback(args.host):
        return None
    return gate.new_token()


def check_host(host: str) -> None:
    """Refuse what is not an IP address: a name could resolve to an interface nobody meant to open."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise InputError(
            f"{host!r} is not an IP address; allowed: an address of this machine such as "
            f"{HOST} or 192.168.1.10, or 0.0.0.0 for every interface",
            field="--host",
        ) from None


def check_port(port: int, host: str = HOST) -> None:
    """Refuse a port out of range or already taken, or an address not on this machine, before Solara starts."""
    if not 1 <= port <= 65535:
        raise InputError(f"{port} is not a port; allowed: an integer in [1, 65535]", field="--port")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the server will (uvicorn sets it too): a port whose last connections wait in TIME_WAIT after a
        # stop is free to listen on again, so a restart right after Ctrl+C works.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRNOTAVAIL:
                raise InputError(
                    f"{host} is not an address of this machine; allowed: one of "
                    f"{', '.join(local_addresses()) or HOST}, or 0.0.0.0",
                    field="--host",
                ) from None
            reason = "already in use" if error.errno == errno.EADDRINUSE else error.strerror
            raise InputError(f"port {port} on {host}: {reason}; choose another with --port N", field="--port") from None


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses on its network interfaces, other than loopback: what a phone on the
    same network can open (read from the interfaces, not from the machine's name, which often resolves to
    loopback only)."""
    found = {
        address.address
        for addresses in psutil.net_if_addrs().values()
        for address in addresses
        if address.family == socket.AF_INET
    }
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback)


def addresses(host: str, port: int, token: str | None = None) -> list[str]:
    """The addresses to open: the one listened on, or every address of this machine for 0.0.0.0; with the token."""
    hosts = [*local_addresses(), HOST] if host in ANY else [host]
    query = f"?token={token}" if token else ""
    return [f"http://{f'[{h}]' if ':' in h else h}:{port}/{query}" for h in hosts]


def command(port: int, host: str = HOST) -> list[str]:
    app = importlib.resources.files("sim") / "app.py"
    return [
        sys.executable,
        "-m",
        "berdaya.viz.gate",
        "run",
        str(app),
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
    ]


def run(args) -> int:
    check_host(args.host)
    token = token_of(args)
    check_port(args.port, args.host)
    store = jobs.store_folder(args.store)
    env = {
        **os.environ,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_THEME_LOADER": "plain",
        # A browser gone for an hour is gone: its session (and its uploaded survey) is freed, not kept a day.
        "SOLARA_KERNEL_CULL_TIMEOUT": jobs.SESSION_KEPT,
        jobs.STORE_VARIABLE: str(store),
        jobs.SHARED_VARIABLE: "1" if args.shared or (loopback(args.host) and token is None) else "",
        jobs.RUNNING_VARIABLE: str(args.max_running),
        jobs.UPLOAD_VARIABLE: str(args.max_upload_mb),
    }
    env.pop(gate.TOKEN_VARIABLE, None)
    if token:
        env[gate.TOKEN_VARIABLE] = token
    found = addresses(args.host, args.port, token)
    where = " or ".join(found)
    print(f"berdaya viz: open {where} in a browser (Ctrl+C stops the server)", flush=True)
    compare_at = found[0].replace("/?", "/compare?") if token else found[0] + "compare"
    print(f"berdaya viz: compare strategies at {compare_at}; comparisons are kept in {store}", flush=True)
    if not loopback(args.host) and sys.stdout.isatty():  # a phone's camera opens the address with its token
        segno.make(found[0], error="l").terminal(compact=True)
    if args.no_token and not loopback(args.host):
        print(
            "berdaya viz: warning: --no-token: anyone on the network can open these pages, start comparisons "
            "and read their reports",
            flush=True,
        )
    if args.host != HOST:
        print(
            "berdaya viz: every browser that opens it gets its own village; add ?lang=id or ?card=NAME "
            "to the address to share a language or an experiment",
            flush=True,
        )
    os.execve(sys.executable, command(args.port, args.host), env)

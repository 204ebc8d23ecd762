"""`berdaya viz [--port N] [--host ADDRESS] [--store DIR]`: the browser pages (``sim/app.py``, pages in ``berdaya/viz/``).

Solara serves the page and all its scripts and styles from the installed packages
(solara-assets), with its telemetry off, so it works with no internet. It listens on
127.0.0.1 (this machine only) unless ``--host`` asks for another address, e.g. the
teacher's Wi-Fi address or 0.0.0.0 (every interface), so a class's phones can follow;
every browser gets its own village. The comparison page (``/compare``) keeps its
comparisons in ``--store DIR``, checked writable before the server starts. The command
hands the process over to Solara's server; Ctrl+C stops it (not the comparisons running
in the background, which go on).
"""

from __future__ import annotations

import errno
import importlib.resources
import ipaddress
import os
import socket
import sys
from pathlib import Path

from berdaya.viz import jobs
from sim.errors import InputError

HOST = "127.0.0.1"
DEFAULT_PORT = 8765  # Solara's own default
ANY = ("0.0.0.0", "::")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "viz",
        help="open the browser visualizer (served on 127.0.0.1 unless --host says otherwise)",
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
    parser.set_defaults(handler=run)


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
    """This machine's IPv4 addresses other than loopback: what a phone on the same network would open."""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        found = set()
    return sorted(a for a in found if not a.startswith("127."))


def addresses(host: str, port: int) -> list[str]:
    """The addresses to open: the one listened on, or every address of this machine for 0.0.0.0."""
    hosts = [HOST, *local_addresses()] if host in ANY else [host]
    return [f"http://{f'[{h}]' if ':' in h else h}:{port}/" for h in hosts]


def command(port: int, host: str = HOST) -> list[str]:
    app = importlib.resources.files("sim") / "app.py"
    return [
        sys.executable,
        "-m",
        "solara",
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
    check_port(args.port, args.host)
    store = jobs.store_folder(args.store)
    env = {
        **os.environ,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_THEME_LOADER": "plain",
        jobs.STORE_VARIABLE: str(store),
    }
    where = " or ".join(addresses(args.host, args.port))
    print(f"berdaya viz: open {where} in a browser (Ctrl+C stops the server)", flush=True)
    print(
        f"berdaya viz: compare strategies at {where.split(' or ')[0]}compare; comparisons are kept in {store}",
        flush=True,
    )
    if args.host != HOST:
        print(
            "berdaya viz: every browser that opens it gets its own village; add ?lang=id or ?card=NAME "
            "to the address to share a language or an experiment",
            flush=True,
        )
    os.execve(sys.executable, command(args.port, args.host), env)

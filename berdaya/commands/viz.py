"""`berdaya viz [--port N]`: the browser visualizer (``sim/app.py``), served on this machine only.

Solara serves the page and all its scripts and styles from the installed packages
(solara-assets), on 127.0.0.1 with its telemetry off, so it works with no internet.
The command hands the process over to Solara's server; Ctrl+C stops it.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

import sim
from sim.errors import InputError

HOST = "127.0.0.1"
DEFAULT_PORT = 8765  # Solara's own default


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "viz",
        help="open the browser visualizer (served on 127.0.0.1)",
        description="Serve the visualizer on 127.0.0.1 and print its address; open it in a browser. Works offline.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default: {DEFAULT_PORT})")
    parser.set_defaults(handler=run)


def check_port(port: int) -> None:
    """Refuse a port out of range or already taken, before Solara starts and fails less clearly."""
    if not 1 <= port <= 65535:
        raise InputError(f"{port} is not a port; allowed: an integer in [1, 65535]", field="--port")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError as error:
            reason = "already in use" if error.errno == errno.EADDRINUSE else error.strerror
            raise InputError(f"port {port} on {HOST}: {reason}; choose another with --port N", field="--port") from None


def command(port: int) -> list[str]:
    app = Path(sim.__file__).resolve().parent / "app.py"
    return [sys.executable, "-m", "solara", "run", str(app), "--host", HOST, "--port", str(port), "--production",
            "--no-open"]


def run(args) -> int:
    check_port(args.port)
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    print(f"berdaya viz: open http://{HOST}:{args.port}/ in a browser (Ctrl+C stops the server)", flush=True)
    os.execve(sys.executable, command(args.port), env)

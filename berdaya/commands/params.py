"""`berdaya params`: every parameter of the schema, as a table, JSON or Markdown.

The Markdown form is the parameter table of docs/ODD.md, so the documentation is
generated from the same schema the model reads.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.params import table

HEADERS = ("Parameter", "Default", "Allowed", "Unit", "Description")


def show(value: Any) -> str:
    """A default as it would be written in a scenario file (TOML)."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def cells(row: dict[str, Any]) -> tuple[str, ...]:
    return (row["name"], show(row["default"]), row["allowed"], row["unit"], row["description"])


def markdown() -> str:
    """The parameter table as GitHub Markdown, one row per parameter, in schema order."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in table():
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells(row)) + " |")
    return "\n".join(lines) + "\n"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "params",
        help="list every parameter: group, default, allowed range, unit, description",
        description="List every model parameter, read from the schema in sim/params.py.",
    )
    parser.add_argument(
        "--format", choices=("table", "json", "markdown"), default="table", help="output format (default: table)"
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    if args.format == "json":
        print(json.dumps(table(), indent=2))
    elif args.format == "markdown":
        print(markdown(), end="")
    else:
        grid = Table(*HEADERS, title="berdaya parameters (set them as group.name in a scenario or with --set)")
        for row in table():
            grid.add_row(*(escape(cell) for cell in cells(row)))
        Console().print(grid)
    return 0

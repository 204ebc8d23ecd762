"""`berdaya params`: every parameter of the schema, as a table, CSV, JSON or Markdown.

The Markdown form is the parameter table of docs/ODD.md, so the documentation is
generated from the same schema the model reads: ``--into docs/ODD.md`` rewrites the
block between its ``<!-- params:start -->`` and ``<!-- params:end -->`` markers.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from sim.errors import InputError
from sim.files import check_writable, read_text, write_text
from sim.params import table
from sim.state import FACILITATOR, GROUP, HOUSEHOLD, PATRON, state_table

HEADERS = ("Parameter", "Default", "Allowed", "Unit", "Description", "Evidence")
START, END = "<!-- params:start -->", "<!-- params:end -->"


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
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e5:
        return f"{int(value):_}"  # rupiah: 4_500_000, as TOML writes a large number
    return f"{value:g}" if isinstance(value, float) else str(value)


def known(row: dict[str, Any]) -> str:
    """How the value is known: its evidence class, the plausible range of an assumed one, the source."""
    text = row["evidence"]
    if row["plausible"]:
        lo, hi = row["plausible"]
        text += f", plausible {show(lo)} to {show(hi)}"
    return f"{text}: {row['source']}" if row["source"] else text


def cells(row: dict[str, Any]) -> tuple[str, ...]:
    return (row["name"], show(row["default"]), row["allowed"], row["unit"], row["description"], known(row))


def markdown() -> str:
    """The parameter table as GitHub Markdown, one row per parameter, in schema order."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in table():
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells(row)) + " |")
    return "\n".join(lines) + "\n"


def comma_separated() -> str:
    """The parameter table as CSV (a header row, then one row per parameter), for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(cells(row) for row in table())
    return out.getvalue()


WIDE = 120  # from this terminal width on, a table with one column per header; below it, one block per parameter
TITLE = "berdaya parameters (set them as group.name in a scenario or with --set)"


def shown(width: int) -> Table | Group:
    """The parameters for a terminal ``width`` columns wide: text wraps, a name is never cut (at worst folded)."""
    if width >= WIDE:
        grid = Table(title=TITLE, box=box.SIMPLE_HEAD)
        grid.add_column(HEADERS[0], min_width=max(len(row["name"]) for row in table()), overflow="fold")
        for header in HEADERS[1:]:
            grid.add_column(header, overflow="fold")
        for row in table():
            grid.add_row(*(Text(cell) for cell in cells(row)))
        return grid
    blocks: list[Text | Padding] = [Text(TITLE + "\n", style="italic")]
    for row in table():
        name, default, allowed, unit, description, evidence = cells(row)
        blocks.append(Text.assemble((name, "bold"), f" = {default}", overflow="fold"))
        details = f"{allowed}; {HEADERS[3].lower()}: {unit}\n{description}\n{HEADERS[5]}: {evidence}"
        blocks.append(Padding(Text(details, overflow="fold"), (0, 0, 1, 4)))
    return Group(*blocks)


STATE_TABLES = {"households": HOUSEHOLD, "patrons": PATRON, "facilitators": FACILITATOR, "groups": GROUP}


def replace_block(text: str, start: str, end: str, content: str) -> str | None:
    """``text`` with the lines between ``start`` and ``end`` replaced, or None without the markers."""
    head, found, rest = text.partition(start + "\n")
    _, closed, tail = rest.partition(end)
    if not found or not closed:
        return None
    return head + found + content + closed + tail


def into(path: Path) -> None:
    """Replace the marked blocks of a Markdown file with the generated tables, nothing else:
    the parameter table (required) and the state tables (``<!-- states:households:start -->``
    and so on, where present), all from their one declaration."""
    try:
        text = read_text(path)
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", file=str(path), field="--into") from None
    text = replace_block(text, START, END, markdown())
    if text is None:
        raise InputError(f"needs a line {START} followed later by {END}", file=str(path), field="--into")
    for store, states in STATE_TABLES.items():
        start, end = f"<!-- states:{store}:start -->", f"<!-- states:{store}:end -->"
        marked = replace_block(text, start, end, state_table(states) + "\n")
        text = marked if marked is not None else text
    check_writable(path.parent, "--into")
    write_text(path, text)


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "params",
        description="List every model parameter, read from the schema in sim/params.py.",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "markdown", "json"),
        default="table",
        help="output format (default: table, wrapped to the terminal's width)",
    )
    parser.add_argument(
        "--into",
        type=Path,
        metavar="FILE",
        help=f"write the Markdown table between the {START} and {END} lines of FILE (e.g. docs/ODD.md)",
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    if args.into is not None:
        into(args.into)
        print(f"parameter table written into {args.into}")
    elif args.format == "json":
        print(json.dumps(table(), indent=2))
    elif args.format == "markdown":
        print(markdown(), end="")
    elif args.format == "csv":
        print(comma_separated(), end="")
    else:
        console = Console()
        console.print(shown(console.width))
    return 0

"""A real village as the starting state: a household survey and the patrons it names.

Organisers and researchers who know a village start from it, not from a random one: who
lives in which hamlet, how poor, in debt to whom. This module reads and checks the two
CSV files (format in docs/survey.md) into arrays; ``sim.initialisation`` places the
households on the grid by hamlet and draws what the survey leaves out from the scenario.
Every problem is one ``InputError`` naming the file, the line and the column, because
the people who write these files use spreadsheets, not Python.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.agents import Patron
from sim.errors import InputError
from sim.params import Params, bounds

PATRON_FILE = "patrons.csv"
"""The patron file's name: it lies in the same folder as the households file."""

# Upper limits that catch values written in rupiah instead of months of subsistence.
MAX_WEALTH = 600.0
MAX_INCOME = 50.0
MAX_CAPITAL = 100_000.0

# Numbers as spreadsheets write them: digits 0-9, a point, an exponent. Python's float() would also take
# 1_0 (as 10) and other scripts' digits; a survey's numbers are refused unless written plainly.
PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)
PLAIN_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
LONGEST = 30  # characters of a number or a hamlet number: far more than any survey needs
HOUSEHOLD_REQUIRED = ("household_id", "hamlet", "wealth", "income", "debt", "patron_id", "awareness")
HOUSEHOLD_OPTIONAL = ("dependency", "skills", "trust", "x", "y")
PATRON_REQUIRED = ("patron_id", "kind", "capital", "extraction", "interest", "openness")
PATRON_OPTIONAL = ("hamlet",)
SHARES = ("dependency", "skills", "trust")


@dataclass(frozen=True)
class Range:
    """Allowed values of a numeric column, with the unit to name in a message."""

    lo: float
    hi: float
    unit: str
    lo_open: bool = False
    integer: bool = False

    def words(self) -> str:
        kind = "an integer" if self.integer else "a number"
        left = "(" if self.lo_open else "["
        return f"{kind} in {left}{self.lo:g}, {self.hi:g}] ({self.unit})"


class Table:
    """One CSV file as text cells, with the file line of each row for messages.

    UTF-8 with or without a byte-order mark; comma or semicolon delimiter (read from the
    header); with semicolons a decimal comma is accepted too.
    """

    def __init__(self, path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        self.path = path
        text = decode(path)
        header_line = text.splitlines()[0]
        self.delimiter = delimiter_of(header_line, path)
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        start = 1  # the line a row begins on: a stray quote makes a row run on to a later line
        try:
            header = next(rows)
            names = [name.strip().lower() for name in header]
            self.index = self.read_header(names, required, optional)
            self.lines: list[int] = []
            self.cells: list[list[str]] = []
            start = rows.line_num + 1
            for row in rows:
                if any(cell.strip() for cell in row):
                    self.check_width(row, len(names), start, rows.line_num)
                    self.lines.append(start)
                    self.cells.append(row)
                start = rows.line_num + 1
        except csv.Error as error:
            raise self.error(f"cannot read the CSV ({error})", line=start) from None
        if not self.cells:
            raise self.error("has a header but no rows", line=1)

    def read_header(self, names: list[str], required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, int]:
        """Column positions; a known column twice, a near miss of a known name, or a missing one is refused.

        Other columns (names, notes) are left alone, so a real survey sheet can be used as it is.
        """
        known = required + optional
        index: dict[str, int] = {}
        for position, name in enumerate(names):
            if name in index:
                raise self.error(f"column {name!r} appears twice in the header", line=1, column=name)
            if name in known:
                index[name] = position
                continue
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
            if close and close[0] not in names:
                raise self.error(f"unknown column {name!r}; did you mean {close[0]!r}?", line=1, column=name)
        missing = [name for name in required if name not in index]
        if missing:
            raise self.error(
                "missing required column"
                + ("s " if len(missing) > 1 else " ")
                + ", ".join(missing)
                + f"; the header must name {', '.join(required)} (separated by '{self.delimiter}')",
                line=1,
                column=missing[0],
            )
        if ("x" in index) != ("y" in index):
            raise self.error("columns x and y come together: give both or neither", line=1, column="x")
        return index

    def check_width(self, row: list[str], width: int, line: int, last: int) -> None:
        extra = row[width:]
        if (len(row) < width or any(cell.strip() for cell in extra)) and last > line:
            raise self.error(
                f'a quote (") opens a field here that runs on to line {last}; remove the stray quote, or close it',
                line=line,
            )
        if len(row) < width or any(cell.strip() for cell in extra):
            raise self.error(
                f"has {len(row)} fields but the header has {width}; check the delimiter "
                f"(this file uses '{self.delimiter}') and the quotes",
                line=line,
            )

    def __len__(self) -> int:
        return len(self.cells)

    def has(self, column: str) -> bool:
        return column in self.index

    def error(self, message: str, line: int | None = None, column: str | None = None) -> InputError:
        return InputError(message, file=str(self.path), line=line, field=column)

    def raw(self, column: str) -> list[str]:
        """The stripped cells of a column (empty strings where blank)."""
        position = self.index[column]
        return [row[position].strip() for row in self.cells]

    def text(self, column: str) -> list[str]:
        """A required text column: every cell filled."""
        values = self.raw(column)
        for value, line in zip(values, self.lines):
            if not value:
                raise self.error("missing value", line=line, column=column)
        return values

    def ids(self, column: str) -> list[str]:
        """An identifier column: filled and unique."""
        values = self.text(column)
        first: dict[str, int] = {}
        for value, line in zip(values, self.lines):
            if value in first:
                raise self.error(f"duplicate id {value!r} (also on line {first[value]})", line=line, column=column)
            first[value] = line
        return values

    def numbers(self, column: str, allowed: Range, optional: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """A numeric column and where it was given; a blank cell is refused unless ``optional``."""
        values = np.zeros(len(self))
        given = np.zeros(len(self), dtype=bool)
        for i, (cell, line) in enumerate(zip(self.raw(column), self.lines)):
            if not cell:
                if optional:
                    continue
                raise self.error("missing value", line=line, column=column)
            value = self.number(cell, line, column)
            low = value <= allowed.lo if allowed.lo_open else value < allowed.lo
            if low or value > allowed.hi or (allowed.integer and not value.is_integer()):
                what = "negative" if value < 0 <= allowed.lo else "out of range"
                raise self.error(f"{column} = {cell} is {what}; allowed: {allowed.words()}", line=line, column=column)
            values[i], given[i] = value, True
        return values, given

    def number(self, cell: str, line: int, column: str) -> float:
        """A decimal number; with semicolons a comma is the decimal separator (1,5 = 1.5)."""
        text = cell
        if self.delimiter == ";" and "," in text:
            if "." in text or text.count(",") > 1:
                raise self.error(
                    f"{cell!r} has thousands separators; write the number without them, e.g. 1234,5",
                    line=line,
                    column=column,
                )
            text = text.replace(",", ".")
        shown = cell if len(cell) <= LONGEST else cell[:LONGEST] + f"... ({len(cell):,} characters)"
        if text.strip().lstrip("+-").lower() in ("nan", "inf", "infinity"):
            raise self.error(f"{shown!r} is not a finite number", line=line, column=column)
        if len(text) > LONGEST or not PLAIN_NUMBER.fullmatch(text):
            raise self.error(
                f"{shown!r} is not a number; write it with the digits 0-9 and a decimal point only, e.g. 12.5",
                line=line,
                column=column,
            )
        value = float(text)
        if not math.isfinite(value):
            raise self.error(f"{shown!r} is not a finite number", line=line, column=column)
        return value


def decode(path: Path) -> str:
    """The file's text: UTF-8, a byte-order mark allowed; anything else is refused with a way out."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", file=str(path)) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "is UTF-16 text; save it as 'CSV UTF-8 (comma delimited)' from the spreadsheet", file=str(path)
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            f"is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as 'CSV UTF-8' from the spreadsheet",
            file=str(path),
            line=line,
        ) from None
    if not text.strip():
        raise InputError("the file is empty; it needs a header line and one line per row", file=str(path))
    return text


def delimiter_of(header: str, path: Path) -> str:
    """Comma or semicolon, whichever the header uses more; a tab- or bar-separated file is refused."""
    semicolons, commas = header.count(";"), header.count(",")
    if semicolons == commas == 0:
        for other, name in (("\t", "tabs"), ("|", "vertical bars")):
            if other in header:
                raise InputError(
                    f"the columns are separated by {name}; separate them with commas or semicolons",
                    file=str(path),
                    line=1,
                )
    return ";" if semicolons > commas else ","


@dataclass(frozen=True)
class Survey:
    """A surveyed village as arrays; households in file order, patrons grouped by hamlet.

    ``hamlet`` and ``patron_hamlet`` are 0-based; ``patron`` indexes the patron arrays.
    ``optional`` maps dependency, skills and trust to (values, given): blank cells and
    missing columns are drawn from the scenario. ``x`` and ``y`` are -1 where not given.
    """

    households_file: Path
    patrons_file: Path
    hamlet_names: tuple[str, ...]
    household_id: tuple[str, ...]
    hamlet: np.ndarray
    wealth: np.ndarray
    income: np.ndarray
    debt: np.ndarray
    awareness: np.ndarray
    patron: np.ndarray
    optional: dict[str, tuple[np.ndarray, np.ndarray]]
    x: np.ndarray
    y: np.ndarray
    patron_id: tuple[str, ...]
    kind: tuple[str, ...]
    capital: np.ndarray
    extraction: np.ndarray
    interest: np.ndarray
    openness: np.ndarray
    patron_hamlet: np.ndarray

    @property
    def n_households(self) -> int:
        return len(self.household_id)

    def place(self, p: Params, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Cells for the households: given ones kept, the rest drawn (``rng``) inside their hamlet's strip."""
        x, y = self.x.copy(), self.y.copy()
        taken = np.zeros(p.width * p.height, dtype=bool)
        fixed = x >= 0
        taken[x[fixed] * p.height + y[fixed]] = True
        strip = np.arange(p.width) * p.n_hamlets // p.width
        for h in range(p.n_hamlets):
            rows = np.nonzero((self.hamlet == h) & ~fixed)[0]
            cells = (np.nonzero(strip == h)[0][:, None] * p.height + np.arange(p.height)).ravel()
            chosen = rng.choice(cells[~taken[cells]], size=len(rows), replace=False)
            x[rows], y[rows] = chosen // p.height, chosen % p.height
        return x, y

    def apply(self, model) -> None:
        """Overwrite the drawn village with the surveyed values (in place, so every view stays valid)."""
        h, pt = model.households, model.patrons
        h.wealth[:] = self.wealth
        h.income_base[:] = self.income
        h.income[:] = self.income
        h.debt[:] = self.debt
        h.awareness[:] = self.awareness
        h.patron[:] = self.patron
        for name, (values, given) in self.optional.items():
            getattr(h, name)[given] = values[given]
        pt.hamlet[:] = self.patron_hamlet
        pt.capital[:] = self.capital
        pt.extraction_base[:] = self.extraction
        pt.interest[:] = self.interest
        pt.interest_base[:] = self.interest
        pt.openness[:] = self.openness
        # The surveyed income is the whole income (the survey has no land column yet), and
        # the surveyed levels are the households' own: what they return to.
        h.land[:] = 0.0
        h.income_base[:] = self.income
        h.dependency_base[:] = h.dependency
        h.awareness_base[:] = h.awareness
        h.skills_base[:] = h.skills
        model.client_rate = pt.interest[h.patron]


def patrons_file(households_file: str | Path) -> Path:
    return Path(households_file).with_name(PATRON_FILE)


def read_survey(path: str | Path, p: Params) -> Survey:
    """Read and check a household survey and the ``patrons.csv`` beside it against the scenario ``p``."""
    households_path = Path(path)
    patrons_path = patrons_file(households_path)
    if not patrons_path.is_file() and households_path.is_file():
        raise InputError(
            f"patron file not found; the patrons of a survey live in {PATRON_FILE} beside the households file",
            file=str(patrons_path),
        )
    homes = Table(households_path, HOUSEHOLD_REQUIRED, HOUSEHOLD_OPTIONAL)
    lenders = Table(patrons_path, PATRON_REQUIRED, PATRON_OPTIONAL)

    household_id = homes.ids("household_id")
    hamlet_names, hamlet = read_hamlets(homes, p.n_hamlets)
    wealth, _ = homes.numbers("wealth", Range(0.0, MAX_WEALTH, "months of subsistence"))
    income, _ = homes.numbers("income", Range(0.0, MAX_INCOME, "months of subsistence per month", lo_open=True))
    debt_range = Range(0.0, p.default_limit, "months of subsistence; the top is households.default_limit")
    debt, _ = homes.numbers("debt", debt_range)
    awareness, _ = homes.numbers("awareness", Range(0.0, 1.0, "share"))
    optional = {
        name: homes.numbers(name, Range(0.0, 1.0, "share"), optional=True) for name in SHARES if homes.has(name)
    }
    x, y = read_cells(homes, hamlet, hamlet_names, p)

    patron_id = lenders.ids("patron_id")
    kinds = [kind.lower() for kind in lenders.text("kind")]
    for kind, line in zip(kinds, lenders.lines):
        if kind not in Patron.KINDS:
            raise lenders.error(f"unknown kind {kind!r}; allowed: {', '.join(Patron.KINDS)}", line=line, column="kind")
    capital, _ = lenders.numbers("capital", Range(0.0, MAX_CAPITAL, "months of subsistence"))
    extraction, _ = lenders.numbers("extraction", Range(*bounds("extraction"), "share of dependent income"))
    interest, _ = lenders.numbers("interest", Range(*bounds("patron_interest"), "per month"))
    openness, _ = lenders.numbers("openness", Range(0.0, 1.0, "share, 0 resistant to 1 cooperative"))

    number = {pid: j for j, pid in enumerate(patron_id)}
    patron = np.zeros(len(homes), dtype=np.int64)
    for i, (pid, line) in enumerate(zip(homes.text("patron_id"), homes.lines)):
        if pid not in number:
            raise homes.error(
                f"patron {pid!r} is not in {patrons_path.name} (it lists {listing(patron_id)})",
                line=line,
                column="patron_id",
            )
        patron[i] = number[pid]

    patron_hamlet = home_hamlets(lenders, hamlet_names, hamlet, patron)
    counts = np.bincount(patron_hamlet, minlength=p.n_hamlets)
    for h, count in enumerate(counts):
        if count != p.patrons_per_hamlet:
            members = [patron_id[j] for j in np.nonzero(patron_hamlet == h)[0]]
            raise lenders.error(
                f"hamlet {hamlet_names[h]} has {count} patron{'s' if count != 1 else ''} ({listing(members)}) "
                f"but patrons.patrons_per_hamlet = {p.patrons_per_hamlet}; the model needs that many in every "
                "hamlet: set patrons.patrons_per_hamlet, or move patrons with the hamlet column",
                column="hamlet",
            )
    # Patrons grouped by hamlet (file order within one), the layout the model's arrays use.
    order = np.argsort(patron_hamlet, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return Survey(
        households_file=households_path,
        patrons_file=patrons_path,
        hamlet_names=hamlet_names,
        household_id=tuple(household_id),
        hamlet=hamlet,
        wealth=wealth,
        income=income,
        debt=debt,
        awareness=awareness,
        patron=rank[patron],
        optional=optional,
        x=x,
        y=y,
        patron_id=tuple(patron_id[j] for j in order),
        kind=tuple(kinds[j] for j in order),
        capital=capital[order],
        extraction=extraction[order],
        interest=interest[order],
        openness=openness[order],
        patron_hamlet=patron_hamlet[order],
    )


def listing(names: list[str] | tuple[str, ...], most: int = 10) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def hamlet_key(value: str) -> str:
    """How a hamlet is recognised: its number (02 is 2), or its name whatever the case."""
    return str(int(value)) if numbered(value) else value.casefold()


def numbered(value: str) -> bool:
    """Whether a hamlet cell is a number (digits 0-9; ``check_hamlets`` refuses other digits and long ones)."""
    return len(value) <= LONGEST and PLAIN_INTEGER.fullmatch(value) is not None


def check_hamlets(homes: Table) -> list[str]:
    """The hamlet column, every cell filled; a hamlet written with other digits than 0-9 (², ٣) or as a number
    too long to be one is refused, so a number and a name are never confused."""
    values = homes.text("hamlet")
    for value, line in zip(values, homes.lines):
        shown = value if len(value) <= LONGEST else value[:LONGEST] + f"... ({len(value):,} characters)"
        if any(c.isdigit() and not c.isascii() for c in value):
            raise homes.error(
                f"hamlet {shown!r} has a digit other than 0-9; write hamlets as numbers 1, 2, 3 or as names",
                line=line,
                column="hamlet",
            )
        if PLAIN_INTEGER.fullmatch(value) and not numbered(value):
            raise homes.error(
                f"hamlet {shown!r} is too long a number; hamlets are numbered 1, 2, 3 or named",
                line=line,
                column="hamlet",
            )
    return values


def read_hamlets(homes: Table, n_hamlets: int) -> tuple[tuple[str, ...], np.ndarray]:
    """Hamlets as numbers 1..n_hamlets or as names (in order of first appearance).

    Either way the survey must have exactly ``village.n_hamlets`` hamlets; hamlet k is
    the k-th vertical strip of the grid from x = 0.
    """
    values = check_hamlets(homes)
    hamlet = np.zeros(len(homes), dtype=np.int64)
    if all(numbered(v) for v in values):
        for i, (value, line) in enumerate(zip(values, homes.lines)):
            k = int(value)
            if not 1 <= k <= n_hamlets:
                raise homes.error(
                    f"unknown hamlet {value}; village.n_hamlets = {n_hamlets}, so hamlets are numbered 1 to "
                    f"{n_hamlets} (set village.n_hamlets in the scenario to the village's number of hamlets)",
                    line=line,
                    column="hamlet",
                )
            hamlet[i] = k - 1
        names = tuple(str(k) for k in range(1, n_hamlets + 1))
    else:
        seen: dict[str, int] = {}
        shown: list[str] = []
        for i, (value, line) in enumerate(zip(values, homes.lines)):
            key = hamlet_key(value)
            if key not in seen:
                if len(seen) == n_hamlets:
                    raise homes.error(
                        f"unknown hamlet {value!r}; village.n_hamlets = {n_hamlets} and the file already names "
                        f"{listing(shown)} (set village.n_hamlets in the scenario to the village's number of hamlets)",
                        line=line,
                        column="hamlet",
                    )
                seen[key] = len(seen)
                shown.append(value)
            hamlet[i] = seen[key]
        names = tuple(shown)
    empty = [names[h] for h in range(len(names)) if not (hamlet == h).any()]
    if empty or len(names) < n_hamlets:
        detail = f"no household lives in hamlet {', '.join(empty)}" if empty else f"it names {len(names)} hamlets"
        raise homes.error(
            f"{detail}, but village.n_hamlets = {n_hamlets}; every hamlet needs households "
            "(set village.n_hamlets in the scenario to the survey's number of hamlets)",
            column="hamlet",
        )
    return names, hamlet


def strip_of(x: np.ndarray, p: Params) -> np.ndarray:
    """The hamlet whose vertical strip holds column ``x`` (as in ``sim.initialisation``)."""
    return x * p.n_hamlets // p.width


def read_cells(homes: Table, hamlet: np.ndarray, names: tuple[str, ...], p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Optional fixed cells (x, y), checked against the grid and the hamlets; and the hamlets' room."""
    x = np.full(len(homes), -1, dtype=np.int64)
    y = np.full(len(homes), -1, dtype=np.int64)
    if homes.has("x"):
        xs, x_given = homes.numbers("x", Range(0, p.width - 1, "grid column, 0-based", integer=True), optional=True)
        ys, y_given = homes.numbers("y", Range(0, p.height - 1, "grid row, 0-based", integer=True), optional=True)
        at: dict[tuple[int, int], int] = {}
        for i, line in enumerate(homes.lines):
            if x_given[i] != y_given[i]:
                column = "y" if x_given[i] else "x"
                raise homes.error("x and y come together: give both or leave both blank", line=line, column=column)
            if not x_given[i]:
                continue
            x[i], y[i] = int(xs[i]), int(ys[i])
            strip = int(strip_of(x[i], p))
            if strip != hamlet[i]:
                columns = np.nonzero(strip_of(np.arange(p.width), p) == hamlet[i])[0]
                raise homes.error(
                    f"x = {x[i]} lies in hamlet {names[strip]}'s strip, not hamlet {names[hamlet[i]]}'s "
                    f"(x {columns[0]} to {columns[-1]} on a grid {p.width} wide with {p.n_hamlets} hamlets)",
                    line=line,
                    column="x",
                )
            cell = (int(x[i]), int(y[i]))
            if cell in at:
                raise homes.error(
                    f"cell ({cell[0]}, {cell[1]}) is already taken by line {at[cell]}", line=line, column="x"
                )
            at[cell] = line
    room = np.bincount(strip_of(np.arange(p.width), p), minlength=p.n_hamlets) * p.height
    living = np.bincount(hamlet, minlength=p.n_hamlets)
    for h in np.nonzero(living > room)[0]:
        raise homes.error(
            f"hamlet {names[h]} has {living[h]} households but its strip of the {p.width} x {p.height} grid "
            f"holds only {room[h]} cells; enlarge village.width or village.height",
            column="hamlet",
        )
    return x, y


def home_hamlets(lenders: Table, names: tuple[str, ...], hamlet: np.ndarray, patron: np.ndarray) -> np.ndarray:
    """Each patron's hamlet: its ``hamlet`` cell if given, else where most of its clients live."""
    n = len(lenders)
    given = lenders.raw("hamlet") if lenders.has("hamlet") else [""] * n
    key = {hamlet_key(name): h for h, name in enumerate(names)}
    home = np.zeros(n, dtype=np.int64)
    for j, (value, line) in enumerate(zip(given, lenders.lines)):
        if value:
            if hamlet_key(value) not in key:
                raise lenders.error(
                    f"unknown hamlet {value!r}; the households file has hamlets {listing(names)}",
                    line=line,
                    column="hamlet",
                )
            home[j] = key[hamlet_key(value)]
            continue
        clients = hamlet[patron == j]
        if len(clients) == 0:
            raise lenders.error(
                "this patron has no clients, so its hamlet is unknown; give it in a hamlet column",
                line=line,
                column="hamlet",
            )
        home[j] = np.bincount(clients).argmax()
    return home


__all__ = ["PATRON_FILE", "Survey", "patrons_file", "read_survey"]

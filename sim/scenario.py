"""Scenarios as data: a TOML file names a village and a strategy, the schema fills the rest.

A file holds an optional ``extends = "other.toml"`` (relative to the file) and one table
per parameter group (``[village]``, ``[programme]``, ...). The loader follows the
``extends`` chain, lets each child override what it names, applies ``--set`` overrides
last and validates the result against ``sim.params.Params``. Every problem becomes one
``InputError`` naming the file, the line where TOML gives it, the field and what is
allowed, so the command line can print it and exit 2.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.resources
import numbers
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.files import read_text
from sim.params import GROUPS, Params, ValidationError, allowed, dotted, group_of, suggest

# The repository's scenarios/ folder, installed as the package sim.scenarios (pyproject.toml): the same
# files from a checkout (editable install) and from a wheel.
SCENARIO_DIR: Path = Path(str(importlib.resources.files("sim.scenarios")))

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: its validated parameters and where each came from."""

    name: str
    path: Path | None
    params: Params
    values: dict[str, Any]
    chain: tuple[Path, ...]
    sha256: str


@dataclass(frozen=True)
class _Source:
    """Where a value was set: a file (with its text, to find line numbers) or the command line."""

    label: str
    text: str = ""

    def line_of(self, key: str) -> int | None:
        """Line of ``group.name`` in the file, found by scanning tables (tomllib gives no positions)."""
        group, _, name = key.partition(".")
        table = ""
        for number, line in enumerate(self.text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                table = header.group(1)
                if table == group and not name:
                    return number
                continue
            if table == group and re.match(rf"^\s*{re.escape(name)}\s*=", line):
                return number
            if table == "" and re.match(rf"^\s*{re.escape(group)}\s*\.\s*{re.escape(name)}\s*=", line):
                return number
            if table == "" and not name and re.match(rf"^\s*{re.escape(group)}\s*=", line):
                return number
        return None

    def error(self, message: str, key: str | None = None, field: str | None = None) -> InputError:
        line = self.line_of(key) if key and self.text else None
        return InputError(message, file=self.label, line=line, field=field or key)


def shipped() -> list[str]:
    """Names of the scenarios that come with the package."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def resolve_scenario(name_or_path: str | Path) -> Path:
    """An existing path as is, else a shipped scenario by name (with or without ``.toml``)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    stem = path.name.removesuffix(".toml")
    if path.parent == Path(".") and (SCENARIO_DIR / f"{stem}.toml").is_file():
        return SCENARIO_DIR / f"{stem}.toml"
    raise InputError(
        "no such file or shipped scenario; shipped scenarios are: " + ", ".join(shipped()),
        file=str(name_or_path),
    )


def parse_set(items: list[str]) -> dict[str, Any]:
    """``["village.width=60", ...]`` -> ``{"village.width": 60}``, each value read as TOML."""
    values: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name):
            raise InputError(
                f"--set {item!r} does not parse; expected the form group.name=value, e.g. village.width=60"
            )
        try:
            value = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = text.strip()
        values[name] = value
    return values


def _read(path: Path) -> tuple[dict[str, Any], _Source]:
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the file ({error})", file=str(path)) from None
    source = _Source(str(path), text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.search(str(error))
        line = int(found.group(1)) if found else None
        where = f" (column {found.group(2)})" if found else ""
        reason = _TOML_POSITION.sub("", str(error)).strip()
        raise InputError(f"TOML syntax error{where}: {reason}", file=str(path), line=line) from None
    return data, source


def _flatten(data: dict[str, Any], source: _Source, base: Path) -> dict[str, Any]:
    """One file's tables as ``{dotted name: value}``, refusing names outside the schema."""
    values: dict[str, Any] = {}
    for group, table in data.items():
        if group == "extends":
            continue
        if group not in GROUPS:
            if group in Params.model_fields:
                raise source.error(f"{group!r} must sit in the [{group_of(group)}] table", key=f"{group}.", field=group)
            close = difflib.get_close_matches(group, GROUPS, n=1)
            did = f"; did you mean [{close[0]}]?" if close else ""
            raise source.error(
                f"unknown table or key {group!r}{did}; tables are " + ", ".join(f"[{g}]" for g in GROUPS),
                key=f"{group}.",
                field=group,
            )
        if not isinstance(table, dict):
            raise source.error(f"{group!r} must be a table [{group}] of parameters", key=f"{group}.", field=group)
        for name, value in table.items():
            key = f"{group}.{name}"
            if name not in Params.model_fields or group_of(name) != group:
                raise source.error(_unknown(key), key=key)
            if name == "survey" and isinstance(value, str):
                value = str((base / value).resolve())
                if not Path(value).is_file():
                    raise source.error(f"survey file {value!r} not found; allowed: {allowed(name)}", key=key)
            values[key] = value
    return values


def _unknown(key: str) -> str:
    """Why a dotted name is refused: a parameter in the wrong group, or the closest real name."""
    group, _, name = key.rpartition(".")
    if name in Params.model_fields:
        return f"{name!r} belongs to the [{group_of(name)}] group (write {dotted(name)}), not [{group}]"
    hint = suggest(name)
    did = f"; did you mean {dotted(hint)!r}?" if hint else ""
    return f"unknown parameter {key!r}{did}"


def _chain(path: Path) -> list[tuple[Path, dict[str, Any], _Source]]:
    """The file and its ``extends`` parents, child first; cycles and missing parents refused."""
    chain: list[tuple[Path, dict[str, Any], _Source]] = []
    seen: list[Path] = []
    current = path
    child_source: _Source | None = None
    while True:
        resolved = current.resolve()
        if resolved in seen:
            names = " -> ".join(str(p) for p in [*seen, resolved])
            raise child_source.error(f"extends cycle: {names}", key="extends.", field="extends")
        if not current.is_file() and child_source is not None:
            raise child_source.error(f"parent file {str(current)!r} not found", key="extends.", field="extends")
        data, source = _read(current)
        seen.append(resolved)
        chain.append((resolved, data, source))
        parent = data.get("extends")
        if parent is None:
            return chain
        if not isinstance(parent, str):
            message = 'extends must be a file name in quotes, e.g. extends = "baseline.toml"'
            raise source.error(message, key="extends.", field="extends")
        current = current.parent / parent
        child_source = source


def _check_type(name: str, value: Any, source: _Source, key: str) -> None:
    """TOML and --set values carry types; refuse a wrong one rather than coerce it silently."""
    annotation = Params.model_fields[name].annotation
    if annotation is bool:
        ok = isinstance(value, bool)
    elif annotation in (int, float):
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    elif name == "networks":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise source.error(f"{value!r} has the wrong type; allowed: {allowed(name)}", key=key)


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None, overrides_from: str = "--set") -> Scenario:
    """Read, merge and validate a scenario file; ``overrides`` (dotted names) win over the file.

    ``overrides_from`` names where the overrides came from in messages (an experiment's [set])."""
    path = Path(path)
    chain = _chain(path)
    merged: dict[str, Any] = {}
    origin: dict[str, _Source] = {}
    for resolved, data, source in reversed(chain):
        for key, value in _flatten(data, source, resolved.parent).items():
            merged[key] = value
            origin[key] = source
    command_line = _Source(overrides_from)
    for key, value in (overrides or {}).items():
        name = key.partition(".")[2] if "." in key else key
        if name not in Params.model_fields or ("." in key and group_of(name) != key.partition(".")[0]):
            raise command_line.error(_unknown(key), field=key)
        if name == "survey" and isinstance(value, str):
            value = str(Path(value).resolve())
            if not Path(value).is_file():
                raise command_line.error(f"survey file {value!r} not found; allowed: {allowed(name)}", field=key)
        merged[dotted(name)] = value
        origin[dotted(name)] = command_line
    for key, value in merged.items():
        _check_type(key.partition(".")[2], value, origin[key], key)
    try:
        params = Params(**{key.partition(".")[2]: value for key, value in merged.items()})
    except ValidationError as error:
        raise _explain(error, origin, path) from None
    return Scenario(
        name=path.stem,
        path=path.resolve(),
        params=params,
        values=merged,
        chain=tuple(resolved for resolved, _, _ in chain),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def _explain(error: ValidationError, origin: dict[str, _Source], path: Path) -> InputError:
    """The first pydantic problem, placed in the file (and line) that set the value."""
    item = error.errors()[0]
    loc = [str(part) for part in item.get("loc", ())]
    name = loc[0] if loc else ""
    if name in Params.model_fields:
        key = dotted(name)
        source = origin.get(key, _Source(str(path)))
        message = f"{item.get('input')!r}: {item['msg']}; allowed: {allowed(name)}"
        return source.error(message, key=key)
    message = item["msg"].removeprefix("Value error, ")
    named = [key for key in origin if re.search(rf"\b{key.partition('.')[2]}\b", message)]
    if named:
        return origin[named[0]].error(message, key=named[0])
    return InputError(message, file=str(path))


__all__ = ["SCENARIO_DIR", "Scenario", "load_scenario", "parse_set", "resolve_scenario", "shipped"]

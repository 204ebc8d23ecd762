"""Field patterns as data: the targets a run is judged against, read from TOML files.

The shipped targets are ``analysis/targets.toml``; ``berdaya validate-patterns --targets
FILE.toml`` adds targets or replaces shipped ones by name, so a researcher with
evidence from their own village needs no code. One table per target::

    [[target]]
    name = "members_save_more"              # unique
    metric = "savings_effect_members_30"    # from the metric catalogue (--list-metrics)
    low = 0.10                              # omit for an open side
    high = 0.50
    scenarios = ["area_based", "hybrid"]    # default: every programme scenario run; "all": every one
    pattern = "Members' savings rise by about a quarter after 2.5 years."
    source = "author, venue, year"
    reading = "how the band was read from the source"   # optional
    kind = "validation"                     # or "calibration", or "input" (never counted)
    scale = 0.1                             # optional: one unit of miss for the calibration

Kinds keep the counting honest: ``calibration`` rows are what ``berdaya calibrate``
fits, ``validation`` rows are a hold-out it never sees, and ``input`` rows check a
quantity drawn or set as an input (shown, never counted as a success).
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, PrivateAttr, ValidationError

from experiments.pattern_runner import AFTER_EXIT, MONTH, parse_metric
from sim.errors import InputError

SHIPPED = Path(__file__).with_name("targets.toml")
KINDS = ("calibration", "validation", "input")
COUNTED = ("calibration", "validation")
ALL = "all"  # scenarios = ["all"]: every scenario run, with or without a programme
UNDEFINED_MISS = 1.0


class Target(BaseModel):
    """One field pattern: the run metric compared, the band the evidence allows, and where it comes from."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    metric: str
    low: float | None = None
    high: float | None = None
    scenarios: list[str] | None = None
    pattern: str
    source: str
    reading: str = ""
    kind: Literal["calibration", "validation", "input"]
    scale: PositiveFloat | None = None
    _file: str = PrivateAttr(default="")

    @property
    def file(self) -> str:
        return self._file

    @property
    def lo(self) -> float:
        return -math.inf if self.low is None else self.low

    @property
    def hi(self) -> float:
        return math.inf if self.high is None else self.high

    @property
    def unit(self) -> float:
        """One unit of miss: ``scale``, else the band's width, else the size of its one bound (1 if 0)."""
        if self.scale is not None:
            return self.scale
        if self.low is not None and self.high is not None and self.high > self.low:
            return self.high - self.low
        bound = abs(self.low if self.low is not None else self.high)
        return bound if bound > 0 else 1.0

    def contains(self, value: float) -> bool:
        return bool(math.isfinite(value) and self.lo <= value <= self.hi)

    def miss(self, value: float) -> float:
        """Normalised distance outside the band: 0 inside, UNDEFINED_MISS when undefined."""
        if not math.isfinite(value):
            return UNDEFINED_MISS
        if value < self.lo:
            return (self.lo - value) / self.unit
        if value > self.hi:
            return (value - self.hi) / self.unit
        return 0.0

    @property
    def band(self) -> str:
        if self.low is None:
            return f"<= {self.high:g}"
        if self.high is None:
            return f">= {self.low:g}"
        return f"[{self.low:g}, {self.high:g}]"

    def error(self, message: str, field: str) -> InputError:
        return InputError(f"target {self.name!r}, field {field}: {message}", file=self.file or None, field=field)


def _check(target: Target) -> None:
    """What pydantic's types cannot say: a known metric and a band that is a band."""
    try:
        parse_metric(target.metric)
    except KeyError:
        raise target.error(
            f"{target.metric!r} is not in the metric catalogue; see berdaya validate-patterns --list-metrics", "metric"
        ) from None
    if target.low is None and target.high is None:
        raise target.error("give low, high or both (omit one for an open side)", "low")
    if target.low is not None and target.high is not None and target.low > target.high:
        raise target.error(f"low = {target.low:g} is above high = {target.high:g}; low must be <= high", "low")
    if target.scenarios is not None and not target.scenarios:
        raise target.error('an empty list; omit it for every programme scenario, or ["all"]', "scenarios")


def read_targets(path: str | Path) -> list[Target]:
    """Every target of one TOML file, checked; InputError naming file, target and field otherwise."""
    path = Path(path)
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror or error})", file=file) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; save it as UTF-8", file=file) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"is not valid TOML: {error}", file=file) from None
    unknown = sorted(set(data) - {"target"})
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r}; a targets file holds only [[target]] tables", file=file, field=unknown[0]
        )
    tables = data.get("target")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise InputError("needs one or more [[target]] tables", file=file, field="target")
    targets: list[Target] = []
    for number, table in enumerate(tables, start=1):
        name = table.get("name") if isinstance(table.get("name"), str) else f"#{number}"
        try:
            target = Target.model_validate(table)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "target"
            raise InputError(
                f"target {name!r}, field {field}: {first['msg'].lower()}"
                + (f" (got {first['input']!r})" if first["type"] != "missing" else ""),
                file=file,
                field=field,
            ) from None
        target._file = file
        _check(target)
        if any(t.name == target.name for t in targets):
            raise target.error("two targets in one file share this name; names must be unique", "name")
        targets.append(target)
    return targets


def load_targets(files: list[str | Path] | tuple[str | Path, ...] = ()) -> list[Target]:
    """The shipped targets, then each file's: a target with a shipped (or earlier) name replaces it in place."""
    merged: dict[str, Target] = {t.name: t for t in read_targets(SHIPPED)}
    for file in files:
        for target in read_targets(file):
            merged[target.name] = target
    return list(merged.values())


def scenarios_of(target: Target, run: dict[str, dict], strict: bool = True) -> list[str]:
    """The scenarios a target applies to among those ``run`` (name -> {programme, months, end}).

    Strict (a user's file): a named scenario must be run and the metric's month must lie in
    every run, else InputError. Not strict (the shipped targets, which name the shipped
    strategies): scenarios where the target cannot be read are left out.
    """
    if target.scenarios is None:
        names = [name for name, info in run.items() if info["programme"]]
    elif target.scenarios == [ALL]:
        names = list(run)
    else:
        missing = [s for s in target.scenarios if s not in run]
        if missing and strict:
            raise target.error(
                f"scenario {missing[0]!r} is not run here; the scenarios run are " + ", ".join(run) + f' (or "{ALL}")',
                "scenarios",
            )
        names = [s for s in dict.fromkeys(target.scenarios) if s in run]
    metric, index = parse_metric(target.metric)
    kept = []
    for name in names:
        months, end = run[name]["months"], run[name]["end"]
        if metric.index == MONTH and index > months:
            problem = f"month {index} is beyond the {months} months of scenario {name!r}"
        elif metric.index == AFTER_EXIT and end + index > months:
            problem = (
                f"{index} months after the programme's end (month {end}) is beyond the {months} "
                f"months of scenario {name!r}"
            )
        else:
            kept.append(name)
            continue
        if strict:
            raise target.error(problem, "metric")
    return kept


def counted(targets: list[Target], kind: str) -> list[Target]:
    return [t for t in targets if t.kind == kind]


__all__ = [
    "ALL",
    "COUNTED",
    "KINDS",
    "SHIPPED",
    "UNDEFINED_MISS",
    "Target",
    "counted",
    "load_targets",
    "read_targets",
    "scenarios_of",
]

"""An experiment as data: scenarios x parameter points x replicates, one root seed.

The TOML file (issue 5)::

    scenarios = ["area_based.toml", "enterprise_based"]   # relative to this file, or shipped names
    replicates = 10
    seed = 2026
    months = 60                     # optional: village.months for every run
    paired = true                   # optional: replicate r of every scenario gets one seed
    [set]                           # optional: dotted parameters for every run
    "village.width" = 20
    [sweep]                         # optional
    method = "grid"                 # or "lhs" with samples = N and [lo, hi] ranges
    [sweep.parameters]
    "facilitators.n_facilitators" = [2, 4, 8]

The file's shape (keys, types, bounds) is the pydantic model ``ExperimentFile``; parameter
names and values are checked against the schema in ``sim.params``. A problem is one
``InputError`` naming the file and the field, so the command line exits 2 before any run.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import numbers
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, TypeAdapter, ValidationError
from scipy.stats import qmc

from experiments.worlds import SHAPES
from sim.errors import InputError
from sim.files import read_text
from sim.params import Params, allowed, bounds, dotted, suggest, undot
from sim.scenario import resolve_scenario

DEFAULT_RUNNER = "experiments.runner:simulate"
METHODS = ("grid", "lhs")
# Upper bounds: far above real use, low enough that a slip (an extra zero) is refused at once
# instead of planning runs for hours; the seed must fit Parquet's int64.
MAX_REPLICATES = 100_000
MAX_SAMPLES = 1_000_000
MAX_RUNS = 1_000_000
MAX_SEED = 2**63 - 1


class SweepFile(BaseModel):
    """The [sweep] table."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["grid", "lhs"] = Field(description="one of grid, lhs")
    samples: StrictInt | None = Field(
        None, ge=1, le=MAX_SAMPLES, description=f'method = "lhs" needs samples = an integer in [1, {MAX_SAMPLES}]'
    )
    parameters: dict[str, Any] = Field(description='a table [sweep.parameters] of "group.name" = values')


class ExperimentFile(BaseModel):
    """An experiment file's keys, types and bounds (parameter values are checked against the schema after)."""

    model_config = ConfigDict(extra="forbid")
    name: StrictStr | None = Field(None, description="name must be a string")
    scenarios: list[StrictStr] = Field(min_length=1, description="a non-empty list of scenario files or names")
    replicates: StrictInt = Field(
        ge=1, le=MAX_REPLICATES, description=f"replicates must be an integer of at least 1 (at most {MAX_REPLICATES})"
    )
    seed: StrictInt = Field(
        ge=0, le=MAX_SEED, description="seed must be a non-negative integer, e.g. seed = 2026 (at most 2^63 - 1)"
    )
    months: StrictInt | None = Field(None, ge=1, description="months must be a positive integer")
    paired: StrictBool = Field(False, description="paired must be true or false")
    runner: StrictStr = Field(DEFAULT_RUNNER, pattern=r"^[\w.]+:\w+$", description='runner must be "module:function"')
    set: dict[str, Any] = Field(default_factory=dict, description='set must be a table [set] of "group.name" = value')
    sweep: SweepFile | None = Field(
        None, description="sweep must be a table [sweep] with method and [sweep.parameters]"
    )


KEYS = tuple(ExperimentFile.model_fields)
SWEEP_KEYS = tuple(SweepFile.model_fields)


def _file_error(error: ValidationError, file: str) -> InputError:
    """The first problem pydantic found, as one InputError naming the field and what is allowed."""
    items = error.errors()
    item = next((i for i in items if i["type"] == "extra_forbidden"), items[0])  # a misspelt key explains a missing one
    loc = [str(part) for part in item["loc"]]
    model, keys = (SweepFile, SWEEP_KEYS) if loc[0] == "sweep" and len(loc) > 1 else (ExperimentFile, KEYS)
    key = loc[1] if model is SweepFile else loc[0]
    label = ".".join(loc[:2]) if model is SweepFile else key
    if label.startswith("scenarios."):
        label = f"scenarios[{loc[1]}]"
    if item["type"] == "extra_forbidden":
        close = difflib.get_close_matches(key, keys, n=1)
        did = f"; did you mean {close[0]!r}?" if close else ""
        where = "[sweep] holds " if model is SweepFile else "keys are "
        return InputError(f"unknown key {key!r}{did}; {where}" + ", ".join(keys), file=file, field=label)
    if item["type"] == "missing":
        if model is SweepFile:
            return InputError(f"missing {key}; {model.model_fields[key].description}", file=file, field=label)
        return InputError(
            f"missing {key!r}; an experiment names scenarios, replicates and seed", file=file, field=label
        )
    help_text = model.model_fields[key].description
    return InputError(f"{item.get('input')!r}: {help_text}", file=file, field=label)


# spawn_key of the generator behind a Latin hypercube: apart from every run's key (3 entries).
LHS_KEY = (0x1A5,)


@dataclass
class Experiment:
    """What to run: every scenario at every point, ``replicates`` times, seeds from ``seed``.

    ``paired``: replicate r at a point gets the same seed in every scenario (common random
    numbers), so scenarios meet the same villages and can be compared replicate by replicate.
    ``worlds``: plausible ranges (dotted name -> (lo, hi)) drawn once per replicate, and
    ``posterior``: accepted calibration samples, one taken per replicate (``experiments.worlds``).
    """

    scenarios: list[Path]
    replicates: int
    seed: int
    points: list[dict[str, Any]]
    swept: list[str]
    months: int | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    runner: str = DEFAULT_RUNNER
    name: str = "experiment"
    source: Path | None = None
    sweep: dict[str, Any] | None = None
    paired: bool = False
    worlds: dict[str, tuple[float, float]] = field(default_factory=dict)
    posterior: list[dict[str, float]] = field(default_factory=list)
    posterior_source: str | None = None
    worlds_shape: str = "pert"

    @property
    def n_runs(self) -> int:
        return len(self.scenarios) * len(self.points) * self.replicates


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """TOML reads ``village.width = 1`` as a nested table and ``"village.width" = 1`` as one key; accept both."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _schema_name(key: str, file: str | None, label: str) -> str:
    """``group.name`` -> ``name``, or an InputError with a did-you-mean."""
    try:
        if not isinstance(key, str) or "." not in key:
            raise KeyError(key)
        return undot(key)
    except KeyError:
        hint = suggest(str(key))
        did = f"; did you mean {dotted(hint.split('.')[-1])!r}?" if hint else ""
        form = "" if "." in str(key) else " (parameters are named group.name)"
        raise InputError(f"unknown parameter {key!r}{form}{did}", file=file, field=label) from None


@functools.cache
def _adapter(name: str) -> TypeAdapter:
    """A validator for one schema field alone (the model's cross-field checks come later, per run)."""
    info = Params.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info])


def check_value(key: str, value: Any, *, file: str | None = None, field: str | None = None) -> Any:
    """One value against the schema (type and range), returned in the schema's type.

    Integer parameters accept integral floats (``4.0`` -> ``4``) and refuse others (``30.7``),
    as scenario files do; samplers that work in real numbers round before they call this.
    NaN and infinity are refused for every parameter.
    """
    label = field or key
    name = _schema_name(key, file, label)
    info = Params.model_fields[name]
    numeric = info.annotation in (int, float)
    if numeric and not (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        raise InputError(f"{value!r} has the wrong type; allowed: {allowed(name)}", file=file, field=label)
    if numeric and not math.isfinite(value):
        raise InputError(f"{value!r} is not a finite number; allowed: {allowed(name)}", file=file, field=label)
    if info.annotation is int:
        if not float(value).is_integer():
            raise InputError(f"{value!r} is not a whole number; allowed: {allowed(name)}", file=file, field=label)
        value = int(value)
    elif info.annotation is float:
        value = float(value)
    elif info.annotation is bool and not isinstance(value, bool):
        raise InputError(f"{value!r} has the wrong type; allowed: {allowed(name)}", file=file, field=label)
    try:
        _adapter(name).validate_python(value)
    except ValidationError as error:
        message = error.errors()[0]["msg"]
        raise InputError(f"{value!r}: {message}; allowed: {allowed(name)}", file=file, field=label) from None
    return value


def sweep_points(
    method: str,
    parameters: dict[str, Any],
    samples: int | None = None,
    seed: int = 0,
    *,
    schema: bool = True,
    file: str | None = None,
    runs_per_point: int = 1,
) -> list[dict[str, Any]]:
    """The parameter points of a sweep: a full grid of the listed values, or a Latin hypercube; counted
    (times ``runs_per_point``, the scenarios times the replicates) against ``MAX_RUNS`` before it is built.

    ``grid``: each parameter lists its values; points are every combination, the first
    parameter varying slowest. ``lhs``: each parameter gives ``[lo, hi]``; ``samples``
    points are drawn with ``scipy.stats.qmc.LatinHypercube`` seeded from ``seed``; an
    integer parameter takes ``floor(lo + u * (hi - lo + 1))``, so each integer in the
    range is equally likely. With ``schema`` (the default runner) names, types and ranges
    are checked against ``sim.params``.
    """
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; allowed: {', '.join(METHODS)}", file=file, field="sweep.method")
    if not isinstance(parameters, dict) or not parameters:
        raise InputError(
            'needs at least one parameter, e.g. "facilitators.n_facilitators" = [2, 4, 8]',
            file=file,
            field="sweep.parameters",
        )
    if method == "grid":
        if samples is not None:
            raise InputError(
                'samples is for method = "lhs"; a grid runs every combination', file=file, field="sweep.samples"
            )
        sizes = [len(v) if isinstance(v, list) else 1 for v in parameters.values()]
        _count(math.prod(sizes), " x ".join(map(str, sizes)) + " grid", runs_per_point, file)
        return _grid(parameters, schema, file)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise InputError(
            f'{samples!r}: method = "lhs" needs samples = a positive integer', file=file, field="sweep.samples"
        )
    _count(samples, "Latin hypercube", runs_per_point, file)
    return _lhs(parameters, samples, seed, schema, file)


def _count(points: int, what: str, runs_per_point: int, file: str | None) -> None:
    if points * runs_per_point > MAX_RUNS:
        raise InputError(
            f"a {what} of {points:,} points x {runs_per_point:,} runs per point (scenarios x replicates) = "
            f"{points * runs_per_point:,} runs; allowed: at most {MAX_RUNS:,} in one experiment (fewer values, "
            "or split it)",
            file=file,
            field="sweep.parameters",
        )


def _grid(parameters: dict[str, Any], schema: bool, file: str | None) -> list[dict[str, Any]]:
    axes = {}
    for key, values in parameters.items():
        label = f"sweep.parameters.{key}"
        if not isinstance(values, list) or not values:
            raise InputError(
                f"{values!r}: a grid needs a non-empty list of values, e.g. [2, 4, 8]", file=file, field=label
            )
        axes[key] = [check_value(key, v, file=file, field=label) for v in values] if schema else values
    return [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]


def _lhs(parameters: dict[str, Any], samples: int, seed: int, schema: bool, file: str | None) -> list[dict[str, Any]]:
    ranges = {}
    for key, span in parameters.items():
        label = f"sweep.parameters.{key}"
        if (
            not isinstance(span, list)
            or len(span) != 2
            or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in span)
            or not span[0] < span[1]
        ):
            raise InputError(f'{span!r}: method = "lhs" needs a range [lo, hi] with lo < hi', file=file, field=label)
        integer = False
        if schema:
            name = _schema_name(key, file, label)
            annotation = Params.model_fields[name].annotation
            if annotation not in (int, float):
                raise InputError(
                    f"a Latin hypercube needs a numeric parameter; allowed for {key}: {allowed(name)}; "
                    'sweep it with method = "grid"',
                    file=file,
                    field=label,
                )
            lo, hi = bounds(name)
            if (lo is not None and span[0] < lo) or (hi is not None and span[1] > hi):
                raise InputError(
                    f"range {span!r} lies outside the schema; allowed: {allowed(name)}", file=file, field=label
                )
            integer = annotation is int
            if integer and not all(float(v).is_integer() for v in span):
                raise InputError(
                    f"range {span!r}: the bounds of an integer parameter must be integers", file=file, field=label
                )
        ranges[key] = (span[0], span[1], integer)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=LHS_KEY))
    unit = qmc.LatinHypercube(d=len(ranges), rng=rng).random(samples)
    points = []
    for row in unit:
        point = {}
        for (key, (lo, hi, integer)), u in zip(ranges.items(), row):
            if integer:
                point[key] = min(math.floor(lo + u * (hi - lo + 1)), int(hi))
            else:
                point[key] = float(lo + u * (hi - lo))
        points.append(point)
    return points


def _scenario_path(item: Any, base: Path | None, file: str | None, index: int) -> Path:
    label = f"scenarios[{index}]"
    if not isinstance(item, (str, Path)) or not str(item):
        raise InputError(
            f"{item!r}: a scenario is a file name or a shipped scenario name in quotes", file=file, field=label
        )
    if base is not None and (base / item).is_file():
        return (base / item).resolve()
    try:
        return resolve_scenario(item).resolve()
    except InputError as error:
        raise InputError(f"unknown scenario {str(item)!r}: {error}", file=file, field=label) from None


@functools.cache
def _file_adapter(key: str) -> TypeAdapter:
    info = ExperimentFile.model_fields[key]
    return TypeAdapter(Annotated[info.annotation, info])


def _check_key(key: str, value: Any, file: str | None) -> Any:
    """One value of the file's shape (replicates, seed, months, paired), as ``ExperimentFile`` checks it."""
    try:
        return _file_adapter(key).validate_python(value)
    except ValidationError:
        raise InputError(f"{value!r}: {ExperimentFile.model_fields[key].description}", file=file, field=key) from None


def make_experiment(
    scenarios: list[str | Path],
    replicates: int = 1,
    seed: int = 0,
    points: list[dict[str, Any]] | None = None,
    swept: list[str] | None = None,
    months: int | None = None,
    overrides: dict[str, Any] | None = None,
    runner: str | None = None,
    name: str = "experiment",
    *,
    source: Path | None = None,
    sweep: dict[str, Any] | None = None,
    base: Path | None = None,
    paired: bool = False,
    worlds: dict[str, tuple[float, float]] | None = None,
    posterior: list[dict[str, float]] | None = None,
    posterior_source: str | None = None,
    worlds_shape: str = "pert",
) -> Experiment:
    """An experiment from Python (compare, sensitivity, notebooks), checked like a file.

    ``scenarios`` are paths (relative to ``base`` when given) or shipped names. ``points``
    are dicts of dotted names; ``swept`` defaults to every name the points set. With the
    default runner, point values are checked against the schema (integer parameters
    rounded); a custom runner ``"module:function"`` gets the point values as they are.
    ``paired`` gives replicate r at a point one seed in every scenario; ``worlds`` and
    ``posterior`` give replicate r one plausible world (``experiments.worlds``), each assumption
    drawn by ``worlds_shape`` (``experiments.worlds.SHAPES``).
    """
    file = str(source) if source else None
    if worlds_shape not in SHAPES:
        raise InputError(
            f"{worlds_shape!r} is not a shape of the worlds; allowed: {', '.join(SHAPES)}",
            file=file,
            field="worlds_shape",
        )
    if not isinstance(scenarios, list) or not scenarios:
        raise InputError(
            'needs a non-empty list of scenarios, e.g. scenarios = ["area_based"]', file=file, field="scenarios"
        )
    paths = [_scenario_path(item, base, file, i) for i, item in enumerate(scenarios)]
    stems = [p.stem for p in paths]
    twice = sorted({s for s in stems if stems.count(s) > 1})
    if twice:
        raise InputError(
            f"two scenarios share the name {twice[0]!r}; run ids need distinct file names", file=file, field="scenarios"
        )
    replicates = _check_key("replicates", replicates, file)
    seed = _check_key("seed", seed, file)
    paired = _check_key("paired", paired, file)
    runner = runner or DEFAULT_RUNNER
    if not isinstance(runner, str) or ":" not in runner:
        raise InputError(f'{runner!r}: runner must be "module:function"', file=file, field="runner")
    schema = runner == DEFAULT_RUNNER
    # Named as the user wrote them: keys of the file, or the command-line options (--set, --months).
    set_label, months_label = ("set.", "months") if file else ("--set ", "--months")
    if months is not None:
        months = _check_key("months", months, file)
        if schema:
            check_value("village.months", months, file=file, field=months_label)
    overrides = dict(overrides or {})
    if schema:
        overrides = {k: check_value(k, v, file=file, field=f"{set_label}{k}") for k, v in overrides.items()}
    points = [{}] if points is None else points
    if not isinstance(points, list) or not points or not all(isinstance(p, dict) for p in points):
        raise InputError(
            "points must be a non-empty list of dicts of dotted parameter names", file=file, field="points"
        )
    if months is not None and ("village.months" in overrides or any("village.months" in p for p in points)):
        raise InputError(
            "the horizon is given twice: months and village.months (in [set] or the sweep); keep one",
            file=file,
            field="months",
        )
    if schema:
        points = [
            {k: check_value(k, v, file=file, field=f"sweep.parameters.{k}") for k, v in p.items()} for p in points
        ]
    total = len(paths) * len(points) * replicates
    if total > MAX_RUNS:
        raise InputError(
            f"{len(paths)} scenarios x {len(points)} points x {replicates} replicates = {total:,} runs; "
            f"allowed: at most {MAX_RUNS:,} in one experiment (split it, or use fewer replicates)",
            file=file,
            field="replicates",
        )
    if swept is None:
        swept = list(dict.fromkeys(k for p in points for k in p))
    elif schema:
        for k in swept:
            _schema_name(k, file, "swept")
    return Experiment(
        scenarios=paths,
        replicates=replicates,
        seed=seed,
        points=points,
        swept=list(swept),
        months=months,
        overrides=overrides,
        runner=runner,
        name=name,
        source=source,
        sweep=sweep,
        paired=paired,
        worlds=dict(worlds or {}),
        posterior=list(posterior or []),
        posterior_source=posterior_source,
        worlds_shape=worlds_shape,
    )


def load_experiment(path: str | Path, overrides: dict[str, Any] | None = None) -> Experiment:
    """Read and check an experiment file (the TOML format above); ``overrides`` (``--set``) win over its [set]."""
    path = Path(path)
    file = str(path)
    try:
        data = tomllib.loads(read_text(path))
    except FileNotFoundError:
        raise InputError("experiment file not found", file=file) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the experiment file ({error})", file=file) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"TOML syntax error: {error}", file=file) from None
    try:
        spec = ExperimentFile.model_validate(data)
    except ValidationError as error:
        raise _file_error(error, file) from None
    runner, seed = spec.runner, spec.seed
    points, sweep = None, None
    if spec.sweep is not None:
        sweep = {**data["sweep"], "parameters": _flatten(spec.sweep.parameters)}
        points = sweep_points(
            spec.sweep.method,
            sweep["parameters"],
            spec.sweep.samples,
            seed,
            schema=runner == DEFAULT_RUNNER,
            file=file,
            runs_per_point=len(spec.scenarios) * spec.replicates,
        )
    if runner == DEFAULT_RUNNER:
        overrides = {k: check_value(k, v, field=f"--set {k}") for k, v in (overrides or {}).items()}
    overrides = {**_flatten(spec.set), **(overrides or {})}
    months = spec.months
    if months is not None and "village.months" in overrides and "village.months" not in _flatten(spec.set):
        months = overrides.pop("village.months")
    return make_experiment(
        spec.scenarios,
        replicates=spec.replicates,
        seed=seed,
        points=points,
        swept=list(sweep["parameters"]) if sweep else [],
        months=months,
        overrides=overrides,
        runner=runner,
        name=spec.name or path.stem,
        source=path.resolve(),
        sweep=sweep,
        base=path.parent,
        paired=spec.paired,
    )


__all__ = ["DEFAULT_RUNNER", "Experiment", "check_value", "load_experiment", "make_experiment", "sweep_points"]

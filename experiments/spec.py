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

Everything is checked here, against the schema in ``sim.params``; a problem is one
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
from typing import Annotated, Any

import numpy as np
from pydantic import TypeAdapter, ValidationError
from scipy.stats import qmc

from sim.errors import InputError
from sim.params import Params, allowed, bounds, dotted, suggest, undot
from sim.scenario import resolve_scenario

DEFAULT_RUNNER = "experiments.runner:simulate"
METHODS = ("grid", "lhs")
KEYS = ("name", "scenarios", "replicates", "seed", "months", "paired", "runner", "set", "sweep")
SWEEP_KEYS = ("method", "samples", "parameters")
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

    Integer parameters accept integral floats (``4.0`` -> ``4``) and round others to the
    nearest integer, so samplers that work in real numbers can sweep them.
    """
    label = field or key
    name = _schema_name(key, file, label)
    info = Params.model_fields[name]
    numeric = info.annotation in (int, float)
    if numeric and not (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        raise InputError(f"{value!r} has the wrong type; allowed: {allowed(name)}", file=file, field=label)
    if info.annotation is int:
        value = round(value)
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
) -> list[dict[str, Any]]:
    """The parameter points of a sweep: a full grid of the listed values, or a Latin hypercube.

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
            "needs at least one parameter, e.g. \"facilitators.n_facilitators\" = [2, 4, 8]",
            file=file,
            field="sweep.parameters",
        )
    if method == "grid":
        if samples is not None:
            raise InputError("samples is for method = \"lhs\"; a grid runs every combination", file=file,
                             field="sweep.samples")
        return _grid(parameters, schema, file)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise InputError(f"{samples!r}: method = \"lhs\" needs samples = a positive integer", file=file,
                         field="sweep.samples")
    return _lhs(parameters, samples, seed, schema, file)


def _grid(parameters: dict[str, Any], schema: bool, file: str | None) -> list[dict[str, Any]]:
    axes = {}
    for key, values in parameters.items():
        label = f"sweep.parameters.{key}"
        if not isinstance(values, list) or not values:
            raise InputError(f"{values!r}: a grid needs a non-empty list of values, e.g. [2, 4, 8]", file=file,
                             field=label)
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
            raise InputError(f"{span!r}: method = \"lhs\" needs a range [lo, hi] with lo < hi", file=file,
                             field=label)
        integer = False
        if schema:
            name = _schema_name(key, file, label)
            annotation = Params.model_fields[name].annotation
            if annotation not in (int, float):
                raise InputError(f"a Latin hypercube needs a numeric parameter; allowed for {key}: {allowed(name)}; "
                                 "sweep it with method = \"grid\"", file=file, field=label)
            lo, hi = bounds(name)
            if (lo is not None and span[0] < lo) or (hi is not None and span[1] > hi):
                raise InputError(f"range {span!r} lies outside the schema; allowed: {allowed(name)}", file=file,
                                 field=label)
            integer = annotation is int
            if integer and not all(float(v).is_integer() for v in span):
                raise InputError(f"range {span!r}: the bounds of an integer parameter must be integers", file=file,
                                 field=label)
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
        raise InputError(f"{item!r}: a scenario is a file name or a shipped scenario name in quotes", file=file,
                         field=label)
    if base is not None and (base / item).is_file():
        return (base / item).resolve()
    try:
        return resolve_scenario(item).resolve()
    except InputError as error:
        raise InputError(f"unknown scenario {str(item)!r}: {error}", file=file, field=label) from None


def _check_int(value: Any, lo: int, field_name: str, file: str | None, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo:
        raise InputError(f"{value!r}: {what}", file=file, field=field_name)
    return value


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
) -> Experiment:
    """An experiment from Python (compare, sensitivity, notebooks), checked like a file.

    ``scenarios`` are paths (relative to ``base`` when given) or shipped names. ``points``
    are dicts of dotted names; ``swept`` defaults to every name the points set. With the
    default runner, point values are checked against the schema (integer parameters
    rounded); a custom runner ``"module:function"`` gets the point values as they are.
    ``paired`` gives replicate r at a point one seed in every scenario; ``worlds`` and
    ``posterior`` give replicate r one plausible world (``experiments.worlds``).
    """
    file = str(source) if source else None
    if not isinstance(scenarios, list) or not scenarios:
        raise InputError("needs a non-empty list of scenarios, e.g. scenarios = [\"area_based\"]", file=file,
                         field="scenarios")
    paths = [_scenario_path(item, base, file, i) for i, item in enumerate(scenarios)]
    stems = [p.stem for p in paths]
    twice = sorted({s for s in stems if stems.count(s) > 1})
    if twice:
        raise InputError(f"two scenarios share the name {twice[0]!r}; run ids need distinct file names", file=file,
                         field="scenarios")
    replicates = _check_int(replicates, 1, "replicates", file, "replicates must be an integer of at least 1")
    seed = _check_int(seed, 0, "seed", file, "seed must be a non-negative integer, e.g. seed = 2026")
    if not isinstance(paired, bool):
        raise InputError(f"{paired!r}: paired must be true or false", file=file, field="paired")
    runner = runner or DEFAULT_RUNNER
    if not isinstance(runner, str) or ":" not in runner:
        raise InputError(f"{runner!r}: runner must be \"module:function\"", file=file, field="runner")
    schema = runner == DEFAULT_RUNNER
    if months is not None:
        months = _check_int(months, 1, "months", file, "months must be a positive integer")
        if schema:
            check_value("village.months", months, file=file, field="months")
    overrides = dict(overrides or {})
    if schema:
        overrides = {k: check_value(k, v, file=file, field=f"set.{k}") for k, v in overrides.items()}
    points = [{}] if points is None else points
    if not isinstance(points, list) or not points or not all(isinstance(p, dict) for p in points):
        raise InputError("points must be a non-empty list of dicts of dotted parameter names", file=file,
                         field="points")
    if months is not None and ("village.months" in overrides or any("village.months" in p for p in points)):
        raise InputError("the horizon is given twice: months and village.months (in [set] or the sweep); "
                         "keep one", file=file, field="months")
    if schema:
        points = [{k: check_value(k, v, file=file, field=f"sweep.parameters.{k}") for k, v in p.items()}
                  for p in points]
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
    )


def load_experiment(path: str | Path, overrides: dict[str, Any] | None = None) -> Experiment:
    """Read and check an experiment file (the TOML format above); ``overrides`` (``--set``) win over its [set]."""
    path = Path(path)
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("experiment file not found", file=file) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the experiment file ({error})", file=file) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"TOML syntax error: {error}", file=file) from None
    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            did = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(f"unknown key {key!r}{did}; keys are " + ", ".join(KEYS), file=file, field=key)
    for key in ("scenarios", "replicates", "seed"):
        if key not in data:
            raise InputError(f"missing {key!r}; an experiment names scenarios, replicates and seed", file=file,
                             field=key)
    if not isinstance(data.get("set", {}), dict):
        raise InputError("set must be a table [set] of \"group.name\" = value", file=file, field="set")
    seed = _check_int(data["seed"], 0, "seed", file, "seed must be a non-negative integer, e.g. seed = 2026")
    if not isinstance(data.get("name", ""), str):
        raise InputError(f"{data['name']!r}: name must be a string", file=file, field="name")
    runner = data.get("runner", DEFAULT_RUNNER)
    points, sweep = None, None
    if "sweep" in data:
        sweep = data["sweep"]
        if not isinstance(sweep, dict):
            raise InputError("sweep must be a table [sweep] with method and [sweep.parameters]", file=file,
                             field="sweep")
        for key in sweep:
            if key not in SWEEP_KEYS:
                raise InputError(f"unknown key {key!r}; [sweep] holds " + ", ".join(SWEEP_KEYS), file=file,
                                 field=f"sweep.{key}")
        if "method" not in sweep:
            raise InputError(f"missing method; allowed: {', '.join(METHODS)}", file=file, field="sweep.method")
        parameters = sweep.get("parameters")
        parameters = _flatten(parameters) if isinstance(parameters, dict) else parameters
        sweep = {**sweep, "parameters": parameters}
        points = sweep_points(sweep["method"], parameters, sweep.get("samples"), seed,
                              schema=runner == DEFAULT_RUNNER, file=file)
    if runner == DEFAULT_RUNNER:
        overrides = {k: check_value(k, v, field=f"--set {k}") for k, v in (overrides or {}).items()}
    overrides = {**_flatten(data.get("set", {})), **(overrides or {})}
    months = data.get("months")
    if months is not None and "village.months" in overrides and "village.months" not in _flatten(data.get("set", {})):
        months = overrides.pop("village.months")
    return make_experiment(
        data["scenarios"],
        replicates=data["replicates"],
        seed=seed,
        points=points,
        swept=list(sweep["parameters"]) if sweep else [],
        months=months,
        overrides=overrides,
        runner=runner,
        name=data.get("name", path.stem),
        source=path.resolve(),
        sweep=sweep,
        base=path.parent,
        paired=data.get("paired", False),
    )


__all__ = ["DEFAULT_RUNNER", "Experiment", "check_value", "load_experiment", "make_experiment", "sweep_points"]

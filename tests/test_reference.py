"""Reference results: the default comparison's summary at a fixed seed, kept in the repository.

A change to the model, its defaults or the statistics that moves any number of the default
``berdaya compare`` fails here. When the change is meant, update the reference and say in
CHANGELOG.md, in words a programme officer reads, what changed in the recommendation and why:

    make reference        # rewrites tests/reference/compare_summary.json, prints its digest

then add a CHANGELOG.md entry that quotes the printed digest (this test checks it is there).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

from berdaya.cli import main

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "reference" / "compare_summary.json"
CHANGELOG = ROOT / "CHANGELOG.md"
SEED = 0
ARGS = ["compare", "--seed", str(SEED), "--no-decompose", "--no-voi"]
DIGITS = 4  # significant digits kept: stable on this machine, fine enough to catch a moved result
UPDATE = "BERDAYA_UPDATE_REFERENCE"


def rounded(text: str) -> float | None:
    """A number kept to DIGITS significant digits; an undefined one (empty or NaN) as None."""
    value = float(text or "nan")
    return None if value != value else float(f"{value:.{DIGITS}g}")


def summary(out: Path) -> dict:
    """The comparison's summary.csv as {strategy: {measure: {mean, low, high, n}}}, rounded."""
    found: dict = {}
    with (out / "summary.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            found.setdefault(row["arm"], {})[row["measure"]] = {
                "mean": rounded(row["mean"]),
                "low": rounded(row["low"]),
                "high": rounded(row["high"]),
                "n": int(row["n"]),
            }
    return {"command": "berdaya " + " ".join(ARGS), "significant_digits": DIGITS, "summary": found}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_the_default_comparison_matches_the_reference(tmp_path):
    assert main([*ARGS, "--out", str(tmp_path / "compare")]) == 0
    now = summary(tmp_path / "compare")
    text = json.dumps(now, indent=1, sort_keys=True) + "\n"
    if os.environ.get(UPDATE):
        REFERENCE.parent.mkdir(exist_ok=True)
        REFERENCE.write_text(text, encoding="utf-8")
        print(
            f"\nreference written: {REFERENCE.relative_to(ROOT)}, digest {digest(REFERENCE)}; "
            "quote it in a CHANGELOG.md entry"
        )
    stored = json.loads(REFERENCE.read_text(encoding="utf-8"))
    moved = [
        f"{arm} {measure}: {stored['summary'].get(arm, {}).get(measure)} -> {values}"
        for arm, measures in now["summary"].items()
        for measure, values in measures.items()
        if stored["summary"].get(arm, {}).get(measure) != values
    ]
    gone = [f"{arm} {m}" for arm, ms in stored["summary"].items() for m in ms if m not in now["summary"].get(arm, {})]
    assert not moved and not gone, (
        "the default comparison's results changed (" + "; ".join((moved + gone)[:5]) + "). If this is meant: "
        "run `make reference` and add a CHANGELOG.md entry quoting the new digest that says what changed in the "
        "recommendation and why."
    )


def test_the_changelog_explains_the_reference_in_force():
    """Every reference the repository holds has a CHANGELOG.md entry that quotes its digest."""
    quoted = digest(REFERENCE)
    assert quoted in CHANGELOG.read_text(encoding="utf-8"), (
        f"CHANGELOG.md has no entry quoting the reference's digest {quoted}; add one that says, for a programme "
        "officer, what changed in the default comparison's recommendation and why"
    )

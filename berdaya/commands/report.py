"""`berdaya report DIR`: rebuild the comparison report from stored results, without rerunning."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.i18n import LANGUAGES
from analysis.report import build


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        description=(
            "Read DIR/runs, DIR/monthly and DIR/experiment.json (and DIR/decomposition, DIR/cost_curve where "
            "berdaya compare ran them) and write DIR/report.html, DIR/report.md, DIR/figures/, DIR/summary.csv, "
            "DIR/pairs.csv (and DIR/decomposition.csv, DIR/cost_curve.csv). Nothing is rerun. A language other "
            "than the folder's first goes to DIR/report.<lang>.html, .md and DIR/figures.<lang>/, beside it. "
            "HTML sections other commands left in DIR/sections/ are included."
        ),
    )
    parser.add_argument(
        "out", metavar="DIR", type=Path, help="folder written by `berdaya compare` or `berdaya experiment`"
    )
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report (default: en)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    paths, summary = build(args.out, args.lang)
    print(summary)
    print()
    print(f"report: {paths['html']}  (also {paths['md'].name})")
    return 0

"""Write the synthetic survey of scenarios/survey_example: households.csv and patrons.csv.

A made-up village in the shape of a Lampung transmigration village: four hamlets of
unequal size, two patrons in each (seed 002's landowner-tenant, trader-retailer,
lender-borrower and supplier-craftsman ties), one big trader who also buys from the
neighbouring hamlet. No real person or place is described. Run it from anywhere:

    .venv/bin/python scenarios/survey_example/make_survey.py

The draws come from a fixed SeedSequence, so the files are the same on every machine;
tests/test_survey.py checks that the shipped files are what this script writes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 20240517

# Hamlet name, number of households, its two patrons.
HAMLETS = (
    ("Krajan", 70, ("P01", "P02")),
    ("Sumbersari", 58, ("P03", "P04")),
    ("Karanganyar", 50, ("P05", "P06")),
    ("Tegalrejo", 42, ("P07", "P08")),
)

# patron_id, kind, capital, extraction, interest, openness, hamlet
PATRONS = (
    ("P01", "trader", 160.0, 0.25, 0.20, 0.15, "Krajan"),
    ("P02", "landowner", 120.0, 0.30, 0.15, 0.35, "Krajan"),
    ("P03", "lender", 70.0, 0.20, 0.30, 0.10, "Sumbersari"),
    ("P04", "supplier", 55.0, 0.15, 0.10, 0.55, "Sumbersari"),
    ("P05", "landowner", 90.0, 0.30, 0.15, 0.25, "Karanganyar"),
    ("P06", "trader", 60.0, 0.20, 0.20, 0.60, "Karanganyar"),
    ("P07", "supplier", 40.0, 0.15, 0.10, 0.45, "Tegalrejo"),
    ("P08", "lender", 45.0, 0.20, 0.25, 0.20, "Tegalrejo"),
)
KIND = {row[0]: row[1] for row in PATRONS}

# How tied a client of each kind of patron is, and how much it tends to owe.
DEPENDENCY = {"landowner": 0.75, "trader": 0.55, "lender": 0.65, "supplier": 0.4}
DEBT = {"landowner": 1.0, "trader": 1.5, "lender": 3.0, "supplier": 0.8}
CROSS_HAMLET = 0.15  # share of Sumbersari households selling to Krajan's big trader P01


def households(rng: np.random.Generator) -> list[list[str]]:
    rows = []
    for name, count, patrons in HAMLETS:
        for k in range(count):
            patron = patrons[int(rng.integers(2))]
            if name == "Sumbersari" and rng.random() < CROSS_HAMLET:
                patron = "P01"
            kind = KIND[patron]
            tenant = kind == "landowner"
            wealth = rng.exponential(1.2 if tenant else 2.2)
            income = rng.lognormal(np.log(0.95 if tenant else 1.15), 0.2)
            debt = min(rng.exponential(DEBT[kind]), 5.5) if rng.random() < 0.6 else 0.0
            awareness = rng.beta(1.5, 12.0)
            # Field teams did not score dependency everywhere: blank cells are drawn from the scenario.
            dependency = (
                f"{rng.beta(8 * DEPENDENCY[kind], 8 * (1 - DEPENDENCY[kind])):.2f}" if rng.random() < 0.7 else ""
            )
            rows.append(
                [
                    f"{name[:3].upper()}-{k + 1:03d}",
                    name,
                    f"{wealth:.1f}",
                    f"{income:.2f}",
                    f"{debt:.1f}",
                    patron,
                    f"{awareness:.2f}",
                    dependency,
                ]
            )
    return rows


def main(out_dir: Path = HERE) -> None:
    rng = np.random.default_rng(np.random.SeedSequence(SEED))
    with open(out_dir / "households.csv", "w", newline="", encoding="utf-8") as file:
        out = csv.writer(file, lineterminator="\n")
        out.writerow(["household_id", "hamlet", "wealth", "income", "debt", "patron_id", "awareness", "dependency"])
        out.writerows(households(rng))
    with open(out_dir / "patrons.csv", "w", newline="", encoding="utf-8") as file:
        out = csv.writer(file, lineterminator="\n")
        out.writerow(["patron_id", "kind", "capital", "extraction", "interest", "openness", "hamlet"])
        out.writerows([[pid, kind, f"{c:g}", f"{e:g}", f"{i:g}", f"{o:g}", h] for pid, kind, c, e, i, o, h in PATRONS])


if __name__ == "__main__":
    main()

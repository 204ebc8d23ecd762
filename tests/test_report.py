"""The comparison report, built by `berdaya compare` from a small real experiment.

Three scenarios, three replicates, 20 x 20 villages, 36 months with a 24-month programme:
small enough to run in seconds, long enough to have an after-programme period.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import threading
import time
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pandas as pd
import pytest

from analysis import figures, report
from analysis.figures import GROUP_LIFE, TRAJECTORIES, asides
from analysis.i18n import t
from analysis.measures import MEASURES, RATIOS
from analysis.report import EXTRA_TRAJECTORIES
from analysis.stats import MIN_CLEAR
from berdaya.cli import main
from experiments.engine import cpu_count

SCENARIOS = ["baseline", "area_based", "hybrid"]
SMALL = [
    "--set",
    "village.width=20",
    "--set",
    "village.height=20",
    "--months",
    "36",
    "--set",
    "programme.programme_months=24",
]
FIGURES = (
    [f"trajectory_{c}" for c in TRAJECTORIES + EXTRA_TRAJECTORIES]
    + ["distribution", "cost_lasting", "decomposition", "acceptability"]
    + list(GROUP_LIFE)
)
SECTIONS = ["summary", "figures", "details", "pairs", "method"]


def compare(out, *extra: str) -> int:
    return main(["compare", *SCENARIOS, "--replicates", "3", "--workers", "2", "--out", str(out), *SMALL, *extra])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A finished comparison folder (English report)."""
    out = tmp_path_factory.mktemp("compare") / "small"
    assert compare(out) == 0
    return out


@pytest.fixture
def copy(built, tmp_path):
    """A private copy of the comparison, for tests that rebuild or add to it."""
    target = tmp_path / "copy"
    shutil.copytree(built, target)
    return target


def test_compare_prints_the_summary_and_where_the_report_is(built, capsys):
    capsys.readouterr()
    assert main(["report", str(built)]) == 0
    printed = capsys.readouterr().out
    assert str(built / "report.html") in printed
    assert t("report.sure_sum", "en").split("{")[0] in printed


def test_the_report_has_every_section_and_figure(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'<section id="{section}">' in page
    for stem in FIGURES:
        assert f'id="fig-{stem}"' in page
        png, svg = built / "figures" / f"{stem}.png", built / "figures" / f"{stem}.svg"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in svg.read_bytes()[:2000]
    for q in ("effect", "cost", "lasting", "sure"):
        assert f'id="q-{q}"' in page
    # the summary paragraph and the table come first, then the figures, then the method
    assert (
        page.index('class="summary"')
        < page.index('class="key"')
        < page.index('id="figures"')
        < page.index('id="method"')
    )


def test_the_html_is_self_contained_and_fits_a_phone(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<style>" in page and "@media (max-width:40rem)" in page
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/svg+xml;base64,") for s in sources)
    assert "<link" not in page and "<script" not in page and "url(" not in page


def test_the_method_lists_scenarios_differing_parameters_seeds_and_versions(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    method = page[page.index('<section id="method">') :]
    for name in SCENARIOS:
        assert f"{name}.toml" in method
    # the differing settings in words, not schema names
    assert t("method.strategy", "en") in method and t("method.n_facilitators", "en") in method
    assert "programme.strategy" not in method and "facilitators.n_facilitators" not in method
    assert t("param.width", "en") not in method.split(t("report.runs", "en"))[0]  # shared, so not a difference
    assert "mesa 3.3.1" in method and t("report.root_seed", "en") in method
    # compare pairs replicates by default, and the method says how
    assert html.escape(t("report.seeds_text_paired", "en")) in method
    assert html.escape(t("report.statistics_paired", "en").split("{")[0]) in method
    assert html.escape(t("report.pairs_note_paired", "en")) in page


def test_unpaired_compare_gives_each_strategy_its_own_seeds_and_says_so(tmp_path):
    out = tmp_path / "unpaired"
    assert (
        main(
            [
                "compare",
                "baseline",
                "hybrid",
                "--replicates",
                "2",
                "--serial",
                "--out",
                str(out),
                "--unpaired",
                "--set",
                "village.width=20",
                "--set",
                "village.height=20",
                "--months",
                "12",
                "--set",
                "programme.programme_months=6",
            ]
        )
        == 0
    )
    assert json.loads((out / "experiment.json").read_text())["paired"] is False
    runs = pd.read_parquet(out / "runs")
    assert set(runs.loc[runs["scenario"] == "baseline", "seed"]).isdisjoint(
        runs.loc[runs["scenario"] == "hybrid", "seed"]
    )
    held = pd.read_parquet(out / "default_village" / "runs")  # the default village on each strategy's own villages
    assert dict(zip(held["run_id"], held["seed"], strict=True)) == dict(zip(runs["run_id"], runs["seed"], strict=True))
    leads = pd.read_csv(out / "default_village.csv").dropna(subset=["next_arm"])
    assert len(leads) and (leads["lead_n"] == 2).all()  # unpaired: compared as independent samples, not dropped
    pairs = pd.read_csv(out / "pairs.csv")
    assert not pairs["paired"].any() and pairs["n_pairs"].isna().all()
    page = (out / "report.html").read_text(encoding="utf-8")
    assert html.escape(t("report.seeds_text", "en")) in page and html.escape(t("report.pairs_note", "en")) in page
    assert html.escape(t("report.seeds_text_paired", "en")) not in page


def test_every_measure_is_estimated_for_every_strategy(built):
    summary = pd.read_csv(built / "summary.csv")
    assert set(summary["arm"]) == set(SCENARIOS)
    assert set(summary["measure"]) == {m.key for m in MEASURES}
    assert (summary["n"] + summary["missing"] == 3).all()
    known = summary.dropna(subset=["low", "high"])
    assert ((known["low"] <= known["mean"] + 1e-12) & (known["mean"] <= known["high"] + 1e-12)).all()
    pairs = pd.read_csv(built / "pairs.csv")
    assert len(pairs) == 3 * len([m for m in MEASURES if m.source != "incremental"])  # one value per run each
    # paired replicates: a replicate counts where both strategies have a value
    assert pairs["paired"].all() and (pairs["n_pairs"] <= pairs[["n_a", "n_b"]].min(axis=1)).all()
    empty = pairs["n_pairs"] == 0  # e.g. a ratio where nobody was self-reliant
    assert pairs.loc[empty, "p_a_higher"].isna().all()
    # P(a > b) compares the runs' own values: of a ratio, only where both runs have one
    known = pairs["p_a_higher"].notna()
    assert pairs.loc[known, "p_a_higher"].between(0, 1).all()
    assert known[~empty & ~pairs["measure"].isin(list(RATIOS))].all()


def test_the_markdown_report_refers_to_figure_files_that_exist(built):
    text = (built / "report.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert sorted(images) == sorted(f"figures/{stem}.png" for stem in FIGURES)
    assert all((built / image).is_file() for image in images)
    assert text.startswith(f"# {t('report.title', 'en').format(k=3)}")
    cost_pairs = text.split(f"### {t('report.facilitator_months_per_self_reliant', 'en')}")[1].split("## ")[0]
    assert t("hybrid", "en") in cost_pairs and t("baseline", "en") not in cost_pairs  # no facilitators, no cost


def test_the_report_in_indonesian_uses_the_indonesian_labels(copy):
    assert main(["report", str(copy), "--lang", "id"]) == 0
    page = (copy / "report.id.html").read_text(encoding="utf-8")
    markdown = (copy / "report.id.md").read_text(encoding="utf-8")
    assert '<html lang="id">' in page
    for key in ("report.method", "report.figures", "report.q_effect", "report.q_sure", "report.details"):
        assert t(key, "id") in page and t(key, "id") in markdown
        assert f">{t(key, 'en')}<" not in page
    assert t("hybrid", "id") in page and t("hybrid", "en") not in page
    svg = (copy / "figures.id" / "trajectory_awareness.svg").read_text(encoding="utf-8")
    assert t("month", "id") in svg and t("awareness", "id") in svg
    assert not re.search(r"\bSK\b", html.unescape(page) + markdown)  # "SK" reads as Surat Keputusan
    for arm in SCENARIOS:  # every strategy said in plain words, and its parameters too
        assert t(f"report.about_{arm}", "id") in html.unescape(page)
    assert "programme.project_management" not in page and t("method.project_management", "id") in page


def test_languages_sit_side_by_side_and_none_overwrites_another(copy):
    english = (copy / "report.html").read_text(encoding="utf-8")
    english_svg = (copy / "figures" / "distribution.svg").read_bytes()
    assert main(["report", str(copy), "--lang", "id"]) == 0
    assert (copy / "report.html").read_text(encoding="utf-8") == english
    assert (copy / "figures" / "distribution.svg").read_bytes() == english_svg
    assert '<html lang="id">' in (copy / "report.id.html").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (copy / "report.id.md").read_text(encoding="utf-8"))
    assert images and all(i.startswith("figures.id/") and (copy / i).is_file() for i in images)
    # the Indonesian bar chart keeps its strategy names (not rows 0, 1, 2)
    svg = (copy / "figures.id" / "distribution.svg").read_text(encoding="utf-8")
    assert all(t(arm, "id") in html.unescape(svg) for arm in SCENARIOS)
    assert main(["report", str(copy)]) == 0  # the folder's first language is still report.html
    assert '<html lang="en">' in (copy / "report.html").read_text(encoding="utf-8")


def test_report_rebuilds_from_stored_results_without_rerunning(copy):
    parts = sorted((copy / "runs").glob("*.parquet")) + sorted((copy / "monthly").glob("*.parquet"))
    before = {p: p.stat().st_mtime_ns for p in parts}
    (copy / "report.html").unlink()
    shutil.rmtree(copy / "figures")
    assert main(["report", str(copy)]) == 0
    assert (copy / "report.html").is_file() and (copy / "figures" / "distribution.svg").is_file()
    assert {p: p.stat().st_mtime_ns for p in parts} == before
    assert sorted((copy / "runs").glob("*.parquet")) + sorted((copy / "monthly").glob("*.parquet")) == parts


def test_extra_sections_in_the_folder_are_included_in_the_reader_s_language(copy):
    sections = copy / "sections"
    sections.mkdir()
    (sections / "sensitivity.html").write_text('<section id="extra-sens"><h2>Sensitivity</h2></section>')
    (sections / "robustness.html").write_text('<section id="extra-rob-en"><h2>Robustness</h2></section>')
    (sections / "robustness.id.html").write_text('<section id="extra-rob-id"><h2>Ketangguhan</h2></section>')
    main(["report", str(copy)])
    page = (copy / "report.html").read_text(encoding="utf-8")
    assert 'id="extra-sens"' in page and 'id="extra-rob-en"' in page and 'id="extra-rob-id"' not in page
    assert page.index('id="extra-rob-en"') < page.index('id="extra-sens"') < page.index('<section id="method">')
    assert "(sections/sensitivity.html)" in (copy / "report.md").read_text(encoding="utf-8")
    main(["report", str(copy), "--lang", "id"])
    page = (copy / "report.id.html").read_text(encoding="utf-8")
    assert 'id="extra-rob-id"' in page and 'id="extra-rob-en"' not in page and 'id="extra-sens"' in page


def _printed_pairs(markdown: str) -> list[tuple[str, str]]:
    """(interval, verdict) of every row of the pair tables, as printed."""
    rows = re.findall(r"^\| [^|]+ vs [^|]+ \| [^|]+ \| ([^|]+) \| [^|]+ \| ([^|]+) \|$", markdown, re.M)
    return [(interval.strip(), verdict.strip()) for interval, verdict in rows]


def test_a_difference_is_clear_only_when_its_printed_interval_excludes_zero(built):
    """And only over enough runs: the fixture's 3 runs are fewer than MIN_CLEAR, so nothing is
    clear, and the report says why."""
    markdown = (built / "report.md").read_text(encoding="utf-8")
    rows = _printed_pairs(markdown)
    assert rows
    for interval, verdict in rows:
        found = re.findall(r"[+\u2212-]?[\d,]+(?:\.\d+)?", interval)
        numbers = [float(x.replace("\u2212", "-").replace(",", "")) for x in found]
        excludes = len(numbers) >= 2 and (min(numbers[:2]) > 0 or max(numbers[:2]) < 0)
        assert (verdict == t("report.clear", "en")) == (excludes and 3 >= MIN_CLEAR), (interval, verdict)
    assert t("report.sure_min_clear", "en").format(min=MIN_CLEAR) in markdown
    pairs = pd.read_csv(built / "pairs.csv")
    assert not pairs["clear"].any()
    assert (~pairs["clear"] | (pairs["low"] > 0) | (pairs["high"] < 0)).all()
    shown = {
        (a, b): verdict
        for a, b, verdict in re.findall(
            r"^\| ([^|]+) vs ([^|]+) \| [^|]+ \| [^|]+ \| [^|]+ \| ([^|]+) \|$",
            markdown.split(f"### {t('report.self_reliant_share_programme_end', 'en')}\n")[-1].split("###")[0],
            re.M,
        )
    }
    effect = pairs[pairs["measure"] == "self_reliant_share_programme_end"]
    for _, row in effect.iterrows():  # pairs.csv and the effect table agree, whichever way round it is printed
        key = (t(row["a"], "en"), t(row["b"], "en"))
        verdict = shown.get(key) or shown[key[::-1]]
        assert (verdict.strip() == t("report.clear", "en")) == bool(row["clear"])


def test_the_decomposition_shares_out_each_paired_difference(built):
    table = pd.read_csv(built / "decomposition.csv")
    assert list(table.columns) == ["measure", "strategy", "against", "factor", "contribution", "low", "high"]
    plan = json.loads((built / "decomposition" / "plan.json").read_text())
    best, replicates = plan["best"], plan["replicates"]
    assert set(table["strategy"]) == {best} and best not in set(table["against"])
    runs = pd.read_parquet(built / "runs")
    effect = "self_reliant_share_programme_end"
    for against, rows in table[table["measure"] == effect].groupby("against"):
        shares = rows[~rows["factor"].str.contains("\u00d7")]
        assert set(shares["factor"]) <= {"mode", "management", "knowledge_manager", "networks"}
        assert (shares["low"] <= shares["contribution"]).all() and (shares["contribution"] <= shares["high"]).all()
        mine = runs[runs["scenario"] == best].set_index("replicate")[effect]
        theirs = runs[runs["scenario"] == against].set_index("replicate")[effect]
        paired = (mine - theirs).loc[range(replicates)].mean()
        assert shares["contribution"].sum() == pytest.approx(paired)
    page = (built / "report.html").read_text(encoding="utf-8")
    assert '<section id="decomposition">' in page and 'id="fig-decomposition"' in page


def test_a_horizon_before_the_programme_ends_is_refused(tmp_path, capsys):
    out = tmp_path / "short"
    assert main(["compare", "area_based", "hybrid", "--months", "24", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "24" in err and "60" in err and "Traceback" not in err
    assert not out.exists()


def test_the_cost_curve_has_one_point_per_number_of_facilitators(tmp_path):
    out = tmp_path / "curve"
    assert (
        main(
            [
                "compare",
                "baseline",
                "area_based",
                "--replicates",
                "2",
                "--workers",
                "2",
                "--out",
                str(out),
                "--facilitators",
                "2,4",
                "--no-decompose",
                *SMALL,
            ]
        )
        == 0
    )
    curve = pd.read_csv(out / "cost_curve.csv")
    assert list(curve.columns) == ["strategy", "n_facilitators", "measure", "mean", "low", "high"]
    assert set(curve["strategy"]) == {"area_based"}  # baseline fields no facilitators
    for _, rows in curve.groupby(["strategy", "measure"]):
        assert sorted(rows["n_facilitators"]) == [2, 4]
    assert {"self_reliant_share_horizon", "cost_per_self_reliant_rp"} <= set(curve["measure"])
    assert not (out / "decomposition.csv").exists()
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="fig-cost_curve_cost_per_self_reliant_rp"' in page


def test_resume_runs_nothing_twice(copy, capsys):
    capsys.readouterr()
    assert compare(copy, "--resume") == 0
    assert "ran 0 in" in capsys.readouterr().out
    assert compare(copy, "--resume", "--unpaired") == 2
    assert "run paired" in capsys.readouterr().err


def test_the_decision_tables_are_written_and_shown_from_every_run(built):
    """Cost per additional self-reliant household over no programme, from all runs; dominance,
    acceptability, regret and the value of information, each in its file and in the report."""
    summary = pd.read_csv(built / "summary.csv")
    icer = summary[summary["measure"] == "cost_per_additional_self_reliant_rp"].set_index("arm")
    assert (icer["n"] == 3).all() and np.isnan(icer.loc["baseline", "mean"])  # the comparator
    ce = pd.read_csv(built / "cost_effectiveness.csv").set_index("strategy")
    for arm in ("area_based", "hybrid"):
        gain, spent = ce.loc[arm, "incremental_self_reliant"], ce.loc[arm, "incremental_cost_rp"]
        if gain > 0:
            assert icer.loc[arm, "mean"] == pytest.approx(spent / gain)
    assert set(ce["status"]) <= {"frontier", "dominated", "extendedly_dominated"}
    accept = pd.read_csv(built / "acceptability.csv")
    assert list(accept.columns) == ["strategy", "wtp_rp", "probability_cost_effective"]
    assert np.allclose(accept.groupby("wtp_rp")["probability_cost_effective"].sum(), 1.0)
    regret = pd.read_csv(built / "regret.csv")
    assert list(regret.columns) == ["strategy", "measure", "max_regret", "mean_regret"]
    assert (regret["max_regret"] >= regret["mean_regret"] - 1e-12).all() and (regret["mean_regret"] >= 0).all()
    voi = pd.read_csv(built / "value_of_information.csv")
    assert list(voi.columns) == ["parameter", "measure", "evppi", "evppi_low", "evppi_high", "unit"]
    assert (voi["evppi"] >= 0).all() and set(voi["unit"]) == {"households", "rp"}
    page = (built / "report.html").read_text(encoding="utf-8")
    assert 'id="decision"' in page and 'id="fig-acceptability"' in page
    assert (built / "figures" / "acceptability.png").is_file()


def test_switch_points_are_found_by_runs_along_each_parameter(built):
    from analysis.report import SWITCH_COLUMNS

    rows = pd.read_csv(built / "switch_points.csv")
    assert list(rows.columns) == SWITCH_COLUMNS
    plan = json.loads((built / "switch_points" / "plan.json").read_text())
    assert len(rows) == len(plan["parameters"]) >= 2  # at least one assumption and the cut-off
    assert "households.self_reliance_threshold" in set(rows["parameter"])
    for entry, (_, row) in zip(plan["parameters"], rows.iterrows(), strict=True):
        assert row["parameter"] == entry["parameter"]
        assert [row["plausible_low"], row["plausible_high"]] == pytest.approx(entry["plausible"])
        assert row["within_plausible"] == np.isfinite(row["switch_value"])
        if row["within_plausible"]:
            assert row["plausible_low"] <= row["switch_value"] <= row["plausible_high"]
    runs = pd.read_parquet(built / "switch_points" / "runs" / "runs")
    assert set(runs["scenario"]) == {plan["leader"], plan["challenger"]}


def test_no_voi_skips_the_runs_along_the_parameters(tmp_path):
    out = tmp_path / "quick"
    assert compare(out, "--no-decompose", "--no-voi", "--no-default-village") == 0
    assert not (out / "switch_points").exists() and not (out / "switch_points.csv").exists()
    assert (out / "value_of_information.csv").is_file()  # from the runs already made
    assert not (out / "default_village").exists() and not (out / "default_village.csv").exists()


def test_the_default_village_runs_every_scenario_at_its_stated_values_on_the_worlds_villages(built):
    """Each scenario again with no parameter drawn, on the villages (seeds) of the worlds' first
    replicates; the table sets its mean beside the worlds' spread, both read from the runs."""
    from analysis.measures import outcomes
    from analysis.report import DEFAULT_VILLAGE_MEASURES
    from analysis.study import load

    worlds, held = load(built), load(built / "default_village")
    drawn = [c for c in worlds.runs.columns if "." in c and c != "run_id"]
    assert drawn and not [c for c in held.runs.columns if c in drawn]  # the worlds drew; it drew nothing
    seeds = worlds.runs.set_index("run_id")["seed"]
    assert (seeds.loc[held.runs["run_id"]].to_numpy() == held.runs["seed"].to_numpy()).all()
    rows = pd.read_csv(built / "default_village.csv")
    assert set(rows["arm"]) == set(SCENARIOS) and set(rows["measure"]) == set(DEFAULT_VILLAGE_MEASURES)
    at_defaults = outcomes(held.runs, held.monthly, held.arm_params)
    per_world = outcomes(worlds.runs, worlds.monthly, worlds.arm_params)
    for _, row in rows.iterrows():
        d = at_defaults.loc[at_defaults["arm"] == row["arm"], row["measure"]]
        x = per_world.loc[per_world["arm"] == row["arm"], row["measure"]]
        assert row["default_n"] == len(d) == 3 and row["worlds_n"] == len(x) == 3
        assert row["default_mean"] == pytest.approx(d.mean())
        assert row["worlds_median"] == pytest.approx(x.median())
        assert row["default_rank"] == pytest.approx((x < d.mean()).mean())
    text = (built / "report.md").read_text(encoding="utf-8")
    assert "With every assumption at its stated value instead of drawn" in text
    for measure, table in rows.groupby("measure"):  # each arm's paired lead over the next one in the default village
        by_seed = at_defaults.pivot_table(index="seed", columns="arm", values=measure, aggfunc="first")
        ranked = table.sort_values("default_mean", ascending=False)
        assert list(ranked["next_arm"].fillna("")) == [*ranked["arm"][1:], ""]
        for _, row in ranked.iloc[:-1].iterrows():
            assert row["lead"] == pytest.approx((by_seed[row["arm"]] - by_seed[row["next_arm"]]).mean())
            assert row["lead_low"] <= row["lead"] <= row["lead_high"]


def test_the_default_village_is_said_in_indonesian_and_a_differing_leader_is_named(copy):
    """The sentence reads in the reader's language; when the default village and the worlds name
    different leaders the report says which each names."""
    from analysis.report import default_village_sentences

    assert main(["report", str(copy), "--lang", "id"]) == 0
    assert t("report.default_village", "id").split("{")[0].strip() in (copy / "report.id.md").read_text("utf-8")
    rows = pd.DataFrame(
        {
            "arm": ["area_based", "hybrid"],
            "measure": ["self_reliant_share_programme_end"] * 2,
            "default_mean": [0.30, 0.10],
            "default_n": [10, 10],
            "worlds_median": [0.10, 0.20],
            "worlds_mean": [0.12, 0.25],
            "next_arm": ["hybrid", ""],
            "lead": [0.20, np.nan],
            "lead_low": [0.15, np.nan],
            "lead_high": [0.25, np.nan],
            "lead_n": [10, 0],
        }
    )
    unclear = t("report.default_village_unclear", "en").split("}")[1].split("{")[0]  # " is not clearly ahead of "
    for lang in ("en", "id"):
        said = default_village_sentences(rows, lang)
        assert len(said) == 2 and said[1].startswith(t("report.default_village_differs", lang).split("{")[0])
        assert t("report.default_village_unclear", lang).split("}")[1].split("{")[0] not in said[1]  # clearly ahead
    rows["lead_low"] = [-0.05, np.nan]  # an interval that holds zero: not clearly ahead
    assert unclear in default_village_sentences(rows, "en")[1]
    rows["default_mean"], rows["next_arm"], rows["lead_n"] = [0.05, 0.10], ["", "area_based"], [0, 10]
    rows["lead"], rows["lead_low"], rows["lead_high"] = [np.nan, 0.05], [np.nan, 0.01], [np.nan, 0.09]
    said = default_village_sentences(rows, "en")[1]
    assert said.startswith(t("report.default_village_same", "en").split("{")[0]) and unclear not in said


def test_the_fitness_sentence_is_read_from_the_validation_record(built, tmp_path):
    from analysis.report import VALIDATION_RECORD, fitness
    from analysis.study import load

    shipped = json.loads(VALIDATION_RECORD.read_text(encoding="utf-8"))
    expected = t("report.fitness", "en").format(
        met=shipped["validation_met"], rows=shipped["validation_rows"], commit=shipped["git_commit"][:7]
    )
    assert expected in (built / "report.md").read_text(encoding="utf-8")
    other = tmp_path / "record.json"
    other.write_text(json.dumps({**shipped, "validation_met": 11, "validation_rows": 17}))
    assert " 11 " in fitness(load(built), "en", other) and " 17 " in fitness(load(built), "en", other)
    other.write_text(json.dumps({**shipped, "validation_failed": ["jeevika_moneylender_rate", "unnamed_row"]}))
    for lang in ("en", "id"):
        said = fitness(load(built), lang, other)
        assert t("pattern.jeevika_moneylender_rate", lang) in said and "unnamed_row" in said
    other.write_text(
        json.dumps({**shipped, "validation_failed": [], "validation_met_targets": ["graduation_gains_7y"]})
    )
    said = fitness(load(built), "en", other)
    assert t("report.fitness_failed", "en").split("{")[0] not in said
    assert t("report.fitness_met", "en").format(parts=t("pattern.graduation_gains_7y", "en")) in said


def test_bad_input_is_one_message_and_exit_status_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert str(tmp_path / "nowhere") in capsys.readouterr().err
    assert main(["compare", "--resume"]) == 2
    assert "--resume needs --out" in capsys.readouterr().err
    assert main(["compare", "baseline", "no_such_scenario", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "no_such_scenario" in err and "Traceback" not in err


def test_every_over_time_figure_labels_its_axis_with_the_scale(built):
    from analysis.figures import axis_label

    for column in TRAJECTORIES + GROUP_LIFE:
        stem = f"trajectory_{column}" if column in TRAJECTORIES else column
        svg = html.unescape((built / "figures" / f"{stem}.svg").read_text(encoding="utf-8"))
        assert axis_label(column, "en") in svg and t("month", "en") in svg, stem
    assert axis_label("dependency", "en") == t("report.index_axis", "en")  # 0 = none, 1 = full


def test_a_surveyed_village_is_described_by_its_survey_not_by_its_grid(tmp_path):
    """Strategies compared on one surveyed village: the report counts the survey's households
    (220 in the example) instead of grid cells times density (24 x 20 x 0.6 = 288).
    Catches: the setting read from width, height and density whatever the village is."""
    from sim.scenario import SCENARIO_DIR

    example = SCENARIO_DIR / "survey_example"
    for name in ("households.csv", "patrons.csv"):
        shutil.copy(example / name, tmp_path / name)
    files = []
    for strategy in ("area_based", "hybrid"):
        path = tmp_path / f"village_{strategy}.toml"
        path.write_text(
            f'extends = "{SCENARIO_DIR / strategy}.toml"\n[village]\nsurvey = "households.csv"\nn_hamlets = 4\n'
            "width = 24\nheight = 20\n[patrons]\npatrons_per_hamlet = 2\n",
            encoding="utf-8",
        )
        files.append(str(path))
    out = tmp_path / "out"
    assert main(["compare", *files, "--replicates", "2", "--no-decompose", "--out", str(out)]) == 0
    households = len(pd.read_csv(example / "households.csv"))
    page = (out / "report.html").read_text(encoding="utf-8")
    assert t("report.intro_survey", "en").format(households=households, file="households.csv") in page
    assert "288 households" not in page
    assert t("report.sure_replicates_surveyed", "en").format(n=2) in page
    assert "different random village" not in page


def _breakdown(route: float, networks: float, together: float) -> pd.DataFrame:
    """A constructed decomposition of one pair: the route, the networks and their interaction."""
    from analysis.measures import EFFECT

    rows = [("mode", route), ("management", -0.02), ("networks", networks), ("mode × networks", together)]
    return pd.DataFrame(
        [
            {"measure": EFFECT, "strategy": "enterprise_based", "against": "area_based", "factor": f, "contribution": v}
            | {"low": v - 0.01, "high": v + 0.01}
            for f, v in rows
        ]
    )


def test_the_summary_says_the_lead_comes_from_the_equalised_settings_when_the_level_field_is_flat():
    """With no clear difference on a level field, the summary names the settings made equal and the
    largest of them, never the route; interactions get their own sentence."""
    from analysis.report import _decomposition_text

    rows = _breakdown(route=0.08, networks=0.05, together=0.10)
    flat = pd.DataFrame([{"strategy": "enterprise_based", "against": "area_based", "difference": -0.002}])
    flat = flat.assign(low=-0.011, high=0.008, n=12)
    for lang in ("en", "id"):
        short = _decomposition_text(rows, lang, 12, level=flat)[1][0]
        equal, _, added = short.partition(t("report.source_interactions", lang).split("{")[0])
        assert equal.startswith(t("report.source_equalised", lang).split("{")[0])
        assert t("factor.networks", lang) in equal and t("factor.mode", lang) not in equal
        assert "+10" in added and t("factor.mode", lang) in added
    ahead = flat.assign(difference=0.05, low=0.03, high=0.07)
    short = _decomposition_text(rows, "en", 12, level=ahead)[1][0]
    assert short.startswith("Of Enterprise-based's lead") and "whom the facilitators organise" in short.split(".")[0]


def test_the_summary_names_only_the_settings_in_which_a_pair_differs():
    """Enterprise-based against the hybrid differ in whom they organise alone (the networks' reach):
    the summary never says their lead comes from management or the knowledge manager, which they share;
    a pair differing in one setting besides the route names that one."""
    from analysis.report import _decomposition_text

    rows = _breakdown(route=-0.001, networks=0.023, together=0.0)
    rows = rows[rows["factor"].isin(["mode", "networks"])].assign(strategy="enterprise_based", against="hybrid")
    flat = pd.DataFrame([{"strategy": "enterprise_based", "against": "hybrid", "difference": -0.001}])
    flat = flat.assign(low=-0.019, high=0.010, n=12)
    for lang in ("en", "id"):
        reach = _decomposition_text(rows, lang, 12, level=flat, reach=frozenset({("enterprise_based", "hybrid")}))[1][0]
        assert reach.startswith(t("report.source_reach", lang).split("{")[0]) and "+2.3" in reach.replace(",", ".")
        for shared in ("factor.management", "factor.knowledge_manager", "factor.mode"):
            assert t(shared, lang) not in reach
        one = _decomposition_text(rows, lang, 12, level=flat)[1][0]
        assert one.startswith(t("report.source_equalised_one", lang).split("{")[0])
        assert t("factor.networks", lang) in one and t("factor.management", lang) not in one


def test_how_sure_leads_with_the_middle_half_of_the_runs_not_the_interval_of_a_mean(copy):
    from analysis.report import compute

    for lang in ("en", "id"):
        short = compute(copy, lang).verdicts["sure"].short
        spread = t("report.sure_sum_spread", lang).split("{")[0]
        assert short.startswith(spread)
        assert short.index(spread) < short.index(t("report.sure_sum", lang).split("{")[0])


def test_the_best_buy_says_between_which_grid_points_it_changes_and_where_the_grid_ends():
    from analysis.report import _segments

    grid = [1e6, 2e6, 4e6, 8e6]
    curve = pd.DataFrame(
        [
            {"strategy": arm, "wtp_rp": w, "probability_cost_effective": p}
            for w, pa in zip(grid, [0.9, 0.8, 0.3, 0.2], strict=True)
            for arm, p in (("area_based", pa), ("hybrid", 1 - pa))
        ]
    )
    for lang in ("en", "id"):
        said = _segments(curve, lang)
        switch = t("report.ce_segment_switch", lang).format(a="Rp 2.0 million", b="Rp 4.0 million")
        if lang == "id":
            switch = t("report.ce_segment_switch", lang).format(a="Rp2,0 juta", b="Rp4,0 juta")
        assert switch in said


def test_a_ratio_on_a_tiny_base_is_not_shown_as_a_number_in_the_table(built):
    text = (built / "report.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith(f"| {t('report.sustainability', 'en')}"))
    assert row.split("|")[2].strip() == t("report.tiny_base_short", "en")  # the baseline: nobody self-reliant


class _Here:
    """A result of ``asides``, drawn in this process."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def test_figures_drawn_aside_are_the_figures_drawn_here(copy, monkeypatch):
    """The report draws its figures in forked processes beside its statistics: the same images, every one,
    as drawn here in one go (the SVGs too, byte for byte: their ids come from a fixed salt)."""
    assert main(["report", str(copy)]) == 0
    aside = {p.name: p.read_bytes() for p in (copy / "figures").glob("*.*")}
    shutil.rmtree(copy / "figures")
    monkeypatch.setattr(report, "asides", lambda function, calls: [_Here(function(*args)) for args in calls])
    monkeypatch.setattr(report, "FIGURE_PROCESSES", 1)
    assert main(["report", str(copy)]) == 0
    here = {p.name: p.read_bytes() for p in (copy / "figures").glob("*.*")}
    assert set(here) == {f"{stem}.{kind}" for stem in FIGURES for kind in ("png", "svg")} and aside == here


def test_aside_forks_only_where_that_is_safe():
    """Another process when this one runs no other thread (and has a second core); here, at once, while
    another thread runs."""
    alone = cpu_count() > 1 and threading.active_count() == 1  # an earlier test may leave a thread behind
    assert (asides(os.getpid, [()])[0].result() != os.getpid()) == alone
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert asides(os.getpid, [()])[0].result() == os.getpid()
    finally:
        stop.set()
        other.join()


def _pid_after(seconds: float) -> int:
    """This process's id, after a wait (so each call of a pool keeps its worker busy)."""
    time.sleep(seconds)
    return os.getpid()


def test_asides_forks_every_call_before_any_thread():
    """Several calls aside: each in a process of its own, all forked before the pool's thread starts
    (a fork after it would be unsafe, so a later call would run here)."""
    alone = cpu_count() > 1 and threading.active_count() == 1
    pids = [drawn.result() for drawn in asides(_pid_after, [(0.5,), (0.5,), (0.5,)])]
    if alone:
        assert len(set(pids)) == 3 and os.getpid() not in pids
    else:
        assert pids == [os.getpid()] * 3


def test_a_call_a_broken_pool_refuses_is_run_here(monkeypatch):
    """A worker that died before every call was handed over: the calls it refused run in this process."""
    monkeypatch.setattr(figures, "cpu_count", lambda: 2)
    monkeypatch.setattr(figures.threading, "active_count", lambda: 1)
    submit = figures.ProcessPoolExecutor.submit
    handed = []

    def first_only(pool, *args, **kwargs):
        if handed:
            raise BrokenProcessPool("a worker died")
        handed.append(args)
        return submit(pool, *args, **kwargs)

    monkeypatch.setattr(figures.ProcessPoolExecutor, "submit", first_only)
    pids = [drawn.result() for drawn in asides(_pid_after, [(0.0,), (0.0,)])]
    assert pids[0] != os.getpid() and pids[1] == os.getpid()


def test_a_switch_value_is_given_to_three_significant_digits_beside_its_plausible_range():
    """A value where the choice changes reads like the parameter's range (11.9 of 6 to 20), not 11.872."""
    from analysis.report import _significant

    cases = {11.872: "11.9", 6.0: "6", 0.012345: "0.0123", 1500.3: "1,500", 0.5: "0.5"}
    assert {x: _significant(x, "en") for x in cases} == cases
    assert _significant(11.872, "id") == "11,9" and _significant(1500.3, "id") == "1.500"


def test_where_the_choice_would_change_names_the_outcome_it_was_measured_on():
    """The switch points (programme end) and the value of information (end of run) read different
    outcomes: each sentence names its own, so that "it holds" and "it would change" do not collide."""
    from analysis.measures import EFFECT
    from analysis.report import SWITCH_COLUMNS, switch_paragraph

    row = dict.fromkeys(SWITCH_COLUMNS, float("nan")) | {"parameter": "households.concentration", "measure": EFFECT}
    rows = pd.DataFrame([row | {"leader": "enterprise_based", "challenger": "hybrid", "within_plausible": False}])
    for lang in ("en", "id"):
        assert t(f"report.{EFFECT}", lang).lower() in switch_paragraph(rows, lang)


def _months(run_id, arm, rows):
    """Monthly rows of one run: (month, in_group_share, awareness, patron_debt, groups_dissolved)."""
    return pd.DataFrame(
        [
            {
                "run_id": run_id,
                "arm": arm,
                "month": month,
                "in_group_share": in_group,
                "awareness": awareness,
                "patron_debt": debt,
                "poverty_share": 0.2,
                "groups_forming": 1,
                "groups_active": 3,
                "groups_mature": 0,
                "groups_dissolved": dissolved,
            }
            for month, in_group, awareness, debt, dissolved in rows
        ]
    )


def test_what_weakened_after_the_programme_is_read_from_the_monthly_records():
    """Membership that fell in two runs of three is named with its means; awareness that rose is not;
    debt that rose (worse, since lower is better) is; the groups dissolved are counted from programme
    end; a strategy without facilitators says nothing."""
    from types import SimpleNamespace

    monthly = pd.concat(
        [
            _months("a.r0", "area_based", [(12, 0.6, 0.3, 0.30, 2), (24, 0.3, 0.4, 0.40, 7)]),
            _months("a.r1", "area_based", [(12, 0.5, 0.3, 0.30, 1), (24, 0.4, 0.5, 0.50, 4)]),
            _months("a.r2", "area_based", [(12, 0.4, 0.3, 0.30, 0), (24, 0.5, 0.6, 0.20, 0)]),
            _months("b.r0", "baseline", [(12, 0.0, 0.1, 0.40, 0), (24, 0.0, 0.05, 0.60, 0)]),
        ],
        ignore_index=True,
    )
    study = SimpleNamespace(
        monthly=monthly,
        arms=["baseline", "area_based"],
        arm_params={
            "baseline": {"facilitators.n_facilitators": 0, "programme.programme_months": 12},
            "area_based": {"facilitators.n_facilitators": 2, "programme.programme_months": 12},
        },
    )
    (text,) = report.fading_sentences(study, "en")
    assert t("baseline", "en") not in text
    assert "households in a group 50% → 40% (worse in 2 of 3 runs)" in text
    assert "debt to patrons per household 0.30 → 0.37 months of subsistence (worse in 2 of 3 runs)" in text
    assert "critical awareness" not in text and "poverty" not in text
    assert "groups standing per village 4.0 → 4.0 (2.7 dissolved, 2.7 formed)" in text
    study.arm_params["area_based"]["programme.programme_months"] = 24  # no months after the programme
    assert report.fading_sentences(study, "en") == []


def test_the_report_says_what_weakened_after_the_programme(built):
    markdown = (built / "report.md").read_text(encoding="utf-8")
    assert t("report.fade_intro", "en") in markdown


def test_what_lasts_is_read_with_the_hold_out_rows_measured_after_a_programme(tmp_path):
    """The caution counts the validation rows of targets.toml read after a programme's end and the ones
    the record misses; a record that misses only rows read during the programme says they are met."""
    from analysis.targets import load_targets
    from experiments.pattern_runner import AFTER_EXIT, parse_metric

    after = [x.name for x in load_targets() if x.kind == "validation" and parse_metric(x.metric)[0].index == AFTER_EXIT]
    during = [x.name for x in load_targets() if x.kind == "validation" and x.name not in after]
    assert after and during
    record = tmp_path / "record.json"
    record.write_text(json.dumps({"validation_failed": [after[0], during[0]]}), encoding="utf-8")
    (text,) = report.lasting_caution("en", record)
    assert f"{len(after)} were measured after a programme had ended, and it misses 1 of them: " in text
    assert t(f"pattern.{after[0]}", "en") in text and t(f"pattern.{during[0]}", "en") not in text
    record.write_text(json.dumps({"validation_failed": after}), encoding="utf-8")
    (text,) = report.lasting_caution("en", record)
    assert f"{len(after)} were measured after a programme had ended, and it misses all of them: " in text
    record.write_text(json.dumps({"validation_failed": during}), encoding="utf-8")
    assert report.lasting_caution("en", record) == [t("report.lasting_tested", "en").format(k=len(after))]


def test_the_report_reads_what_lasts_with_its_hold_out(built):
    markdown = (built / "report.md").read_text(encoding="utf-8")
    assert "".join(report.lasting_caution("en")) in markdown

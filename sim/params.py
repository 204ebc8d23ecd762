"""The one home of every parameter: default, allowed range, unit, description, group.

The command line, the scenario loader, the visualizer's sliders and docs/ODD.md all
read this schema; nothing else in the code holds a default. Names are unique across
groups, so a parameter is ``name`` in Python and ``group.name`` in files and on the
command line (``village.width``).
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from sim.errors import InputError

GROUPS = ("village", "households", "patrons", "facilitators", "groups", "networks", "programme", "costs")

STRATEGIES = ("baseline", "area_based", "enterprise_based", "hybrid")
EXIT_MODES = ("phased", "abrupt", "none")
MANAGEMENT = ("ngo", "community")
MOBILISATION = ("staged", "rapid")
NETWORKS = ("organic_market", "community_radio", "ecotourism", "paralegal")
# Each network's index in NETWORKS: the code the state arrays hold for it (-1: none). Compiled submodels
# read these as constants.
ORGANIC, RADIO, ECOTOURISM, PARALEGAL = (
    NETWORKS.index(n) for n in ("organic_market", "community_radio", "ecotourism", "paralegal")
)

Strategy = Literal["baseline", "area_based", "enterprise_based", "hybrid"]
ExitMode = Literal["phased", "abrupt", "none"]
Management = Literal["ngo", "community"]
Mobilisation = Literal["staged", "rapid"]
Network = Literal["organic_market", "community_radio", "ecotourism", "paralegal"]


EVIDENCE = ("field", "calibrated", "assumed", "design")
"""How a parameter's value is known (MODEL.md §8, evidence classes):

- ``field``: read from a source (named in ``source``);
- ``calibrated``: set by ``berdaya calibrate`` against patterns (docs/validation.md);
- ``assumed``: nobody measured it; ``plausible`` gives the range a reasonable modeller
  could defend and ``source`` says why; the comparison report draws it from that range;
- ``design``: a choice of the scenario or of the programme (grid size, strategy, number of
  facilitators), not an effect size.
"""


def P(
    default: Any,
    lo: float | None,
    hi: float | None,
    unit: str,
    group: str,
    description: str,
    *,
    evidence: str = "design",
    source: str = "",
    plausible: tuple[float, float] | None = None,
    calibrate: bool | tuple[float, float] = False,
):
    """One schema entry: pydantic enforces ``lo <= value <= hi``; the rest is metadata.

    ``calibrate``: ``berdaya calibrate`` fits this parameter, over its plausible range (True)
    or over the prior range given. Only a parameter that acts on every strategy alike and
    moves a calibration row is marked (tests/test_smc.py checks the first).
    """
    prior = tuple(plausible) if calibrate is True else tuple(calibrate) if calibrate else None
    extra = {"group": group, "unit": unit, "evidence": evidence, "source": source, "plausible": plausible}
    extra["prior"] = prior
    return Field(default, ge=lo, le=hi, description=description, json_schema_extra=extra)


def C(default: Any, unit: str, group: str, description: str):
    """A choice or list entry: its allowed values come from its type."""
    extra = {"group": group, "unit": unit, "evidence": "design", "source": "", "plausible": None}
    return Field(default, description=description, json_schema_extra=extra)


# What each strategy means for the switches it does not name itself (MODEL.md §5).
# An explicitly given switch always wins over the preset.
STRATEGY_PRESETS: dict[str, dict[str, Any]] = {
    "baseline": {"project_management": "ngo", "knowledge_manager": False, "networks": []},
    "area_based": {"project_management": "ngo", "knowledge_manager": False, "networks": []},
    "enterprise_based": {
        "project_management": "community",
        "knowledge_manager": True,
        "networks": list(NETWORKS),
    },
    "hybrid": {"project_management": "community", "knowledge_manager": True, "networks": list(NETWORKS)},
}


class Params(BaseModel):
    """All model parameters (one flat namespace; each carries its group as metadata)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)
    _given: frozenset[str] = PrivateAttr(default=frozenset())

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        self._given = frozenset(data)

    def given(self) -> dict[str, Any]:
        """The values named explicitly (not filled in by defaults or the strategy preset)."""
        return {k: getattr(self, k) for k in self._given}

    # --- village -------------------------------------------------------------------
    width: int = P(40, 5, 1500, "cells", "village", "Grid width.")
    height: int = P(40, 5, 1500, "cells", "village", "Grid height.")
    density: float = P(0.6, 0.05, 1.0, "share of cells", "village", "Share of cells holding a household.")
    n_hamlets: int = P(4, 1, 16, "hamlets", "village", "Hamlets (dusun), vertical strips of the grid.")
    months: int = P(120, 1, 600, "months", "village", "Horizon of a run.")
    season_amplitude: float = P(
        0.2,
        0.0,
        0.9,
        "share of income",
        "village",
        "Seasonal swing of income over the year.",
        evidence="assumed",
        source="no village income series at hand; a rice harvest's swing read as 10-30% of yearly income",
        plausible=(0.1, 0.3),
        calibrate=True,
    )
    shock_rate: float = P(
        0.037,
        0.0,
        0.2,
        "per household-month",
        "village",
        "Chance of a harvest failure or illness in a month (calibrated, docs/validation.md).",
        evidence="calibrated",
        source="docs/validation.md (ABC, patron borrowers in year one)",
        calibrate=(0.005, 0.06),
    )
    survey: str | None = C(
        None, "path", "village", "Household survey (CSV) to start from instead of a random village; see docs/survey.md."
    )
    shock_size: float = P(
        2.0,
        0.0,
        12.0,
        "months of subsistence",
        "village",
        "Wealth lost to one shock.",
        evidence="assumed",
        source="a harvest failure or an illness read as costing one to three months of subsistence",
        plausible=(1.0, 3.0),
        calibrate=True,
    )
    burn_in_months: int = P(
        192,
        0,
        600,
        "months",
        "village",
        "Months of life without a programme run before month 0, so the village starts in its own steady state (not used with a survey, which is the state); chosen from the baseline's measured convergence (docs/ODD.md §5).",
    )

    # --- households ----------------------------------------------------------------
    income_mean: float = P(
        2.0,
        0.5,
        4.0,
        "months of subsistence / month",
        "households",
        "Mean monthly income, land included (1.0 = subsistence); set so the baseline's poverty share and patron borrowing are plausible (docs/validation.md).",
        evidence="calibrated",
        source="docs/validation.md (the baseline's poverty share and patron borrowing)",
        calibrate=(1.4, 2.8),
    )
    income_sd: float = P(
        0.35,
        0.0,
        1.0,
        "log units",
        "households",
        "Spread of labour and trade income across households (lognormal sigma); with land it sets the consumption Gini (BPS rural 0.31).",
        evidence="calibrated",
        source="docs/validation.md (consumption Gini, BPS rural 0.31)",
        calibrate=(0.2, 0.6),
    )
    landless_share: float = P(
        0.35,
        0.0,
        0.95,
        "share of households",
        "households",
        "Households with no land (>= 30% own no wet-rice land in almost every Java village surveyed, Wiradi 1982).",
        evidence="field",
        source="Wiradi; Bachriadi & Wiradi 2011 (secondary)",
    )
    land_gini: float = P(
        0.55,
        0.0,
        0.95,
        "Gini",
        "households",
        "Gini of land among landholders (0.52-0.59 in Java villages 1963-2003, Bachriadi & Wiradi 2011); land drawn lognormal.",
        evidence="field",
        source="Bachriadi & Wiradi 2011 (secondary)",
    )
    land_income_share: float = P(
        0.35,
        0.0,
        0.9,
        "share of income",
        "households",
        "Share of the village's income that comes from land; the rest is labour and trade.",
        evidence="assumed",
        source="farm income is a third to a half of rural Javanese household income; no village figure",
        plausible=(0.2, 0.5),
        calibrate=True,
    )
    consumption_floor: float = P(
        0.8,
        0.3,
        1.0,
        "months of subsistence / month",
        "households",
        "Least a household consumes while it can borrow; below it, it borrows (buffer-stock rule with a floor).",
        evidence="assumed",
        source="households cut food and schooling before borrowing at 20%/month; depth of the cut unmeasured",
        plausible=(0.6, 0.95),
        calibrate=True,
    )
    consumption_mpc: float = P(
        0.1,
        0.01,
        1.0,
        "per month",
        "households",
        "Share of wealth above (below) the buffer target spent (saved) each month (buffer-stock saving, Deaton 1991; Carroll 1997).",
        evidence="assumed",
        source="buffer-stock models put monthly marginal propensities out of excess cash at 0.05-0.3",
        plausible=(0.05, 0.3),
        calibrate=True,
    )
    buffer_stock: float = P(
        3.0,
        0.0,
        24.0,
        "months of own income",
        "households",
        "Savings a household aims to hold, in months of its own net income (buffer-stock target).",
        evidence="assumed",
        source="buffer-stock targets of a few months of income (Carroll 1997)",
        plausible=(1.0, 6.0),
        calibrate=True,
    )
    wealth_mean: float = P(
        2.0,
        0.0,
        24.0,
        "months of subsistence",
        "households",
        "Mean initial wealth (exponential).",
        evidence="assumed",
        source="no asset survey at hand; savings of one to four months of subsistence",
        plausible=(1.0, 4.0),
    )
    asset_return: float = P(
        0.045,
        0.0,
        0.2,
        "per month",
        "households",
        "Monthly yield of productive assets (livestock, stock-in-trade, tools, farm inputs) before depreciation and failure.",
        evidence="assumed",
        source="returns to capital in Sri Lankan microenterprises about 5% a month (de Mel, McKenzie & Woodruff 2008, QJE 123(4)); cows and buffalo in India yield far less, often a loss net of costs (Anagol, Etang & Karlan 2017, Review of Economics and Statistics 99(2)); a village's mix of livestock, small trade and inputs read as 2-7% a month, so net of depreciation and failure the range reaches a loss",
        plausible=(0.02, 0.07),
        calibrate=True,
    )
    asset_depreciation: float = P(
        0.01,
        0.0,
        0.2,
        "per month",
        "households",
        "Share of productive assets lost each month to wear, spoilage and livestock mortality.",
        evidence="assumed",
        source="livestock mortality and the wear of tools and stock read as 6-25% a year; no Indonesian figure at hand",
        plausible=(0.005, 0.02),
    )
    asset_failure: float = P(
        0.005,
        0.0,
        0.2,
        "per household-month",
        "households",
        "Chance in a month that a household's productive activity fails (the animal dies, the stall goes bust) and its productive assets are lost.",
        evidence="assumed",
        source="no count of failed household enterprises at hand; read as one venture in 10 to 20 lost in a year (2-11% a year); the risk is what makes microcredit's average effect modest (Banerjee, Karlan & Zinman 2015, AEJ Applied 7(1))",
        plausible=(0.002, 0.01),
        calibrate=True,
    )
    asset_gestation: float = P(
        4.0,
        1.0,
        36.0,
        "months",
        "households",
        "Mean months before a new productive asset yields (exponential delay): a season for farm inputs, weeks for small trade, a year or more for a calf.",
        evidence="assumed",
        source="a rice season is about four months; small trade turns over within weeks; a heifer calves after a year or more (Anagol, Etang & Karlan 2017 count its costs before its milk); read as one to nine months on average",
        plausible=(1.0, 9.0),
    )
    fire_sale_discount: float = P(
        0.3,
        0.0,
        0.9,
        "share of value",
        "households",
        "Share of its value a productive asset loses when sold in a hurry to cover a shortfall.",
        evidence="assumed",
        source="livestock sells cheap when many sell at once after a drought (Fafchamps, Udry & Czukas 1998, Journal of Development Economics 55); the size for an Indonesian village's distress sale is not measured; read as 10-50%",
        plausible=(0.1, 0.5),
    )
    liquid_share: float = P(
        0.5,
        0.0,
        1.0,
        "share of the buffer target",
        "households",
        "Share of its buffer target a household keeps in cash; savings above it go into productive assets (1: none).",
        evidence="assumed",
        source="rural households hold much of their savings in kind, livestock above all (Rosenzweig & Wolpin 1993, Journal of Political Economy 101(2)); no Indonesian share at hand; read as a quarter to three quarters in cash",
        plausible=(0.25, 0.75),
        calibrate=True,
    )
    dependency_mean: float = P(
        0.6,
        0.0,
        1.0,
        "share",
        "households",
        "Mean initial dependency on the patron (beta, sd about 0.15).",
        evidence="assumed",
        source="most households depend on a patron (Nugroho 1993: 61-79% borrow); the index itself is not measured",
        plausible=(0.45, 0.75),
        calibrate=True,
    )
    awareness_mean: float = P(
        0.1,
        0.0,
        1.0,
        "share",
        "households",
        "Mean initial critical awareness (beta).",
        evidence="assumed",
        source="seeds 003-004 describe low awareness before organising; not measured",
        plausible=(0.05, 0.2),
        calibrate=True,
    )
    skills_mean: float = P(
        0.2,
        0.0,
        1.0,
        "share",
        "households",
        "Mean initial skills (beta).",
        evidence="assumed",
        source="not measured; low before training (seed 001)",
        plausible=(0.1, 0.3),
        calibrate=True,
    )
    household_management_mean: float = P(
        0.2,
        0.0,
        1.0,
        "share",
        "households",
        "Mean initial managerial capacity of a household of its own (beta): the managerial dimension of self-reliance outside a group.",
        evidence="assumed",
        source="set equal to skills_mean; no field measure",
        plausible=(0.1, 0.3),
    )
    management_transfer: float = P(
        0.05,
        0.0,
        0.5,
        "per month",
        "households",
        "Pull of a member's own management towards its group's (what members take home from running a KSM).",
        evidence="assumed",
        source="no field measure",
        plausible=(0.02, 0.1),
    )
    awareness_decay: float = P(
        0.02,
        0.0,
        0.5,
        "per month",
        "households",
        "Fall of awareness towards the household's own level without use (not in a working group) or reinforcement (no contact).",
        evidence="assumed",
        source="institutional change fades where groups did not mature (PATTERNS.md); half-life of years",
        plausible=(0.005, 0.05),
    )
    skills_decay: float = P(
        0.01,
        0.0,
        0.5,
        "per month",
        "households",
        "Fall of skills towards the household's own level without use (not in a working group) or training, and of a household's own management towards where it started when it is not in a working group.",
        evidence="assumed",
        source="skills unused fade over years; no field measure",
        plausible=(0.003, 0.03),
    )
    concentration: float = P(
        10.0,
        0.5,
        100.0,
        "beta a+b",
        "households",
        "Concentration of the beta draws of initial dependency, awareness and skills (higher: households more alike).",
        evidence="assumed",
        source="how alike households start; not measured",
        plausible=(6.0, 20.0),
        calibrate=True,
    )
    trust_initial: float = P(
        0.2,
        0.0,
        1.0,
        "share",
        "households",
        "Initial trust in the outside facilitator.",
        evidence="assumed",
        source="trust in outsiders before immersion (seed 003); not measured",
        plausible=(0.1, 0.3),
        calibrate=True,
    )
    buffer_target: float = P(
        6.0, 0.5, 36.0, "months of subsistence", "households", "Savings at which material self-reliance is full."
    )
    self_reliance_threshold: float = P(
        0.5, 0.05, 0.95, "index", "households", "Self-reliance at or above which a household counts as self-reliant."
    )
    dependency_discount: float = P(
        0.5,
        0.0,
        1.0,
        "share",
        "households",
        "How strongly dependency discounts self-reliance: SR = mean3 x (1 - discount x dependency).",
    )
    peer_rate: float = P(
        0.05,
        0.0,
        0.5,
        "per month",
        "households",
        "Pull of awareness towards the neighbours' and fellow members' mean.",
        evidence="assumed",
        source="pull of neighbours on awareness; no field estimate",
        plausible=(0.02, 0.1),
        calibrate=True,
    )
    dependency_release: float = P(
        0.02,
        0.0,
        0.2,
        "per month",
        "households",
        "Pull of a debt-free household's dependency towards its own level, lowered by its alternative channels (group fund, organic market).",
        evidence="assumed",
        source="how fast dependency eases with an alternative channel; no field estimate",
        plausible=(0.01, 0.04),
        calibrate=True,
    )
    borrow_dependency: float = P(
        0.05,
        0.0,
        0.5,
        "per month of subsistence borrowed",
        "households",
        "Rise of dependency per month of subsistence borrowed from the patron.",
        evidence="assumed",
        source="how much a patron loan binds a client; no field estimate",
        plausible=(0.025, 0.1),
        calibrate=True,
    )
    default_limit: float = P(
        6.0,
        1.0,
        36.0,
        "months of subsistence",
        "households",
        "Patron debt at which the client defaults and loses land or assets.",
        evidence="assumed",
        source="debt at which land or assets are lost; press reports 2018-2020 say it happens, not at what level",
        plausible=(4.0, 9.0),
    )
    default_dependency: float = P(
        0.2,
        0.0,
        1.0,
        "share",
        "households",
        "Rise of dependency when a client defaults (land lost; press reports 2018-2020).",
        evidence="assumed",
        source="rise of dependency after losing land; press reports 2018-2020, size not measured",
        plausible=(0.1, 0.3),
    )
    pawn_share: float = P(
        0.5,
        0.0,
        1.0,
        "share of land",
        "households",
        "Share of its unpawned land a client pawns to its patron on default (gadai; land lost on default, press reports 2018-2020).",
        evidence="assumed",
        source="press reports say land is lost, not how much",
        plausible=(0.25, 0.75),
    )
    pawn_months: int = P(
        36,
        1,
        600,
        "months",
        "households",
        "Months over which pawned land returns to the household (the pawn is worked off).",
        evidence="assumed",
        source="gadai terms run a few harvests to years",
        plausible=(12, 60),
    )
    repay_share: float = P(
        0.5,
        0.0,
        1.0,
        "share of cash",
        "households",
        "Share of the cash left after the month's consumption put towards debt each month.",
        evidence="assumed",
        source="share of spare cash put towards debt; not measured",
        plausible=(0.3, 0.7),
        calibrate=True,
    )

    # --- patrons -------------------------------------------------------------------
    patrons_per_hamlet: int = P(
        2, 1, 10, "patrons", "patrons", "Patrons (landowner, trader, lender, supplier) per hamlet."
    )
    openness_concentration: float = P(
        6.0,
        0.5,
        100.0,
        "beta a+b",
        "patrons",
        "Concentration of the beta draw of openness (higher: patrons more alike).",
        evidence="assumed",
        source="how alike patrons are; not measured",
        plausible=(3.0, 12.0),
        calibrate=True,
    )
    extraction: float = P(
        0.2,
        0.0,
        0.8,
        "share of dependent income",
        "patrons",
        "Share of a client's dependent income the patron captures.",
        evidence="assumed",
        source="share of dependent income patrons take; sharecropping halves and trader margins read as 10-30%",
        plausible=(0.1, 0.3),
        calibrate=True,
    )
    patron_interest: float = P(
        0.2,
        0.0,
        0.5,
        "per month",
        "patrons",
        "Monthly interest on patron loans (~20%/month, Nugroho 1993, Java; 20-30% press reports).",
        evidence="field",
        source="Nugroho 1993 (Java): about 20% a month; press reports 2018-2020: 20-30%",
    )
    openness_mean: float = P(
        0.3,
        0.0,
        1.0,
        "share",
        "patrons",
        "Mean patron openness, 0 resistant to 1 cooperative (beta).",
        evidence="assumed",
        source="seed 002 describes most patrons as resistant at first; not measured",
        plausible=(0.2, 0.4),
        calibrate=True,
    )
    openness_extraction_effect: float = P(
        0.5,
        0.0,
        1.0,
        "share",
        "patrons",
        "Cut in extraction by a fully open patron: e = e0 x (1 - effect x openness).",
        evidence="assumed",
        source="how much an open patron takes less; not measured",
        plausible=(0.3, 0.7),
    )
    pressure: float = P(
        0.03,
        0.0,
        0.3,
        "per month",
        "patrons",
        "Pull of a resistant patron on its dependent clients' awareness.",
        evidence="assumed",
        source="pull of a resistant patron on clients' awareness; not measured",
        plausible=(0.015, 0.05),
        calibrate=True,
    )
    cooperative_openness: float = P(
        0.5,
        0.0,
        1.0,
        "share",
        "patrons",
        "Openness above which a patron is cooperative: no pressure, lends to groups.",
        evidence="assumed",
        source="where openness turns into cooperation; not measured",
        plausible=(0.4, 0.6),
    )
    patron_insurance: float = P(
        0.5,
        0.0,
        1.0,
        "share of a shock",
        "patrons",
        "Share of a client's shock loss its patron covers, scaled by dependency; the client owes obligation, not money (patron as insurer, Scott 1976).",
        evidence="assumed",
        source="the subsistence-insurance role of patrons (Scott 1976); size unmeasured",
        plausible=(0.2, 0.8),
        calibrate=True,
    )
    interlinked_share: float = P(
        0.5,
        0.0,
        1.0,
        "share",
        "patrons",
        "Share of a client's dependent credit needs that only its patron serves (inputs, land, marketing tied to credit), scaled by dependency.",
        evidence="assumed",
        source="interlinked credit-land-marketing contracts (Bardhan 1980); share unmeasured",
        plausible=(0.2, 0.8),
        calibrate=True,
    )
    organised_rate_penalty: float = P(
        0.5,
        0.0,
        2.0,
        "share of the rate",
        "patrons",
        "Rise of a resistant patron's rate for clients who join a group, times its resistance (seed 002: patron as obstacle).",
        evidence="assumed",
        source="seed 002 names the obstacle, not its size",
        plausible=(0.0, 1.0),
    )
    rate_competition: float = P(
        0.3,
        0.0,
        1.0,
        "share of the rate",
        "patrons",
        "Cut in a patron's rate when all its clients can borrow from a group fund (moneylenders cut rates 69% to 58% a year, JEEViKA).",
        evidence="assumed",
        source="Hoffmann et al. 2017 report a cut of about a sixth at ~half coverage",
        plausible=(0.1, 0.5),
    )
    contestability: float = P(
        0.1,
        0.0,
        1.0,
        "share of the rate",
        "patrons",
        "Cut in a patron's rate when all its clients live where an alternative lender is at hand (a live group on "
        "their place, or a facilitator working it), before any of them joins: contestable, not only contested.",
        evidence="assumed",
        source="entry of one more NGO lender lowered moneylender rates about 25% in 150 Bangladeshi villages "
        "(Chowdhury et al., BIDS seminar 2025; secondary, via the press); Berg, Emran & Shilpi 2015 find no fall and "
        "Mallick 2012 a rise with realised coverage, so the threat's own effect runs from none to a quarter",
        plausible=(0.0, 0.25),
        calibrate=True,
    )

    # --- facilitators --------------------------------------------------------------
    n_facilitators: int = P(
        4, 0, 64, "facilitators", "facilitators", "External facilitators (pendamping) the NGO fields."
    )
    capacity: int = P(
        25,
        1,
        500,
        "contacts / month",
        "facilitators",
        "Household contacts one facilitator makes in a month.",
        evidence="assumed",
        source="household contacts a facilitator makes a month; read as about one a working day",
        plausible=(15, 40),
    )
    stage_months: int = P(
        3,
        1,
        24,
        "facilitator-months",
        "facilitators",
        "Work needed to move a place one organising stage on.",
        evidence="assumed",
        source="months of work per organising stage (seed 003 gives the stages, not their length); a reading of the "
        "P2KP/PNPM Mandiri Perkotaan community cycle (socialisation, poverty reflection, self-mapping, then KSMs, about "
        "9-12 months before groups; secondary) fits 3 a stage",
        plausible=(2, 5),
    )
    rapid_formation_months: int = P(
        3,
        1,
        24,
        "facilitator-months",
        "facilitators",
        "Under rapid mobilisation, work on a place before its groups are formed (immersion and investigation run "
        "alongside); then the stages go on at stage_months each.",
        evidence="assumed",
        source="no Indonesian record gives the months; a reading of field records (secondary): JEEViKA's community resource persons formed a village's SHGs in "
        "drives of weeks, within the first months (Datta et al. 2015; Banerji 2015); NRLM formed SHGs in the first "
        "months of an intensive block; PNPM Mandiri Perkotaan's KSMs were formed in the first programme year, "
        "strengthened afterwards (Juknis Pengembangan KSM; Pilot Penguatan KSM)",
        plausible=(2, 6),
    )
    w_consultant: float = P(
        0.3, 0.0, 1.0, "share of effort", "facilitators", "Effort on consulting (group problem solving)."
    )
    w_facilitator: float = P(
        0.2, 0.0, 1.0, "share of effort", "facilitators", "Effort on linking groups to markets and resources."
    )
    w_trainer: float = P(0.3, 0.0, 1.0, "share of effort", "facilitators", "Effort on training.")
    w_networking: float = P(
        0.2,
        0.0,
        1.0,
        "share of effort",
        "facilitators",
        "Effort on networking with leaders and patrons (when patron engagement is on).",
    )
    trust_gain: float = P(
        0.3,
        0.0,
        1.0,
        "per contact",
        "facilitators",
        "Trust built by one immersion contact.",
        evidence="assumed",
        source="trust one immersion visit builds; not measured",
        plausible=(0.15, 0.45),
        calibrate=True,
    )
    animation_gain: float = P(
        0.4,
        0.0,
        1.0,
        "per contact",
        "facilitators",
        "Awareness raised by one animation contact, scaled by trust.",
        evidence="assumed",
        source="awareness one animation visit raises; not measured",
        plausible=(0.2, 0.6),
        calibrate=True,
    )
    training_gain: float = P(
        0.15,
        0.0,
        1.0,
        "per contact",
        "facilitators",
        "Skills raised by one training contact.",
        evidence="assumed",
        source="skills one training raises; not measured",
        plausible=(0.08, 0.25),
        calibrate=True,
    )
    consult_gain: float = P(
        0.05,
        0.0,
        1.0,
        "per group-month",
        "facilitators",
        "Management built in a consulted group per month.",
        evidence="assumed",
        source="management a consulted group gains a month; not measured",
        plausible=(0.025, 0.08),
        calibrate=True,
    )
    link_gain: float = P(
        0.11,
        0.0,
        1.0,
        "per group-month",
        "facilitators",
        "Market access built in a linked group per month (calibrated to NRLM effects at 2.5 years, secondary).",
        evidence="calibrated",
        source="docs/validation.md (NRLM income effect at 2.5 years, secondary)",
        calibrate=(0.01, 0.2),
    )
    stimulant: float = P(
        0.2,
        0.0,
        5.0,
        "months of subsistence / group-month",
        "facilitators",
        "Stimulant paid into a linked group's fund.",
    )
    networking_gain: float = P(
        0.03,
        0.0,
        0.5,
        "per month",
        "facilitators",
        "Rise of a patron's openness under networking and a forum.",
        evidence="assumed",
        source="openness a forum with patrons builds (seed 002); not measured",
        plausible=(0.015, 0.05),
        calibrate=True,
    )
    module_gain: float = P(
        0.02,
        0.0,
        0.5,
        "per facilitator-month",
        "facilitators",
        "Training modules a knowledge-manager NGO writes per month of training.",
        evidence="assumed",
        source="modules a knowledge-manager NGO writes (seed 000); not measured",
        plausible=(0.01, 0.04),
    )
    module_effect: float = P(
        0.5,
        -1.0,
        5.0,
        "multiplier",
        "facilitators",
        "Largest change of training effectiveness from accumulated modules (negative: modules make training worse).",
        evidence="assumed",
        source="how much modules help training (seed 000 says they do, not how much); a module written away from the village can fit it badly and displace what the facilitator would have adapted to it, so the range reaches a loss; default at the range's centre",
        plausible=(-0.5, 1.5),
    )
    group_visit_cost: int = P(
        5,
        1,
        50,
        "contacts",
        "facilitators",
        "Contacts' worth of time one visit to a group takes.",
        evidence="assumed",
        source="contacts' worth of time a group visit takes; not measured",
        plausible=(3, 8),
    )
    internal_support: float = P(
        0.5,
        0.0,
        1.0,
        "share",
        "facilitators",
        "Support an internal facilitator gives its own group.",
        evidence="assumed",
        source="support an internal facilitator gives its group (seed 001); not measured",
        plausible=(0.3, 0.7),
    )
    internal_capacity: int = P(
        8,
        0,
        100,
        "contacts / month",
        "facilitators",
        "Contacts an internal facilitator makes per month.",
        evidence="assumed",
        source="contacts an internal facilitator makes a month; not measured",
        plausible=(4, 12),
    )
    internal_awareness: float = P(
        0.7,
        0.0,
        1.0,
        "share",
        "facilitators",
        "Awareness a member needs to become an internal facilitator.",
        evidence="assumed",
        source="awareness a member needs to facilitate; not measured",
        plausible=(0.6, 0.8),
    )
    internal_skills: float = P(
        0.6,
        0.0,
        1.0,
        "share",
        "facilitators",
        "Skills a member needs to become an internal facilitator.",
        evidence="assumed",
        source="skills a member needs to facilitate; not measured",
        plausible=(0.5, 0.7),
    )
    internal_facilitators: bool = C(
        True,
        "switch",
        "facilitators",
        "Whether mature groups grow internal facilitators who carry on after the outside ones leave (seed 001).",
    )

    # --- groups --------------------------------------------------------------------
    join_awareness: float = P(
        0.3,
        0.0,
        1.0,
        "share",
        "groups",
        "Awareness above which a household is willing to join a KSM.",
        evidence="assumed",
        source="awareness above which a household joins; not measured",
        plausible=(0.2, 0.4),
    )
    rapid_join_awareness: float = P(
        0.2,
        0.0,
        1.0,
        "share",
        "groups",
        "Awareness a household needs to join where a programme mobilises rapidly: mobilisers recruit on the savings "
        "offer before awareness is built, so groups fill sooner with less aware members, whose groups hold less "
        "cohesion (more drop-out and dissolution).",
        evidence="assumed",
        source="recruitment ahead of awareness is how rapid SHG drives fill groups; how far ahead is unmeasured: from "
        "half the staged threshold (much sooner, weaker groups) to the staged threshold itself (no gain, no cost)",
        plausible=(0.1, 0.3),
        calibrate=True,
    )
    rapid_cohesion_cost: float = P(
        0.05,
        0.0,
        0.5,
        "share",
        "groups",
        "Cohesion lost by a group that a rapid mobilisation formed (its members recruited before trust and a shared "
        "purpose were built): taken off its cohesion target for its life, so more drop-out and dissolution.",
        evidence="assumed",
        source="groups formed fast to reach a programme's funds are weaker (P2KP's KSMs formed for the revolving fund, "
        "many dormant later; a reading, secondary); size unmeasured: from no cost to a tenth of cohesion",
        plausible=(0.0, 0.1),
        calibrate=True,
    )
    join_rate: float = P(
        0.3,
        0.0,
        1.0,
        "per month",
        "groups",
        "Monthly chance that a willing household joins or founds a group (calibrated, docs/validation.md).",
        evidence="calibrated",
        source="docs/validation.md (participation by month 30)",
        calibrate=(0.05, 0.5),
    )
    group_min_size: int = P(
        10,
        2,
        50,
        "members",
        "groups",
        "Members needed to found a group (10-20 is the norm, NABARD).",
        evidence="field",
        source="NABARD's SHG concept: 10-20 members",
    )
    group_max_size: int = P(
        20,
        2,
        100,
        "members",
        "groups",
        "Most members a group takes (10-20 is the norm, NABARD).",
        evidence="field",
        source="NABARD's SHG concept: 10-20 members",
    )
    savings_rate: float = P(
        0.095,
        0.0,
        0.5,
        "share of income",
        "groups",
        "Share of income members save into the group fund (calibrated to NRLM savings +28%, secondary).",
        evidence="calibrated",
        source="docs/validation.md (NRLM savings +28%, secondary)",
        calibrate=(0.02, 0.2),
    )
    group_credit_limit: float = P(
        3.0,
        0.0,
        36.0,
        "months of subsistence",
        "groups",
        "Most a member may owe its group fund; needs beyond it go to the patron (SHG loans are a few times savings).",
        evidence="assumed",
        source="SHG loans are a few times savings (NABARD, secondary); read as two to four and a half months",
        plausible=(2.0, 4.5),
    )
    group_interest: float = P(
        0.02,
        0.0,
        0.2,
        "per month",
        "groups",
        "Monthly interest on group-fund loans (state banks ~2.5%/month, Nugroho 1993).",
        evidence="field",
        source="Nugroho 1993: state banks about 2.5% a month; SHG loans about 2%",
    )
    investment_rate: float = P(
        0.04,
        0.0,
        1.0,
        "per member-month",
        "groups",
        "Chance in a month that a member who is not short takes a productive loan from its group's fund (livestock, small trade, farm inputs).",
        evidence="assumed",
        source="microcredit offered to poor households is taken up by a minority (Banerjee, Karlan & Zinman 2015, AEJ Applied 7(1), six studies); BRI's village units lend mostly for small trade and farming (Robinson 2001, The Microfinance Revolution vol. 2); read as a productive loan every one to four years per member (1-8% a month)",
        plausible=(0.01, 0.08),
        calibrate=True,
    )
    investment_size: float = P(
        1.5,
        0.0,
        12.0,
        "months of subsistence",
        "groups",
        "Size of a productive loan, capped by what the member's credit limit leaves.",
        evidence="assumed",
        source="a few chickens or a small trader's stock cost a few hundred thousand rupiah, a goat, a season's inputs or a stall's stock Rp 1-8 million, against Rp 2.6 million a month of subsistence; SHG loans are a few times savings (NABARD, secondary); read as a quarter of a month to three months",
        plausible=(0.25, 3.0),
        calibrate=True,
    )
    management_learning: float = P(
        0.037,
        0.0,
        0.5,
        "per month",
        "groups",
        "Management a community-managed group learns by doing per month (calibrated).",
        evidence="calibrated",
        source="docs/validation.md (groups that mature, what lasts)",
        calibrate=(0.005, 0.08),
    )
    ngo_learning_factor: float = P(
        0.3,
        0.0,
        3.0,
        "multiplier",
        "groups",
        "A group's own learning (by doing and from consulting) where the NGO manages, against community management: below 1 the NGO's management substitutes for the group's (seed 000), above 1 the NGO's bookkeeping and routines teach it.",
        evidence="assumed",
        source="seed 000 says NGO management slows a community's own learning, not by how much; the range reaches no difference and the reverse (an NGO's bookkeeping help teaching the group), which no source at hand excludes",
        plausible=(0.1, 1.5),
    )
    fund_misuse: float = P(
        0.005,
        0.0,
        0.1,
        "per month",
        "groups",
        "Share of a group's fund lost each month to elite capture and misuse, except where the NGO manages the project and still keeps the group's books (times 1 - support).",
        evidence="assumed",
        source="elite capture and misappropriation in community-driven projects are documented (Platteau & Gaspart 2003, World Development 31(10); Mansuri & Rao 2013, Localizing Development, World Bank), their size in a KSM fund is not; the range reaches none",
        plausible=(0.0, 0.01),
    )
    ngo_management_support: float = P(
        0.4,
        0.0,
        1.0,
        "share",
        "groups",
        "Management the NGO supplies to a supported NGO-managed group.",
        evidence="assumed",
        source="management an NGO supplies to a group it runs; not measured; the range reaches none",
        plausible=(0.0, 0.6),
    )
    market_income: float = P(
        0.34,
        0.0,
        1.0,
        "share of income",
        "groups",
        "Income gain of members of a group with full market access (calibrated to NRLM income +19%, secondary).",
        evidence="calibrated",
        source="docs/validation.md (NRLM income +19%, secondary)",
        calibrate=(0.0, 0.6),
    )
    market_decay: float = P(
        0.05,
        0.0,
        1.0,
        "per month",
        "groups",
        "Share of market access lost per month by a group with neither outside support nor management of its own.",
        evidence="assumed",
        source="how fast unsupported market links decay; not measured",
        plausible=(0.02, 0.1),
    )
    federation_cohesion: float = P(
        0.1,
        0.0,
        0.5,
        "share",
        "groups",
        "Cohesion bonus where the place reached the organisation stage (federation link, Parida & Sinha 2010).",
        evidence="assumed",
        source="Parida & Sinha 2010 find federated groups last longer; the size is not measured",
        plausible=(0.05, 0.15),
        calibrate=True,
    )
    dropout_rate: float = P(
        0.029,
        0.0,
        0.1,
        "per month",
        "groups",
        "Monthly chance a member of a group with no cohesion leaves, scaled by 1 - cohesion (about 20% of members leave, Baland et al. 2007-08, secondary).",
        evidence="calibrated",
        source="docs/validation.md (about 20% of members leave, Baland et al. 2007-08)",
        calibrate=(0.0, 0.06),
    )
    cohesion_rate: float = P(
        0.1,
        0.0,
        1.0,
        "per month",
        "groups",
        "Speed at which cohesion follows the benefits members see.",
        evidence="assumed",
        source="how fast cohesion follows benefits; not measured",
        plausible=(0.05, 0.2),
        calibrate=True,
    )
    cohesion_noise: float = P(
        0.15,
        0.0,
        0.5,
        "sd per month",
        "groups",
        "Month-to-month ups and downs of cohesion (calibrated: about 10% of groups stop, Baland et al. 2007-08).",
        evidence="calibrated",
        source="docs/validation.md (about 10% of groups stop, Baland et al. 2007-08)",
        calibrate=(0.02, 0.25),
    )
    dissolve_cohesion: float = P(
        0.27,
        0.0,
        1.0,
        "share",
        "groups",
        "Cohesion below which a group is at risk of dissolving (calibrated: about 10% of groups stop, Baland et al. 2007-08).",
        evidence="calibrated",
        source="docs/validation.md (about 10% of groups stop, Baland et al. 2007-08)",
        calibrate=(0.1, 0.4),
    )
    management_decay: float = P(
        0.02,
        0.0,
        0.5,
        "per month",
        "groups",
        "Fall of a group's management without practice: times (1 - cohesion) (a group that does not meet forgets).",
        evidence="assumed",
        source="no field measure",
        plausible=(0.005, 0.05),
        calibrate=True,
    )
    spontaneous_founding: float = P(
        0.003,
        0.0,
        0.1,
        "per place-month",
        "groups",
        "Chance in a month that a place without a programme is prompted to start a group (a neighbouring village's "
        "group, the radio, a returning migrant): its households gather until enough found one (docs/ODD.md §7.6).",
        evidence="assumed",
        source="savings groups also form where no facilitator works (arisan are long-standing and widespread in "
        "Indonesian villages, but savings-and-loan KSMs rarely form without a programme); no rate measured, read as "
        "one prompt a hamlet every 8 to 80 years",
        plausible=(0.001, 0.01),
    )
    spontaneous_join_awareness: float = P(
        0.1,
        0.0,
        1.0,
        "share",
        "groups",
        "Awareness a household needs to join where a prompt (spontaneous_founding) shows what a group does: the "
        "example seen stands in for the animation a programme gives (never above join_awareness).",
        evidence="assumed",
        source="an example seen (a neighbouring village's group, a broadcast, a returning migrant) read as persuading "
        "the households a little more aware than most (the village's awareness is about 0.1 without a programme); "
        "unmeasured",
        plausible=(0.07, 0.15),
    )
    copy_founding: float = P(
        0.05,
        0.0,
        1.0,
        "per place-month",
        "groups",
        "Chance in a month that aware neighbours of a working group found one of their own by copying it.",
        evidence="assumed",
        source="after one programme's exit groups copied by neighbours outnumbered its own (issue 13)",
        plausible=(0.01, 0.1),
    )
    dissolve_months: int = P(
        6,
        1,
        36,
        "months",
        "groups",
        "Months of low cohesion after which a group dissolves.",
        evidence="assumed",
        source="months of low cohesion before a group stops; not measured",
        plausible=(4, 9),
        calibrate=True,
    )
    forming_months: int = P(
        3,
        1,
        24,
        "months",
        "groups",
        "Months a new group spends forming before it is active.",
        evidence="assumed",
        source="months a group spends forming; not measured",
        plausible=(2, 4),
    )
    mature_management: float = P(
        0.6, 0.0, 1.0, "share", "groups", "Own management a group needs to be mature (mandiri)."
    )
    mature_fund: float = P(
        1.0, 0.0, 24.0, "months of subsistence / member", "groups", "Fund per member a group needs to be mature."
    )
    mature_skills: float = P(0.5, 0.0, 1.0, "share", "groups", "Mean member skills a group needs to be mature.")

    # --- networks ------------------------------------------------------------------
    networks: list[Network] = C(
        [],
        "names",
        "networks",
        "Enterprise networks that exist (organic_market, community_radio, ecotourism, paralegal); set by the strategy unless given.",
    )
    organic_premium: float = P(
        0.15,
        -0.5,
        1.0,
        "share of income",
        "networks",
        "Price premium organic-market members earn, net of what converting costs them (negative: a net loss).",
        evidence="assumed",
        source="organic price premiums vary widely by crop and buyer; read as up to 25%; organic yields are lower on average (Seufert, Ramankutty & Foley 2012, Nature 485), so the net gain can be nothing or a loss",
        plausible=(-0.05, 0.25),
    )
    organic_channel: float = P(
        50.0,
        1.0,
        10000.0,
        "members",
        "networks",
        "Organic-market members at which the premium has halved: premium x K / (K + members) (a channel's demand is finite).",
        evidence="assumed",
        source="premiums for ~2% of members, gone when exports collapsed (Rikolto, PATTERNS.md)",
        plausible=(20.0, 200.0),
    )
    organic_release: float = P(
        0.5,
        -2.0,
        2.0,
        "multiplier",
        "networks",
        "Alternative sales channel of the organic market, in units of a full channel (negative: the channel's trader becomes a new patron and dependency rises).",
        evidence="assumed",
        source="how fully an organic market replaces the patron as a sales channel; not measured; the trader who buys for the channel can become a new patron who lends against the crop, so the range reaches a tie; default at the range's centre",
        plausible=(-0.5, 1.5),
    )
    radio_reach: int = P(
        6,
        0,
        100,
        "cells",
        "networks",
        "Distance a community-radio member's broadcast reaches.",
        evidence="assumed",
        source="cells a community radio member's broadcast reaches; not measured",
        plausible=(3, 10),
    )
    radio_gain: float = P(
        0.0025,
        -0.2,
        0.2,
        "per month",
        "networks",
        "Awareness the radio raises per month for everyone in reach (negative: a radio captured by patrons or village elites lowers it).",
        evidence="assumed",
        source="awareness a community radio raises a month; no field source: radio price information brought no average revenue gain at national scale (Svensson & Yanagizawa-Drott 2012) but gains for its users (Ferris et al. 2014), and radio moves listeners whichever way its owners want (Yanagizawa-Drott 2014, QJE 129), so the range reaches a captured radio that lowers awareness; default at the range's centre",
        plausible=(-0.005, 0.01),
    )
    radio_saturation: float = P(
        1.0,
        0.01,
        100.0,
        "broadcasters",
        "networks",
        "Diminishing returns of radio: gain x (1 + S) x c / (c + S) for c members within reach (c = 1 gives radio_gain).",
        evidence="assumed",
        source="no average gain at national scale (Svensson & Yanagizawa-Drott 2012)",
        plausible=(0.5, 4.0),
    )
    radio_close: float = P(
        0.02,
        0.0,
        1.0,
        "per month",
        "networks",
        "Chance a month that the community radio stops broadcasting once the programme's support has ended (its running cost falls to the members).",
        evidence="assumed",
        source="no count of community radios that close at hand; stations are widely said to struggle to pay their way once donor support ends, and a programme's change to how villages act together need not outlast it (none found in Sierra Leone, Casey, Glennerster & Miguel 2012), so the range reaches a radio that never closes; default at the range's centre (about 70% closed five years after exit)",
        plausible=(0.0, 0.04),
    )
    ecotourism_min_members: int = P(
        30,
        1,
        500,
        "members",
        "networks",
        "Members the ecotourism network needs before it earns.",
        evidence="assumed",
        source="members an ecotourism network needs to earn; not measured",
        plausible=(20, 45),
    )
    ecotourism_income: float = P(
        0.1,
        -0.5,
        1.0,
        "share of income",
        "networks",
        "Extra income for ecotourism members once the network is big enough, net of the work it takes from other work (negative: a net loss).",
        evidence="assumed",
        source="income ecotourism adds; not measured; guiding and hosting take labour from farming and other work, so the net can be a small loss; default at the range's centre",
        plausible=(-0.05, 0.25),
    )
    ecotourism_channel: float = P(
        60.0,
        1.0,
        10000.0,
        "members",
        "networks",
        "Ecotourism members at which the income per member has halved: income x K / (K + members) (visitors are finite).",
        evidence="assumed",
        source="no field measure",
        plausible=(30.0, 200.0),
    )
    ecotourism_cohesion: float = P(
        0.1,
        -0.5,
        0.5,
        "share",
        "networks",
        "Cohesion bonus of ecotourism groups once the network is big enough (negative: disputes over sharing visitors' money).",
        evidence="assumed",
        source="cohesion ecotourism adds; not measured; sharing visitors' money can also divide a group, so the range reaches a small loss",
        plausible=(-0.05, 0.15),
    )
    paralegal_protection: float = P(
        0.2,
        -1.0,
        1.0,
        "share",
        "networks",
        "Share of patron pressure and default losses a paralegal member is spared (negative: patrons retaliate against paralegal work, so pressure and default losses rise).",
        evidence="assumed",
        source="share of pressure and default losses paralegals spare; not measured; a patron challenged by paralegals can retaliate against them, so the range reaches more pressure; default at the range's centre",
        plausible=(-0.3, 0.7),
    )
    coordination_cost: float = P(
        0.025,
        -0.5,
        0.5,
        "share",
        "networks",
        "Cohesion lost by a network group because its members live scattered over the village and meeting costs them time and travel (negative: a shared trade holds them together better than neighbours).",
        evidence="assumed",
        source="seed 000 organises networks across hamlets; what scattered members pay to meet is not measured; members of one trade share an interest (seed 002), so the range reaches a small gain",
        plausible=(-0.05, 0.1),
    )

    # --- programme -----------------------------------------------------------------
    strategy: Strategy = C(
        "area_based", "choice", "programme", "Organising strategy: baseline, area_based, enterprise_based, hybrid."
    )
    programme_months: int = P(60, 1, 600, "months", "programme", "Length of the programme; external support ends here.")
    exit_mode: ExitMode = C(
        "phased", "choice", "programme", "How facilitators leave: phased, abrupt, or none (a control)."
    )
    exit_taper_months: int = P(
        12, 1, 60, "months", "programme", "Length of the taper of support in a phased exit (seed 004)."
    )
    project_management: Management = C(
        "ngo",
        "choice",
        "programme",
        "Who manages the project: ngo or community (seed 000); set by the strategy unless given.",
    )
    mobilisation: Mobilisation = C(
        "rapid",
        "choice",
        "programme",
        "How groups are mobilised, for every strategy alike: staged (Hartini's stages, seed 003: groups form at the "
        "action stage) or rapid (groups formed within months of entry, then strengthened; docs/ODD.md §7.4 says why "
        "rapid is the default).",
    )
    knowledge_manager: bool = C(
        False,
        "switch",
        "programme",
        "Whether the NGO writes training modules as a knowledge manager (seed 000); set by the strategy unless given.",
    )
    patron_engagement: bool = C(
        True, "switch", "programme", "Whether facilitators network with leaders and patrons (seed 002)."
    )

    # --- costs (price the runs afterwards, analysis/costs.py; they change no run) ---------
    subsistence_month_rp: float = P(
        2_600_000.0,
        0.0,
        1e9,
        "rupiah / household-month",
        "costs",
        "A household's month of subsistence in rupiah: prices the stimulant paid into group funds.",
        evidence="field",
        source="BPS poverty line March 2023 (release of 17 July 2023): Rp 550,458 per person per month x 4.71 people per poor household = Rp 2,592,657, rounded",
    )
    facilitator_month_rp: float = P(
        4_500_000.0,
        0.0,
        1e9,
        "rupiah / facilitator-month",
        "costs",
        "An outside facilitator's month in the field: pay, transport and lodging.",
        evidence="assumed",
        source="no costing of NGO field work at hand; read as a district facilitator's pay plus transport",
        plausible=(3_000_000.0, 7_000_000.0),
    )
    module_rp: float = P(
        10_000_000.0,
        0.0,
        1e9,
        "rupiah / module",
        "costs",
        "Writing one training module as a knowledge manager.",
        evidence="assumed",
        source="no costing at hand; a few weeks of a trainer's time and printing",
        plausible=(5_000_000.0, 25_000_000.0),
    )
    network_setup_rp: float = P(
        50_000_000.0,
        0.0,
        1e10,
        "rupiah / network",
        "costs",
        "Setting up one enterprise network (market link, radio kit, ecotourism route or paralegal training).",
        evidence="assumed",
        source="no costing at hand; a radio transmitter kit or a certification round costs tens of millions",
        plausible=(20_000_000.0, 150_000_000.0),
    )
    radio_month_rp: float = P(
        3_000_000.0,
        0.0,
        1e9,
        "rupiah / month",
        "costs",
        "Running the community radio a month while the programme pays: power, upkeep and a broadcaster's honorarium.",
        evidence="assumed",
        source="no costing at hand; read as a village cadre's honorarium plus power and repairs of a small transmitter",
        plausible=(1_000_000.0, 5_000_000.0),
    )
    internal_honorarium_rp: float = P(
        500_000.0,
        0.0,
        1e9,
        "rupiah / facilitator-month",
        "costs",
        "Honorarium of an internal facilitator (a member who facilitates) per month in the field.",
        evidence="assumed",
        source="read as a village cadre's honorarium; no survey at hand",
        plausible=(250_000.0, 1_000_000.0),
    )

    @model_validator(mode="before")
    @classmethod
    def _apply_strategy_preset(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        strategy = data.get("strategy", cls.model_fields["strategy"].default)
        preset = STRATEGY_PRESETS.get(strategy, {})
        return {**preset, **data}

    @model_validator(mode="after")
    def _check_consistency(self) -> Params:
        if self.group_max_size < self.group_min_size:
            raise ValueError(
                f"group_max_size ({self.group_max_size}) must be at least group_min_size ({self.group_min_size})"
            )
        if self.strategy in ("enterprise_based", "hybrid") and not self.networks:
            raise ValueError(f"strategy {self.strategy!r} organises through networks: networks must name at least one")
        if len(set(self.networks)) != len(self.networks):
            raise ValueError(f"networks lists a network twice: {self.networks}")
        n_households = round(self.width * self.height * self.density)
        if n_households < self.n_hamlets * 2:
            raise ValueError(
                f"the village holds {n_households} households (width x height x density), "
                f"too few for {self.n_hamlets} hamlets"
            )
        if self.n_hamlets > self.width:
            raise ValueError(f"n_hamlets ({self.n_hamlets}) cannot exceed width ({self.width})")
        return self


# Every parameter the village's construction up to the first strategy-dependent draw reads
# (``initialise_village``: households, patrons, the burn-in with its spontaneous groups): runs of one seed that agree on
# these share one burned-in village (``VillageModel.burned_in``). Some are passed to a submodel
# that has nothing to act on before any group exists; they are declared all the same, because
# they are read. tests/test_burn_in.py checks the list against what is read and what matters.
BURN_IN_PARAMETERS: frozenset[str] = frozenset(
    (
        "asset_depreciation",
        "asset_failure",
        "asset_gestation",
        "asset_return",
        "awareness_decay",
        "awareness_mean",
        "borrow_dependency",
        "buffer_stock",
        "burn_in_months",
        "cohesion_noise",
        "cohesion_rate",
        "concentration",
        "consumption_floor",
        "consumption_mpc",
        "cooperative_openness",
        "coordination_cost",
        "copy_founding",
        "default_dependency",
        "default_limit",
        "density",
        "dependency_mean",
        "dependency_release",
        "dissolve_cohesion",
        "dissolve_months",
        "dropout_rate",
        "ecotourism_channel",
        "ecotourism_cohesion",
        "ecotourism_income",
        "ecotourism_min_members",
        "extraction",
        "federation_cohesion",
        "fire_sale_discount",
        "forming_months",
        "fund_misuse",
        "group_credit_limit",
        "group_interest",
        "group_max_size",
        "group_min_size",
        "height",
        "household_management_mean",
        "income_mean",
        "income_sd",
        "interlinked_share",
        "investment_rate",
        "investment_size",
        "join_awareness",
        "join_rate",
        "land_gini",
        "land_income_share",
        "landless_share",
        "liquid_share",
        "management_decay",
        "management_learning",
        "management_transfer",
        "market_decay",
        "market_income",
        "mature_fund",
        "mature_management",
        "mature_skills",
        "n_hamlets",
        "openness_concentration",
        "openness_extraction_effect",
        "openness_mean",
        "organic_channel",
        "organic_premium",
        "organic_release",
        "organised_rate_penalty",
        "paralegal_protection",
        "patron_insurance",
        "patron_interest",
        "contestability",
        "patrons_per_hamlet",
        "pawn_months",
        "pawn_share",
        "peer_rate",
        "pressure",
        "radio_gain",
        "radio_saturation",
        "rate_competition",
        "repay_share",
        "savings_rate",
        "season_amplitude",
        "shock_rate",
        "shock_size",
        "skills_decay",
        "skills_mean",
        "spontaneous_founding",
        "spontaneous_join_awareness",
        "survey",
        "trust_initial",
        "wealth_mean",
        "width",
    )
)

_BURN_IN_ORDER = tuple(sorted(BURN_IN_PARAMETERS))


def burn_in_key(p: Params) -> tuple:
    """The values of ``BURN_IN_PARAMETERS``: runs of one seed with equal keys share their burn-in."""
    return tuple(getattr(p, name) for name in _BURN_IN_ORDER)


def fields() -> dict[str, Any]:
    return Params.model_fields


def group_of(name: str) -> str:
    return Params.model_fields[name].json_schema_extra["group"]


def evidence(name: str) -> dict[str, Any]:
    """A parameter's evidence class, source and plausible range (see ``EVIDENCE``)."""
    extra = Params.model_fields[name].json_schema_extra
    return {"evidence": extra["evidence"], "source": extra["source"], "plausible": extra["plausible"]}


def calibration_priors() -> dict[str, tuple[float, float]]:
    """Dotted name -> prior range of every parameter ``berdaya calibrate`` fits (``calibrate`` in the schema)."""
    return {
        dotted(n): f.json_schema_extra["prior"]
        for n, f in Params.model_fields.items()
        if f.json_schema_extra.get("prior")
    }


def dotted(name: str) -> str:
    return f"{group_of(name)}.{name}"


def bounds(name: str) -> tuple[float | None, float | None]:
    """The allowed range of a numeric parameter, read from its pydantic constraints."""
    lo = hi = None
    for meta in Params.model_fields[name].metadata:
        lo = getattr(meta, "ge", lo) if getattr(meta, "ge", None) is not None else lo
        hi = getattr(meta, "le", hi) if getattr(meta, "le", None) is not None else hi
    return lo, hi


def allowed(name: str) -> str:
    """What values a parameter takes, in words, for error messages and tables."""
    field = Params.model_fields[name]
    choices = {
        "strategy": STRATEGIES,
        "exit_mode": EXIT_MODES,
        "project_management": MANAGEMENT,
        "mobilisation": MOBILISATION,
    }
    if name in choices:
        return "one of " + ", ".join(choices[name])
    if name == "networks":
        return "a list drawn from " + ", ".join(NETWORKS)
    if name == "survey":
        return "a path to a household survey CSV, or nothing"
    if field.annotation is bool:
        return "true or false"
    lo, hi = bounds(name)
    kind = "an integer" if field.annotation is int else "a number"
    return f"{kind} in [{lo:g}, {hi:g}]"


def suggest(name: str) -> str | None:
    """The closest parameter name (bare or dotted), for 'did you mean' messages."""
    bare = name.split(".")[-1]
    candidates = list(Params.model_fields) + [dotted(n) for n in Params.model_fields]
    match = difflib.get_close_matches(name, candidates, n=1) or difflib.get_close_matches(
        bare, list(Params.model_fields), n=1
    )
    return match[0] if match else None


def undot(key: str) -> str:
    """``group.name`` -> ``name``, refusing a wrong group or an unknown name."""
    if "." not in key:
        if key not in Params.model_fields:
            raise KeyError(key)
        return key
    group, _, name = key.partition(".")
    if name not in Params.model_fields or group_of(name) != group:
        raise KeyError(key)
    return name


def table() -> list[dict[str, Any]]:
    """Every parameter as a row: the source of `berdaya params` and of docs/ODD.md's table."""
    rows = []
    for name, field in Params.model_fields.items():
        default = field.default
        rows.append(
            {
                "name": dotted(name),
                "group": group_of(name),
                "default": default,
                "allowed": allowed(name),
                "unit": field.json_schema_extra["unit"],
                "description": field.description,
                **evidence(name),
            }
        )
    rows.sort(key=lambda r: GROUPS.index(r["group"]))
    return rows


def numeric_parameters() -> list[str]:
    """Parameters with a numeric range that change a run (the ones sensitivity analyses vary); prices do not."""
    return [
        n
        for n, f in Params.model_fields.items()
        if f.annotation in (int, float) and f.json_schema_extra["group"] != "costs"
    ]


def explain(error: ValidationError, names: str = "dotted") -> str:
    """A pydantic error as one line per problem: parameter, value given, what is allowed."""
    lines = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ())]
        name = loc[0] if loc else ""
        if name in Params.model_fields:
            shown = dotted(name) if names == "dotted" else name
            value = item.get("input")
            lines.append(f"{shown} = {value!r}: {item['msg']}; allowed: {allowed(name)}")
        elif item.get("type") == "extra_forbidden":
            hint = suggest(name)
            lines.append(f"unknown parameter {name!r}" + (f"; did you mean {hint!r}?" if hint else ""))
        else:
            lines.append(item["msg"].removeprefix("Value error, "))
    return "; ".join(lines)


def make_params(params: Params | dict[str, Any] | None = None, **overrides: Any) -> Params:
    """Params from a Params, a dict (bare or dotted names) and keyword overrides."""
    if isinstance(params, Params):
        base = params.given()
    else:
        base = {}
        for key, value in (params or {}).items():
            try:
                base[undot(key)] = value
            except KeyError:
                hint = suggest(key)
                raise ValueError(f"unknown parameter {key!r}" + (f"; did you mean {hint!r}?" if hint else "")) from None
    for key in overrides:
        if key not in Params.model_fields:
            hint = suggest(key)
            raise ValueError(f"unknown parameter {key!r}" + (f"; did you mean {hint!r}?" if hint else ""))
    return Params(**{**base, **overrides})


CALIBRATED = Path(__file__).with_name("calibrated.toml")  # written by `make posterior` (analysis.ship), else absent


def apply_calibrated(path: Path = CALIBRATED) -> dict[str, Any]:
    """A shipped calibration's posterior medians (``path``) become the defaults of the parameters it
    fitted, with evidence ``calibrated`` and the posterior as source. The file is generated from the
    shipped posterior, which stays the one home of the fit; without it the defaults below stand."""
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    applied = {}
    for key, value in data["defaults"].items():
        name = undot(key)
        lo, hi = bounds(name)
        if not lo <= value <= hi:
            raise InputError(f"{value!r} lies outside [{lo:g}, {hi:g}]", file=str(path), field=key)
        field = Params.model_fields[name]
        field.default = int(round(value)) if field.annotation is int else float(value)
        field.json_schema_extra.update(evidence="calibrated", source=data["source"])
        applied[key] = field.default
    Params.model_rebuild(force=True)
    return applied


apply_calibrated()

__all__ = [
    "CALIBRATED",
    "apply_calibrated",
    "calibration_priors",
    "BURN_IN_PARAMETERS",
    "EVIDENCE",
    "EXIT_MODES",
    "GROUPS",
    "MANAGEMENT",
    "MOBILISATION",
    "NETWORKS",
    "ORGANIC",
    "RADIO",
    "ECOTOURISM",
    "PARALEGAL",
    "STRATEGIES",
    "STRATEGY_PRESETS",
    "Params",
    "ValidationError",
    "allowed",
    "bounds",
    "burn_in_key",
    "dotted",
    "evidence",
    "explain",
    "group_of",
    "make_params",
    "numeric_parameters",
    "suggest",
    "table",
    "undot",
]

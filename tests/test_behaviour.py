"""The behavioural checks of MODEL.md §7, each over replicates with a test that could fail.

Villages are small (25 x 25, about 375 households) so the whole file runs in well under
a minute; replicates use paired seeds (the same seed in both arms of a comparison).
Every comparison here is about a mechanism, never about which strategy does better:
where a strategy is named, every facilitated strategy is checked alike.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from scipy import stats

from sim.credit import credit
from sim.extraction import effective_extraction, patron_extraction
from sim.group_formation import BY_COPYING, BY_FACILITATOR, BY_THEMSELVES
from sim.livelihood import livelihood
from sim.params import RADIO
from sim.peer_influence import peer_influence
from sim.state import ACTION, ACTIVE, DISSOLVED, MATURE

FACILITATED = ("area_based", "enterprise_based", "hybrid")
SEEDS = range(12)
ALPHA = 0.01


# --- no facilitators and no shocks: nothing organises ------------------------------------


@pytest.mark.parametrize("strategy", ("baseline", *FACILITATED))
def test_no_facilitators_no_shocks_nothing_organises(run, strategy):
    """No group ever forms, and mean awareness does not rise (20 seeds; tolerance 0.005).

    Half the villages are aware (mean awareness 0.5, most households past the joining
    threshold), so only the missing organiser keeps them from founding groups.

    Catches: founding or joining without an organiser, a working group or the
    spontaneous draw (group formation); awareness raised by anything but facilitation,
    peers and radio (peer influence, forgetting).
    """
    rises = []
    for seed in range(20):
        aware = {"awareness_mean": 0.5} if seed % 2 else {}
        ts = run(
            seed, strategy=strategy, n_facilitators=0, shock_rate=0.0, spontaneous_founding=0.0, **aware
        ).timeseries()
        groups = ts[["groups_forming", "groups_active", "groups_mature", "groups_dissolved"]].to_numpy()
        assert groups.sum() == 0, f"seed {seed}: a group formed without facilitators"
        assert (ts.in_group_share == 0).all()
        assert (ts.facilitator_months == 0).all()
        assert (ts.coverage == 0).all()
        assert (ts.internal_facilitators == 0).all()
        rises.append(ts.awareness.iloc[-1] - ts.awareness.iloc[0])
    rises = np.array(rises)
    assert rises.mean() <= 0.005, f"mean awareness rose by {rises.mean():.4f} with no one organising"
    assert stats.ttest_1samp(rises, 0.0, alternative="greater").pvalue > ALPHA


def test_groups_found_themselves_and_are_copied_without_facilitators(run):
    """No facilitators, spontaneous founding on: groups form on their own (model's
    ``organised_by``), and once one works, neighbours copy it; with copying off, no group
    is ever founded by copying.

    Catches: spontaneous founding or copying switched off or ignored (group formation).
    """
    founders = {True: np.zeros(3), False: np.zeros(3)}
    for seed in range(8):
        for copying in (True, False):
            model = run(
                seed,
                strategy="baseline",
                months=120,
                spontaneous_founding=0.05,
                copy_founding=0.3 if copying else 0.0,
                join_awareness=0.08,
            )
            g = model.groups
            founders[copying] += np.bincount(g.organised_by[: g.n], minlength=3)
    assert founders[True][BY_FACILITATOR] == 0 and founders[False][BY_FACILITATOR] == 0
    assert founders[True][BY_THEMSELVES] > 0 and founders[False][BY_THEMSELVES] > 0
    assert founders[True][BY_COPYING] > 0, f"no group copied a working one: {founders[True]}"
    assert founders[False][BY_COPYING] == 0


@pytest.mark.parametrize("strategy", FACILITATED)
def test_groups_are_founded_by_households_who_registered_over_months(small, strategy):
    """Aware households ask to join a few at a time (``join_rate`` 0.03, so about one a month
    per place, never ``group_min_size`` in one month): those who find no group wait,
    registered with their place, and groups are founded once enough have registered.

    Catches: founding that needs ``group_min_size`` joiners in the same month (group formation).
    """
    founded = 0
    for seed in range(4):
        model = small(seed, strategy=strategy, months=48, awareness_mean=0.5, join_rate=0.03, group_min_size=10)
        waited = 0
        while model.running:
            before = model.households.waiting.copy()
            model.step()
            h = model.households
            waited += int(np.sum(before & (h.group >= 0)))
        founded += model.groups.n
        assert waited >= model.p.group_min_size * min(model.groups.n, 1), f"seed {seed}: no group took in waiters"
    assert founded > 0, "no group founded from households who registered over months"


# --- shocks with no alternative credit raise dependency ----------------------------------


def test_shocks_without_alternative_credit_raise_dependency(run, small):
    """Baseline (no groups, no networks): more shocks, higher dependency at the horizon;
    frequent shocks raise mean dependency above the drawn village's level (12 paired seeds); and
    every month, every household that borrowed from its patron (the model's
    ``patron_borrowed``) ends the month more dependent than it began it.

    Catches: patron loans that create no obligation (credit); the aggregate checks alone
    still pass with any one channel removed (insurance, loans, defaults) and fail only
    when shocks raise dependency through none (livelihood, credit).
    """
    rates = (0.0, 0.03, 0.1)
    final = np.array(
        [
            [run(seed, strategy="baseline", shock_rate=r).timeseries().dependency.iloc[-1] for r in rates]
            for seed in SEEDS
        ]
    )
    for low, high in zip(range(len(rates) - 1), range(1, len(rates))):
        diff = final[:, high] - final[:, low]
        assert (diff > 0).all(), f"shock rate {rates[high]} did not raise dependency over {rates[low]}: {diff}"
        assert stats.wilcoxon(diff, alternative="greater").pvalue < ALPHA
    # from the drawn village (no burn-in, which would already have brought it to the steady state of frequent shocks)
    ts = [run(seed, strategy="baseline", shock_rate=0.1, burn_in_months=0).timeseries() for seed in SEEDS]
    rise = np.array([t.dependency.iloc[-1] - t.dependency.iloc[0] for t in ts])
    assert stats.ttest_1samp(rise, 0.0, alternative="greater").pvalue < ALPHA, f"dependency rises {rise}"
    slope = np.array([stats.linregress(t.month, t.dependency).slope for t in ts])
    assert (slope > 0).all(), f"dependency does not trend upwards under frequent shocks: slopes {slope}"
    model = small(0, strategy="baseline", shock_rate=0.1, months=24)
    h = model.households
    while model.running:
        before = h.dependency.copy()
        model.step()
        borrowers = (h.patron_borrowed > 1e-6) & (before < 1.0)  # not rounding residue
        assert borrowers.any(), f"month {model.month}: nobody borrowed from a patron"
        assert (h.dependency[borrowers] > before[borrowers]).all(), (
            f"month {model.month}: a patron loan left its borrower no more dependent"
        )


def test_a_large_shock_or_loan_binds_a_client_wholly_and_never_beyond(small):
    """A patron's cover of a large shock, or a large loan, raises dependency at most to 1, within the
    month too: credit reads it before the month's end (the patron's tied share of a shortfall).

    Catches: the rise ``borrow_dependency x amount x (1 - dependency)`` uncapped, which with
    ``borrow_dependency x amount > 1`` overshoots 1 (livelihood, credit); hypothesis found its
    effect, a tied share above the shortfall and a negative group loan.
    """
    model = small(0, strategy="baseline", borrow_dependency=0.5, patron_insurance=1.0, shock_rate=0.2, shock_size=12.0)
    h = model.households
    h.dependency[:] = np.linspace(0.2, 0.99, len(h))
    livelihood(model)
    assert (h.dependency <= 1.0).all() and (h.dependency == 1.0).any()
    h.dependency[:] = np.linspace(0.2, 0.99, len(h))
    h.wealth[:] = -12.0  # short of a year's subsistence: every household borrows
    h.debt[:] = 0.0
    credit(model)
    assert (h.patron_borrowed > 2.0).all() and (h.dependency == 1.0).all()


# --- a group fund that lends lowers members' patron borrowing ----------------------------


def test_group_fund_replaces_patron_loans_exactly(small):
    """credit() on a hand-built state: a fund covers members' shortfalls, in full or pro rata.

    Catches: group loans that do not replace patron loans, a fund that lends more than it
    holds, or the interlinked share lent by the fund (credit).
    """
    model = small(3, strategy="area_based", months=12)
    h, g, p = model.households, model.groups, model.p
    model.month = 1  # not a planting month: no input credit
    model.patrons.openness[:] = 0.0  # no cooperative patron tops the fund up
    members = np.nonzero(h.hamlet == 0)[0][:12]
    row = g.add(1)[0]
    g.place[row], g.stage[row] = 0, ACTIVE
    h.group[members] = row
    g.size[row] = len(members)
    h.wealth[:], h.debt[:], h.group_debt[:] = 1.0, 0.0, 0.0
    h.wealth[members] = -0.5  # the same shock for every member
    h.dependency[members] = 0.4
    tied = p.interlinked_share * 0.4 * 0.5  # the part only the patron serves (interlinked)
    open_need = 0.5 - tied
    shortfall = open_need * len(members)
    results = {}
    for fund in (2 * shortfall, 0.5 * shortfall, 0.0):
        arm = copy.deepcopy(model)
        arm.groups.fund[row] = fund
        dependency = arm.households.dependency.copy()
        credit(arm)
        results[fund] = (arm, dependency)
    full, dep_full = results[2 * shortfall]
    half, _ = results[0.5 * shortfall]
    none, dep_none = results[0.0]
    np.testing.assert_allclose(full.households.debt[members], tied)
    np.testing.assert_allclose(full.households.patron_borrowed[members], tied)
    np.testing.assert_allclose(full.households.group_debt[members], open_need)
    np.testing.assert_allclose(full.groups.fund[row], shortfall)
    np.testing.assert_allclose(half.households.debt[members], tied + open_need / 2)
    np.testing.assert_allclose(half.households.group_debt[members], open_need / 2)
    np.testing.assert_allclose(half.groups.fund[row], 0.0, atol=1e-12)
    np.testing.assert_allclose(none.households.debt[members], 0.5)
    np.testing.assert_allclose(none.households.patron_borrowed[members], 0.5)
    np.testing.assert_allclose(none.households.group_debt[members], 0.0)
    rise = p.borrow_dependency * 0.5 * (1.0 - dep_none[members])
    np.testing.assert_allclose(none.households.dependency[members], dep_none[members] + rise)
    assert (full.households.dependency[members] < none.households.dependency[members]).all()
    others = np.setdiff1d(np.arange(len(h)), members)
    for arm in (full, half):
        np.testing.assert_array_equal(arm.households.debt[others], none.households.debt[others])


@pytest.mark.parametrize("strategy", FACILITATED)
def test_group_fund_lowers_members_patron_borrowing(small, strategy):
    """Groups grown by the model; one copy keeps its funds, the other has them emptied.

    Both copies then live 12 months of livelihood, extraction and credit with the same
    shocks (the copies share the generator state and draw alike; non-members' wealth
    stays identical, which the test checks). What members borrowed from their patrons is
    the model's own ``patron_borrowed``, and what they owe it its ``debt``. Cooperative
    patrons' lending to groups and patrons' rate competition are switched off in both
    copies, so only the fund differs; so are productive loans (docs/ODD.md 7.10), so that the
    fund's cash is there for shortfalls (a fund lent out for investment has less to lend when a
    shock strikes, and the copies would differ by little).

    A fund also lowers dependency (an alternative channel), and so rent and borrowing,
    even if it never lends; so members must also owe their groups more (the model's
    ``group_debt``) where the fund was kept.

    Catches: group loans that do not replace patron loans, or a fund that does not lend
    (credit).
    """
    borrowed, owed, group_owed = [], [], []
    for seed in range(10):
        model = small(seed, strategy=strategy, investment_rate=0.0)
        for _ in range(48):
            model.step()
        model.p.shock_rate = 0.1
        model.p.cooperative_openness = 1.0
        model.p.rate_competition = 0.0  # so non-members' patron rates do not differ between the copies
        assert (model.patrons.openness < 1.0).all()
        members = np.nonzero(model.households.group >= 0)[0]
        assert len(members) > 0 and model.groups.live("fund").sum() > 0, f"seed {seed}: no group fund to test"
        emptied = copy.deepcopy(model)
        emptied.groups.fund[:] = 0.0
        for arm in (model, emptied):
            h, total = arm.households, 0.0
            for _ in range(12):
                arm.month += 1
                livelihood(arm)
                patron_extraction(arm)
                credit(arm)
                total += h.patron_borrowed[members].sum()
            borrowed.append(total)
            owed.append(h.debt[members].sum())
            group_owed.append(h.group_debt[members].sum())
        others = model.households.group < 0
        np.testing.assert_array_equal(model.households.wealth[others], emptied.households.wealth[others])
    with_fund, without_fund = np.reshape(borrowed, (-1, 2)).T
    owed_with, owed_without = np.reshape(owed, (-1, 2)).T
    assert (with_fund < without_fund).all(), f"the fund did not lower patron borrowing: {with_fund} vs {without_fund}"
    assert stats.wilcoxon(without_fund - with_fund, alternative="greater").pvalue < ALPHA
    assert (owed_with <= owed_without).all()
    lent_with, lent_without = np.reshape(group_owed, (-1, 2)).T
    assert (lent_with > lent_without).all(), f"the fund did not lend: {lent_with} vs {lent_without}"


# --- more facilitator capacity never lowers awareness -------------------------------------


@pytest.mark.parametrize("strategy", FACILITATED)
def test_more_capacity_never_lowers_awareness(run, strategy):
    """Awareness at programme end over a ladder of capacities (12 paired seeds).

    Each step up must not lower mean awareness beyond 0.01 nor lower it significantly
    (one-sided Wilcoxon); the whole ladder must raise it significantly.

    Catches: contacts that do not scale with capacity, or that lower awareness as they
    grow (facilitation).
    """
    capacities = (5, 15, 30, 60, 120)
    awareness = np.array(
        [
            [run(seed, strategy=strategy, capacity=c, months=60).timeseries().awareness.iloc[-1] for c in capacities]
            for seed in SEEDS
        ]
    )
    for i in range(len(capacities) - 1):
        step = awareness[:, i + 1] - awareness[:, i]
        assert step.mean() >= -0.01, (
            f"capacity {capacities[i]} -> {capacities[i + 1]}: awareness fell {step.mean():.4f}"
        )
        if np.any(step != 0):
            assert stats.wilcoxon(step, alternative="less").pvalue > ALPHA
    assert stats.wilcoxon(awareness[:, -1] - awareness[:, 0], alternative="greater").pvalue < ALPHA


@pytest.mark.parametrize("strategy", FACILITATED)
def test_a_place_with_no_group_is_met_as_fully_after_the_action_stage_as_before(small, strategy):
    """No household can join (``join_awareness`` and ``rapid_join_awareness`` 1, no spontaneous
    prompt), so no group forms: the households met
    (the model's ``reinforced``) per month on places at the action stage or later are as
    many as on places before it, within 15% (4 seeds, 36 months).

    Catches: facilitators who from the action stage on meet households only with the
    trainer's share, leaving the consultant's and facilitator's time unused where there
    is no group to tend, so faster stages cut the animation short (facilitation).
    """
    met = {False: [], True: []}
    for seed in range(4):
        model = small(
            seed, strategy=strategy, months=36, join_awareness=1.0, rapid_join_awareness=1.0, spontaneous_founding=0.0
        )
        h = model.households
        while model.running:
            stage = model.places.stage.copy()
            model.step()
            assert model.groups.n == 0
            for q in np.unique(h.place):
                if stage[q] >= 1:  # animation runs from social investigation on
                    met[bool(stage[q] >= ACTION)].append(model.reinforced[h.place == q].mean())
    before, after = np.mean(met[False]), np.mean(met[True])
    assert len(met[True]) > 20 and len(met[False]) > 5
    assert after >= 0.85 * before, f"households met a month: {after:.3f} from the action stage, {before:.3f} before"


# --- facilitators who never leave vs abrupt exit ------------------------------------------


@pytest.mark.parametrize("strategy", FACILITATED)
def test_no_exit_keeps_self_reliance_at_least_as_high_as_abrupt_exit(run, strategy):
    """Mean self-reliance and the self-reliant share at the horizon, exit none vs abrupt (12 paired seeds).

    Catches: facilitation that harms those it keeps working, e.g. training that lowers
    skills (facilitation). One-sided: an exit with no effect, or consulting that lowers a
    group's management (self-reliance takes the higher of own and group management),
    still passes.
    """
    outcome = {
        mode: np.array(
            [
                run(seed, strategy=strategy, exit_mode=mode)
                .timeseries()[["self_reliance", "self_reliant_share"]]
                .iloc[-1]
                for seed in SEEDS
            ]
        )
        for mode in ("none", "abrupt")
    }
    diff = outcome["none"] - outcome["abrupt"]
    assert (diff.mean(axis=0) >= -0.005).all(), f"exit none below abrupt: mean differences {diff.mean(axis=0)}"
    for column in range(diff.shape[1]):
        if np.any(diff[:, column] != 0):
            assert stats.wilcoxon(diff[:, column], alternative="less").pvalue > ALPHA


# --- maturity, management, misuse and the radio ------------------------------------------


def test_mature_groups_outlast_the_others_after_exit_within_each_strategy(small):
    """Within each strategy apart: groups live at programme end, by stage then, and whether
    each is still live at the horizon (50 villages, abrupt exit, so support ends for all at
    once; community management, so that groups mature under every strategy; no internal
    facilitators, so that what holds a mature group is its capacity, not the facilitator its
    maturity brings). In every
    strategy a larger share of mature groups must still live; groups are the units, a
    one-sided Fisher exact test per strategy, the three combined (Stouffer) below ALPHA.
    Strategies are never pooled: pooled, the test compared strategies, not maturity.

    (Whether members' self-reliance at the horizon is at least that at exit is no measure of
    it: members of immature groups who gained nothing keep nothing and count as kept.)

    Catches: cohesion that ignores a group's own management and fund, so that capacity
    does not hold a group together; maturity that does not stand for capacity, e.g. granted
    below the management threshold (group life). Not: a group called mature by age (older
    groups are the ones that survived).
    """
    p_values = []
    for strategy in FACILITATED:
        alive = {True: [], False: []}
        for seed in range(50):
            model = small(
                seed, strategy=strategy, exit_mode="abrupt", project_management="community", internal_facilitators=False
            )
            while model.month < model.p.programme_months:
                model.step()
            stage = model.groups.stage[: model.groups.n].copy()
            model.run_model()
            for row in np.nonzero(stage != DISSOLVED)[0]:
                alive[bool(stage[row] == MATURE)].append(model.groups.stage[row] != DISSOLVED)
        mature, immature = np.array(alive[True]), np.array(alive[False])
        assert len(mature) >= 20 and len(immature) >= 20, f"{strategy}: {len(mature)} mature, {len(immature)} not"
        assert mature.mean() > immature.mean(), (
            f"{strategy}: mature {mature.mean():.3f} vs not mature {immature.mean():.3f} still live"
        )
        table = [[mature.sum(), (~mature).sum()], [immature.sum(), (~immature).sum()]]
        p_values.append(stats.fisher_exact(table, alternative="greater").pvalue)
    assert stats.combine_pvalues(p_values, method="stouffer").pvalue < ALPHA, f"per strategy: {p_values}"


def test_ngo_management_sets_the_pace_of_a_groups_own_learning(run):
    """NGO-managed groups (area-based), ``ngo_learning_factor`` 0.1 against 1.5 (12 paired
    seeds): the mean own management of live groups at programme end is higher where the
    NGO's management teaches more (one-sided Wilcoxon).

    Catches: a learning factor that does nothing, e.g. forced to 1 (facilitation, group life).
    """
    diff = []
    for seed in SEEDS:
        means = []
        for factor in (0.1, 1.5):
            g = run(seed, strategy="area_based", months=60, ngo_learning_factor=factor).groups
            live = g.stage[: g.n] != DISSOLVED
            means.append(g.management[: g.n][live].mean() if live.any() else 0.0)
        diff.append(means[1] - means[0])
    diff = np.array(diff)
    assert diff.mean() > 0.01, f"own management rose by only {diff.mean():.4f}"
    assert stats.wilcoxon(diff, alternative="greater").pvalue < ALPHA


@pytest.mark.parametrize("management", ("community", "ngo"))
def test_funds_are_misused_unless_the_ngo_keeps_the_books(run, management):
    """Area-based, eight facilitators who never leave (so every group keeps full support),
    ``fund_misuse`` 0.01 against 0: community-managed funds end smaller; NGO-managed ones, whose books the NGO
    keeps while it supports them, are untouched and the runs identical (no group starts on its own).

    Catches: misuse that ignores who manages, or no misuse at all (group life).
    """
    for seed in range(4):
        funds = []
        for misuse in (0.0, 0.01):
            model = run(
                seed,
                strategy="area_based",
                months=48,
                n_facilitators=8,
                exit_mode="none",
                project_management=management,
                fund_misuse=misuse,
                spontaneous_founding=0.0,  # a group started on its own has no NGO keeping its books
            )
            funds.append(model.groups.fund[: model.groups.n].sum())
        if management == "ngo":
            assert funds[1] == funds[0], f"seed {seed}: an NGO-kept fund lost money"
        else:
            assert funds[1] < funds[0], f"seed {seed}: a community fund lost nothing to misuse"


def test_community_radio_raises_the_awareness_of_households_outside_it(run):
    """Enterprise-based, radio on (``radio_gain`` 0.01) against off (12 paired seeds): mean
    awareness at month 36 of households that are not radio members is higher with the radio
    (one-sided Wilcoxon).

    Catches: a radio that reaches nobody, or only its own members (peer influence).
    """
    diff = []
    for seed in SEEDS:
        means = []
        for gain in (0.0, 0.01):
            h = run(seed, strategy="enterprise_based", months=36, radio_gain=gain).households
            means.append(h.awareness[h.network != RADIO].mean())
        diff.append(means[1] - means[0])
    diff = np.array(diff)
    assert diff.mean() > 0.005, f"the radio raised others' awareness by only {diff.mean():.4f}"
    assert stats.wilcoxon(diff, alternative="greater").pvalue < ALPHA


LIVELY = {"programme_months": 14, "stage_months": 1, "awareness_mean": 0.3, "group_min_size": 4}


def test_radio_closes_after_exit_and_then_broadcasts_nothing(small):
    """Enterprise-based, radio_close 1: the radio broadcasts through the programme and stops
    in the first month after support ends (with exit ``none`` it never does); once closed, a
    month of peer influence leaves awareness the same whatever radio_gain is, while an open
    radio raises it; a captured radio (negative gain) lowers it.

    Catches: a radio that never closes, one that closes while the programme pays, or a closed
    radio that still broadcasts (exit, peer influence).
    """
    for exit_mode, closes in (("abrupt", True), ("none", False)):
        model = small(0, strategy="enterprise_based", exit_mode=exit_mode, radio_close=1.0, **LIVELY, months=20)
        for _ in range(LIVELY["programme_months"] - 1):  # the last month's step decides the next month's
            model.step()
            assert model.radio_on, f"{exit_mode}: the radio closed while the programme still paid for it"
        assert (model.households.network == RADIO).any()
        model.step()
        assert model.radio_on is not closes, f"{exit_mode}: radio_on is {model.radio_on} after exit"

    def awareness_after_a_month(model, gain):
        twin = copy.deepcopy(model)
        twin.p.radio_gain = gain
        peer_influence(twin)
        return twin.households.awareness

    open_radio = copy.deepcopy(model)
    open_radio.radio_on = True
    quiet = awareness_after_a_month(open_radio, 0.0)
    assert (awareness_after_a_month(open_radio, 0.05) > quiet + 1e-9).any(), "an open radio raised nobody's awareness"
    lowered = awareness_after_a_month(open_radio, -0.05)
    assert (lowered < quiet - 1e-9).any() and (lowered <= quiet).all(), "a captured radio did not lower awareness"
    assert lowered.min() >= 0.0
    closed = copy.deepcopy(open_radio)
    closed.radio_on = False
    np.testing.assert_array_equal(awareness_after_a_month(closed, 0.05), awareness_after_a_month(closed, 0.0))


# --- networking raises openness, openness lowers extraction -------------------------------


def test_extraction_formula_falls_with_openness(small):
    """e = e0 x (1 - effect x openness), per patron, as the Patron agent reports it too.

    Catches: openness that does not lower extraction (extraction)."""
    model = small(0, openness_extraction_effect=0.6)
    pt = model.patrons
    for openness in (0.0, 0.25, 0.5, 1.0):
        pt.openness[:] = openness
        np.testing.assert_allclose(effective_extraction(model), pt.extraction_base * (1.0 - 0.6 * openness))
        assert model.patron_agents[0].extraction == pytest.approx(pt.extraction_base[0] * (1.0 - 0.6 * openness))
    pt.openness[:] = np.linspace(0.0, 1.0, len(pt))
    assert np.all(np.diff(effective_extraction(model)) < 0)


def test_rent_paid_is_extraction_times_dependency_times_income(small):
    """What leaves each household's wealth in patron_extraction, and the month's rent record.

    Catches: rent that does not scale with dependency, extraction or income (extraction)."""
    model = small(1)
    model.step()
    h = model.households
    wealth = h.wealth.copy()
    expected = effective_extraction(model)[h.patron] * h.dependency * h.income
    patron_extraction(model)
    np.testing.assert_allclose(wealth - h.wealth, expected)
    assert model.rent_this_month == pytest.approx(expected.sum())


@pytest.mark.parametrize("strategy", FACILITATED)
def test_networking_raises_openness_and_lowers_extraction(small, strategy):
    """patron_engagement on vs off over the programme (12 paired seeds): openness rises
    only with networking; extraction and rent per household fall with it.

    Catches: networking that does not raise openness (facilitation), or openness that
    does not lower rent (extraction)."""
    rows = []
    for seed in SEEDS:
        row = []
        for engaged in (True, False):
            model = small(seed, strategy=strategy, patron_engagement=engaged, months=60)
            openness0, extraction0 = model.patrons.openness.copy(), effective_extraction(model).copy()
            model.run_model()
            row += [
                model.patrons.openness.mean() - openness0.mean(),
                effective_extraction(model).mean() - extraction0.mean(),
                model.timeseries().patron_rent.iloc[-1],
            ]
        rows.append(row)
    on_open, on_extr, on_rent, off_open, off_extr, off_rent = np.array(rows).T
    np.testing.assert_array_equal(off_open, 0.0)
    np.testing.assert_array_equal(off_extr, 0.0)
    assert (on_open > 0).all() and (on_extr < 0).all()
    assert stats.wilcoxon(off_rent - on_rent, alternative="greater").pvalue < ALPHA


# --- ranges, wealth and debt, the same seed the same run ----------------------------------


@pytest.mark.parametrize("strategy", ("baseline", *FACILITATED))
@pytest.mark.parametrize("exit_mode", ("phased", "abrupt", "none"))
def test_state_stays_in_range_every_month(small, checked_run, strategy, exit_mode):
    """Every state variable in range, wealth and debt >= 0, every month, with frequent shocks too.

    Catches: any submodel leaving the state out of range, e.g. debts past the limit that
    never default (credit)."""
    for seed, shock_rate in ((0, 0.015), (1, 0.1)):
        model = small(seed, strategy=strategy, exit_mode=exit_mode, shock_rate=shock_rate, months=84)
        assert checked_run(model) == []


REVERSED = {  # every network bonus at its schema's lowest value: each mechanism run the other way
    "radio_gain": -0.2,
    "module_effect": -1.0,
    "paralegal_protection": -1.0,
    "ecotourism_income": -0.5,
    "organic_release": -2.0,
}


@pytest.mark.parametrize("strategy", ("enterprise_based", "hybrid"))
def test_state_stays_in_range_with_every_network_bonus_reversed(small, checked_run, strategy):
    """Captured radio, retaliation against paralegals, ecotourism at a loss, the organic trader a
    new patron and modules that hurt, all at the schema's limits: the state stays in range.

    Catches: a reversal that pushes awareness, dependency, pawned land or wealth out of range."""
    model = small(1, strategy=strategy, shock_rate=0.1, months=48, **REVERSED)
    assert checked_run(model) == []


@pytest.mark.parametrize("strategy", ("baseline", *FACILITATED))
def test_same_seed_same_run(run, strategy):
    """Catches: a draw from any generator but the model's seeded ``model.rng`` (every submodel)."""
    a, b, c = run(11, strategy=strategy), run(11, strategy=strategy), run(12, strategy=strategy)
    assert a.timeseries().equals(b.timeseries())
    assert a.summary() == pytest.approx(b.summary(), nan_ok=True)
    for name in a.households.names:
        np.testing.assert_array_equal(getattr(a.households, name), getattr(b.households, name))
    for name in ("stage", "cohesion", "management", "fund"):
        np.testing.assert_array_equal(a.groups.live(name), b.groups.live(name))
    assert not a.timeseries().equals(c.timeseries())

"""The labels of the report and the visualizer: English here, every other language in a gettext catalogue.

Labels live here, never in the code that draws them: ``t("awareness", "id")``. ``LABELS`` holds
each key's English; the Indonesian is in ``analysis/locale/id/LC_MESSAGES/berdaya.po``, which an
editor opens in Poedit or Weblate (docs/translating.md), and is filled into ``LABELS`` when this
module loads, from the compiled ``berdaya.mo`` (compiled here with Babel when missing or older than
the ``.po``). A new label may be written with its Indonesian, ``{"en": "...", "id": "..."}``:
``make catalogue`` moves the Indonesian into the catalogue (``analysis/catalogue.py``).
The catalogues live in ``analysis`` because both the report (here) and the visualizer (in
``berdaya``, which may import ``analysis``) read them.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from sim.files import FileFault, write_atomic

LANGUAGES = ("en", "id")

LABELS: dict[str, dict[str, str]] = {
    # strategies
    "baseline": {"en": "Baseline (no programme)"},
    "area_based": {"en": "Area-based"},
    "enterprise_based": {"en": "Enterprise-based"},
    "hybrid": {"en": "Hybrid"},
    # monthly measures
    "month": {"en": "Month"},
    "dependency": {"en": "Dependency on patrons"},
    "awareness": {"en": "Critical awareness"},
    "skills": {"en": "Skills"},
    "trust": {"en": "Trust in facilitators"},
    "self_reliance": {"en": "Self-reliance"},
    "self_reliant_share": {"en": "Share of households self-reliant"},
    "in_group_share": {"en": "Share of households in a group"},
    "groups_forming": {"en": "Groups forming"},
    "groups_active": {"en": "Groups active"},
    "groups_mature": {"en": "Groups mature (mandiri)"},
    "groups_dissolved": {"en": "Groups dissolved"},
    "patron_rent": {"en": "Patron rent"},
    "wealth_gini": {"en": "Wealth inequality (Gini)"},
    "wealth": {"en": "Wealth"},
    "facilitator_months": {"en": "Facilitator-months"},
    "internal_facilitators": {"en": "Internal facilitators"},
    # agents
    "household": {"en": "Household"},
    "patron": {"en": "Patron"},
    "facilitator": {"en": "Facilitator"},
    "facilitator_left": {"en": "Facilitator (left)"},
    "group": {"en": "Self-help group (KSM)"},
    "hamlet": {"en": "Hamlet"},
    "programme_end": {"en": "Programme end"},
    # visualizer (berdaya/viz/)
    "viz.title": {"en": "Berdaya: watch a village organise itself"},
    "viz.scenario": {"en": "Start from scenario"},
    "viz.strategy": {"en": "Organising strategy"},
    "viz.seed": {"en": "Random seed (same seed, same run)"},
    "viz.seed_short": {"en": "Seed"},
    "viz.month_of": {"en": "Month {month} of {months}"},
    "viz.finished": {"en": "The run is over."},
    "viz.model_in_use": {"en": "Village now running"},
    "viz.households": {"en": "households"},
    "viz.none": {"en": "none"},
    "viz.error": {"en": "These settings do not make a village"},
    "viz.help": {
        "en": "Each square is a household, coloured by the measure you pick. Press ▶ Play and watch self-help groups "
        "(KSM) form as outlined squares, patrons resist (red triangles) or cooperate (green), and the NGO's "
        "facilitators (blue dots) leave at the programme's end (grey crosses).",
    },
    "viz.settings": {"en": "Settings"},
    "viz.close": {"en": "Close"},
    "viz.play": {"en": "Play"},
    "viz.pause": {"en": "Pause"},
    "viz.step": {"en": "One month"},
    "viz.reset": {"en": "Start again"},
    "viz.to_end": {"en": "To the end"},
    "viz.reset_hint": {
        "en": "Start again builds a new village at month 0 from the settings as they show now.",
    },
    "viz.pending": {
        "en": "Settings changed: press Start again to build a village with them.",
    },
    "viz.status_ready": {"en": "Ready: press ▶ Play or One month."},
    "viz.status_playing": {"en": "Playing: computing month {month}…"},
    "viz.status_step": {"en": "Computing month {month}…"},
    "viz.status_pausing": {"en": "Pausing: finishing month {month}…"},
    "viz.status_paused": {"en": "Paused."},
    "viz.mode": {"en": "What to explore"},
    "viz.free": {"en": "Free play: one village"},
    "viz.card_prefix": {"en": "Experiment"},
    "viz.controls": {"en": "The village and the programme"},
    "viz.key": {"en": "Key"},
    "viz.internal_facilitators": {
        "en": "Mature groups grow their own facilitators",
    },
    "viz.village_a": {"en": "Village A"},
    "viz.village_b": {"en": "Village B"},
    "viz.question": {"en": "Think before you press ▶ Play"},
    "viz.same_seed": {
        "en": "Both villages grow from random seed {seed}: the same households, patrons and places. One thing differs: {switch}.",
    },
    "viz.source": {"en": "What source text {seed} says: {says}"},
    "viz.no_card": {
        "en": "There is no guided experiment called “{name}”, so this is free play. The experiments: {names}.",
    },
    "viz.share_link": {"en": "Link to this experiment"},
    "viz.reading": {"en": "What differed"},
    "viz.reading_wait": {
        "en": "The reading appears when both villages reach month {months}.",
    },
    "viz.reading_line": {"en": "{measure}: A {a}, B {b}: {verdict}."},
    "viz.reading_higher": {"en": "{who} higher by {diff}"},
    "viz.reading_same": {"en": "about the same"},
    "viz.reading_month": {"en": "At month {month}:"},
    "viz.reading_after": {
        "en": "From the programme's end (month {end}) to month {month}, the share self-reliant went from {a0} to {a1} in A and from {b0} to {b1} in B.",
    },
    "viz.reading_caveat": {
        "en": "This is one pair of villages. Change the random seed in Settings and run again: does the difference hold?",
    },
    "viz.patrons_on": {"en": "patrons engaged"},
    "viz.patrons_off": {"en": "patrons ignored"},
    "viz.internal_on": {"en": "groups grow facilitators"},
    "viz.internal_off": {"en": "no facilitators from groups"},
    "card.exit.title": {"en": "Leave all at once, or step by step?"},
    "card.exit.question": {
        "en": "The NGO's facilitators leave when the programme ends. In A they leave all at once; in B they hand over step by step. Which village keeps more self-reliant households afterwards, and why?",
    },
    "card.management.title": {
        "en": "Who holds the project: the NGO or the community?",
    },
    "card.management.question": {
        "en": "In A the NGO manages the project; in B the community manages it. Where do groups become mature (mandiri) sooner? What does the NGO's control cost?",
    },
    "card.patrons.title": {
        "en": "Talk with the patrons, or go around them?",
    },
    "card.patrons.question": {
        "en": "In A the organisers engage patrons and village leaders; in B they ignore them. Will fewer patrons resist? Will more households leave dependency?",
    },
    "card.strategy.title": {
        "en": "Organise a whole area, or start from enterprises?",
    },
    "card.strategy.question": {
        "en": "A organises hamlet by hamlet (area-based); B starts from small enterprises and their markets (enterprise-based). Which reaches more households? Which leaves more self-reliant ones?",
    },
    "card.internal.title": {"en": "Facilitators from inside the village?"},
    "card.exit.source": {
        "en": "Bina Swadaya's self-help group (KSM) approach ends with an exit strategy: the facilitator "
        "reduces their intervention step by step, so that the community runs the programme on its own and it lasts.",
    },
    "card.management.source": {
        "en": "Lampung NGO organisers: a project managed by the NGO takes too long; let the community and its "
        "networks manage it, and let the NGO become a knowledge manager and an equal partner.",
    },
    "card.strategy.source": {
        "en": "Lampung NGO organisers: organising by area (claiming a territory) needs rethinking; try organising "
        "around enterprises in farm products or services, such as organic markets, community radio, ecotourism "
        "or paralegal networks.",
    },
    "card.patrons.source": {
        "en": "A facilitator's guide to networking: find out who the village's patrons and their clients are, "
        "approach village officials and leaders, and look for the positive side of patron networks by getting "
        "patrons to help solve problems.",
    },
    "card.internal.source": {
        "en": "Facilitators from outside come first; once a group reaches self-reliance (kemandirian), facilitators "
        "from inside the group itself take over their role.",
    },
    "card.internal.question": {
        "en": "In A, mature groups train their own members as facilitators; in B they do not. What happens after the NGO's facilitators leave?",
    },
    "viz.colour_households": {"en": "Colour households by"},
    "viz.knowledge_manager": {
        "en": "NGO writes training modules (knowledge manager)",
    },
    "viz.patron_engagement": {"en": "Engage patrons and village leaders"},
    "viz.networks": {"en": "Enterprise networks"},
    "viz.exit_mode": {"en": "How facilitators leave"},
    "viz.project_management": {"en": "Who manages the project"},
    "exit_mode.phased": {"en": "Phased (gradual)"},
    "exit_mode.abrupt": {"en": "Abrupt"},
    "exit_mode.none": {"en": "Never (control)"},
    "management.ngo": {"en": "The NGO"},
    "management.community": {"en": "The community"},
    "network.organic_market": {"en": "Organic market"},
    "network.community_radio": {"en": "Community radio"},
    "network.ecotourism": {"en": "Ecotourism"},
    "network.paralegal": {"en": "Paralegal"},
    "scenario.community_managed": {
        "en": "Area-based, community-managed",
    },
    "scenario.ngo_managed": {"en": "Area-based, NGO-managed"},
    "scenario.exit_abrupt": {"en": "Area-based, abrupt exit"},
    "scenario.exit_none": {"en": "Area-based, facilitators stay"},
    "scenario.exit_phased": {"en": "Area-based, phased exit"},
    "scenario.high_shock": {"en": "Area-based, frequent shocks"},
    "scenario.large_village": {"en": "Area-based, large village (slow)"},
    "scenario.patrons_cooperative": {
        "en": "Area-based, cooperative patrons",
    },
    "scenario.patrons_engaged": {"en": "Area-based, patrons engaged"},
    "scenario.patrons_ignored": {"en": "Area-based, patrons ignored"},
    "scenario.patrons_resistant": {"en": "Area-based, resistant patrons"},
    "param.n_facilitators": {"en": "Outside facilitators"},
    "param.capacity": {"en": "Contacts per facilitator"},
    "param.programme_months": {"en": "Programme length"},
    "param.exit_taper_months": {"en": "Length of a phased exit"},
    "param.months": {"en": "Months to simulate"},
    "param.extraction": {"en": "Patron extraction"},
    "param.openness_mean": {
        "en": "Patron openness (0 resistant, 1 cooperative)",
    },
    "param.pressure": {"en": "Pressure of resistant patrons"},
    "param.shock_rate": {"en": "Chance of a shock"},
    "param.width": {"en": "Village width"},
    "param.height": {"en": "Village height"},
    "param.density": {"en": "Cells with a household"},
    "param.n_hamlets": {"en": "Number of hamlets"},
    "unit.facilitators": {"en": "facilitators"},
    "unit.contacts / month": {"en": "contacts / month"},
    "unit.months": {"en": "months"},
    "unit.share of dependent income": {
        "en": "share of dependent income",
    },
    "unit.share": {"en": "share"},
    "unit.per month": {"en": "per month"},
    "unit.per household-month": {"en": "per household per month"},
    "unit.cells": {"en": "cells"},
    "unit.share of cells": {"en": "share of cells"},
    "unit.hamlets": {"en": "hamlets"},
    "map_title": {"en": "The village"},
    "colour_by": {"en": "Colour"},
    "scale_index": {"en": "0 = none, 1 = full"},
    "scale_wealth": {
        "en": "months of subsistence saved, full colour at {top}",
    },
    "no_household": {"en": "No household"},
    "legend_groups": {
        "en": "Outlined: member of a self-help group (KSM); one colour per group",
    },
    "legend_forming": {"en": "dashed: group forming"},
    "legend_active": {"en": "thin: group active"},
    "legend_mature": {"en": "thick: group mature (mandiri)"},
    "patron_resistant": {"en": "Patron, resistant"},
    "patron_cooperative": {"en": "Patron, cooperative"},
    "facilitator_ngo": {"en": "Facilitator from the NGO"},
    "facilitator_internal": {"en": "Facilitator from a group"},
    "facilitator_counts": {
        "en": "Facilitators now: {ngo} from the NGO,\n{internal} from groups; {left} have left",
    },
    "hamlet_border": {"en": "Hamlet border"},
    "plot_measures": {"en": "Village averages, month by month"},
    "plot_groups": {"en": "Self-help groups (KSM) by stage"},
    "share_axis": {"en": "Share or index (0 to 1)"},
    "groups_axis": {"en": "Groups"},
    "plot_living": {"en": "Living standards and coverage"},
    "living_axis": {
        "en": "Share, or months of subsistence",
    },
    "living.consumption": {
        "en": "Mean consumption (months of subsistence a month)",
    },
    "living.poverty_share": {
        "en": "Share of households below the poverty line",
    },
    "living.coverage": {
        "en": "Share met by a facilitator lately (coverage)",
    },
    "living.poverty_line": {"en": "Poverty line (consumption = 1)"},
    "groups_dissolved_total": {"en": "Groups dissolved (so far)"},
    # sensitivity and robustness (analysis/studies/)
    "sens.section": {
        "en": "Sensitivity: which guessed parameters decide the outcomes",
    },
    "sens.morris_title": {"en": "Morris screening"},
    "sens.sobol_title": {"en": "Sobol' variance shares"},
    "sens.morris_settings": {
        "en": "{factors} parameters varied over the schema's ranges, {samples} trajectories, {runs} runs ({replicates} replicate(s) per point), scenario {scenario}. mu* is the mean absolute change of the outcome when one parameter moves by two thirds of its range; sigma shows interactions or curvature.",
    },
    "sens.sobol_settings": {
        "en": "{factors} parameters varied over the schema's ranges, {samples} base samples, {runs} runs ({replicates} replicate(s) per point), scenario {scenario}. S1 is the share of the outcome's variance a parameter explains alone, ST the share it has a hand in, interactions included.",
    },
    "sens.noise_note": {
        "en": "The dashed line is the index of a dummy parameter that no run reads: what the model's randomness alone produces. Bars that do not clear it cannot be told from noise. Where an outcome is undefined (sustainability with nobody self-reliant at programme end), the base samples holding such a point are left out (n_used).",
    },
    "sens.top_note": {
        "en": "The five largest indices above the noise floor, per outcome:",
    },
    "sens.noise": {"en": "noise floor"},
    "sens.below_noise": {"en": "ST below the noise floor"},
    "sens.effect_unit": {"en": "outcome units"},
    "sens.variance_share": {"en": "share of variance"},
    "sens.self_reliant_share_horizon": {
        "en": "Share self-reliant at the horizon",
    },
    "sens.sustainability": {
        "en": "Sustainability (horizon / programme end)",
    },
    "sens.dependency_horizon": {"en": "Dependency at the horizon"},
    "sens.facilitator_months_per_self_reliant": {
        "en": "Facilitator-months per self-reliant household",
    },
    # strategy comparison report (analysis/report.py, analysis/verdict.py, analysis/figures.py)
    "report.title": {
        "en": "Which organising strategy? A comparison of {k} strategies",
    },
    "report.subtitle": {
        "en": "Simulated with berdaya, an agent-based model of a village",
    },
    "report.intro": {"en": "{k} strategies × {n} runs"},
    "report.intro_survey": {
        "en": "the surveyed village of {households} households ({file})",
    },
    "report.intro_village": {
        "en": "a village of about {households} households ({width} × {height} cells)",
    },
    "report.intro_months": {
        "en": "{months} months per run, the programme in the first {programme}",
    },
    "report.effect_sum_one": {
        "en": "{leader} made the most households self-reliant by the end of the programme ({value}), clearly more than every other strategy.",
    },
    "report.effect_sum_tied": {
        "en": "{leaders} made the most households self-reliant by the end of the programme, with no clear difference between them.",
    },
    "report.effect_sum_none": {
        "en": "No strategy made clearly more households self-reliant by the end of the programme than the others.",
    },
    "report.cost_sum_one": {
        "en": "{leader} needed the fewest facilitator-months per self-reliant household ({value}), clearly fewer than every other strategy with facilitators.",
    },
    "report.cost_sum_tied": {
        "en": "{leaders} needed the fewest facilitator-months per self-reliant household, with no clear difference between them.",
    },
    "report.cost_sum_none": {
        "en": "No strategy needed clearly fewer facilitator-months per self-reliant household than the others.",
    },
    "report.lasting_sum_one": {
        "en": "At the end of the run, {leader} had the most households self-reliant ({value}), clearly more than every other strategy.",
    },
    "report.lasting_sum_tied": {
        "en": "At the end of the run, {leaders} had the most households self-reliant, with no clear difference between them.",
    },
    "report.lasting_sum_none": {
        "en": "At the end of the run, no strategy had clearly more households self-reliant than the others.",
    },
    "report.sure_sum": {
        "en": "With {n} runs per strategy, {clear} of {total} pairs of strategies differ clearly in the share self-reliant at programme end.",
    },
    "report.and": {"en": "and"},
    "report.points": {"en": "points"},
    "report.range": {"en": "{low} to {high}"},
    "report.na": {"en": "—"},
    "report.k_effect": {"en": "Effect"},
    "report.k_cost": {"en": "Cost"},
    "report.k_lasting": {"en": "Lasting"},
    "report.k_sure": {"en": "How sure"},
    "report.q_effect": {
        "en": "Which strategy makes the most households self-reliant?",
    },
    "report.q_cost": {"en": "At what cost?"},
    "report.q_lasting": {"en": "Does it last?"},
    "report.q_sure": {"en": "How sure are we?"},
    "report.clear": {"en": "a clear difference"},
    "report.not_clear": {"en": "no clear difference"},
    "report.no_clear_from": {"en": "No clear difference from {names}."},
    "report.single": {
        "en": "{measure}, {leader}: {value} (95% CI {ci}); no other strategy to compare it with.",
    },
    "report.no_values": {
        "en": "No run gave a value for this measure.",
    },
    "report.effect_best": {
        "en": "{leader} made the most households self-reliant by the end of the programme: {value} (95% CI {ci}).",
    },
    "report.effect_clearly": {
        "en": "It is clearly ahead of {names}.",
    },
    "report.effect_none_clear": {
        "en": "No clear difference between the strategies in the share of households self-reliant at programme end ({values}).",
    },
    "report.effect_detail": {
        "en": "{a} vs {b}: {difference} (95% CI {ci}), {verdict}; {a} came out higher in {share} of replicate pairs.",
    },
    "report.cost_best": {
        "en": "{leader} needed the fewest facilitator-months per self-reliant household: {value} (95% CI {ci}).",
    },
    "report.cost_clearly": {"en": "It is clearly cheaper than {names}."},
    "report.cost_none_clear": {
        "en": "No clear difference between the strategies in facilitator-months per self-reliant household ({values}).",
    },
    "report.cost_detail": {
        "en": "{a} vs {b}: {difference} facilitator-months (95% CI {ci}), {verdict}; {a} was cheaper in {share} of replicate pairs.",
    },
    "report.cost_idle": {
        "en": "{names} fielded no facilitators, so has no cost to compare.",
    },
    "report.cost_no_facilitators": {
        "en": "No strategy fielded facilitators, so there is no cost to compare.",
    },
    "report.lasting_best": {
        "en": "At the end of the run, {leader} had the most households self-reliant: {value} (95% CI {ci}).",
    },
    "report.lasting_clearly": {
        "en": "It is clearly ahead of {names}.",
    },
    "report.lasting_none_clear": {
        "en": "No clear difference between the strategies in the share of households self-reliant at the end of the run ({values}).",
    },
    "report.lasting_detail": {
        "en": "{a} vs {b}: {difference} (95% CI {ci}), {verdict}; {a} came out higher in {share} of replicate pairs.",
    },
    "report.lasting_when": {
        "en": "The run ends {months} months after the programme.",
    },
    "report.lasting_no_after": {
        "en": "The runs stop when the programme ends, so they cannot show whether the gains last; run longer (village.months) to see.",
    },
    "report.after_programme": {
        "en": "After the programme (× = share self-reliant at the end of the run ÷ share at programme end): {parts}.",
    },
    "report.after_grew": {"en": "the share went on growing in {names}"},
    "report.after_steady": {
        "en": "it held about steady (no clear change) in {names}",
    },
    "report.after_fell": {"en": "it fell back in {names}"},
    "report.lasting_untested": {
        "en": "Read what lasts with care: what happens after the facilitators leave is where the model is least tested. Of the field patterns it was not fitted to, {k} were measured after a programme had ended, and it misses {m} of them: {parts}.",
    },
    "report.lasting_untested_all": {
        "en": "Read what lasts with care: what happens after the facilitators leave is where the model is least tested. Of the field patterns it was not fitted to, {k} were measured after a programme had ended, and it misses all of them: {parts}.",
    },
    "report.lasting_tested": {
        "en": "The model meets all {k} field patterns of its hold-out that were measured after a programme had ended.",
    },
    "report.fade_intro": {
        "en": "What weakened once the facilitators had gone, from programme end to the end of the run (mean over the runs; named where it got worse in most of them and its mean, as printed, moved):"
    },
    "report.fade_arm": {"en": "{name}: {parts}."},
    "report.fade_arm_none": {"en": "{name}: none of these got worse in most runs; {groups}."},
    "report.fade_in_group_share": {
        "en": "households in a group {before} → {after}",
    },
    "report.fade_awareness": {
        "en": "critical awareness {before} → {after}",
    },
    "report.fade_patron_debt": {
        "en": "debt to patrons per household {before} → {after} months of subsistence",
    },
    "report.fade_poverty_share": {
        "en": "households below the poverty line {before} → {after}",
    },
    "report.fade_runs": {"en": "{change} (worse in {k} of {n} runs)"},
    "report.fade_groups": {
        "en": "groups standing per village {before} → {after} ({dissolved} dissolved, {formed} formed)"
    },
    "report.sure_replicates": {
        "en": "Each strategy was run {n} times, each time with a different random village and different chance events.",
    },
    "report.sure_replicates_surveyed": {
        "en": "Each strategy was run {n} times on the surveyed village, each time with different chance events.",
    },
    "report.sure_width": {
        "en": "The 95% confidence intervals of the share self-reliant at programme end are about ±{width} points wide (widest: {widest}, ±{widest_width}).",
    },
    "report.sure_pairs": {
        "en": "{clear} of {total} pairs of strategies differ clearly on that share.",
    },
    "report.sure_more": {
        "en": "More runs of each strategy narrow the intervals: four times as many halve their width.",
    },
    "report.sure_failed": {
        "en": "{failed} runs failed and are left out (their errors are in runs/).",
    },
    "report.sure_model": {
        "en": "These intervals measure what the model gives; they do not say how well the model matches a real village."
    },
    "report.self_reliant_share_programme_end": {
        "en": "Self-reliant households, programme end",
    },
    "report.self_reliant_share_horizon": {
        "en": "Self-reliant households, end of run",
    },
    "report.sustainability": {
        "en": "Sustainability (end of run ÷ programme end)",
    },
    "report.dependency_horizon": {
        "en": "Dependency on patrons, end of run",
    },
    "report.awareness_horizon": {"en": "Critical awareness, end of run"},
    "report.groups_mature_horizon": {
        "en": "Mature groups (mandiri), end of run",
    },
    "report.groups_dissolved_horizon": {"en": "Groups dissolved, whole run"},
    "report.patron_rent_mean": {
        "en": "Patron rent per household per month, mean over the run",
    },
    "report.wealth_gini_horizon": {
        "en": "Wealth inequality (Gini), end of run",
    },
    "report.facilitator_months_total": {"en": "Facilitator-months spent"},
    "report.facilitator_months_per_self_reliant": {
        "en": "Facilitator-months per self-reliant household",
    },
    "report.months_to_half_gain": {
        "en": "Months to half the final gain",
    },
    "report.strategy": {"en": "Strategy"},
    "report.key_note": {
        "en": "Grey: the 95% confidence interval (CI), the range in which the average of many more runs would lie, with 95% confidence. Self-reliant: a household whose self-reliance index (material security, skills and its group's management, discounted by dependency on a patron) reaches the threshold.",
    },
    "report.no_facilitators_short": {"en": "no facilitators"},
    "report.n_of": {"en": "n = {n} of {total}"},
    "report.figures": {"en": "Figures"},
    "report.fig_over_time": {"en": "Month by month"},
    "report.fig_outcome": {"en": "Final outcome and cost"},
    "report.fig_groups": {"en": "Life of the self-help groups"},
    "report.fig_distribution": {
        "en": "Self-reliant households at the end of each run",
    },
    "report.fig_cost_lasting": {"en": "Cost against lasting gain"},
    "report.caption_over_time": {
        "en": "Line: mean over replicates. Shaded band: the middle half of the replicates lie inside it. Dashed line: programme end; grey area: phased exit of the facilitators.",
    },
    "report.caption_distribution": {
        "en": "One dot per replicate; the box holds the middle half of the replicates, the line inside it is the median.",
    },
    "report.caption_cost_lasting": {
        "en": "One point per strategy: the mean with its 95% confidence intervals. Further left is cheaper, higher lasts better. A strategy without facilitators sits at zero cost.",
    },
    "report.exit_taper": {"en": "Phased exit"},
    "report.details": {"en": "All measures"},
    "report.details_note": {
        "en": "Mean over replicates with its 95% confidence interval. Patron rent is the mean over all months of the run, in months of subsistence per household per month; the other end-of-run measures are read at the last month.",
    },
    "report.measure": {"en": "Measure"},
    "report.pairs": {"en": "Every pair of strategies"},
    "report.pairs_note": {
        "en": "Difference: first strategy minus second, with its 95% confidence interval; it is a clear difference when the interval, as printed here, excludes zero (one whose printed end reads zero, such as 0.00 to +0.02, is not called clear). P(first higher): how often a replicate of the first strategy scored higher than one of the second, over all pairs of replicates (ties count half).",
    },
    "report.pair": {"en": "Pair"},
    "report.difference": {"en": "Difference"},
    "report.ci95": {"en": "95% CI"},
    "report.p_higher": {"en": "P(first higher)"},
    "report.verdict": {"en": "Verdict"},
    "report.vs": {"en": "{a} vs {b}"},
    "report.more_sections": {"en": "More analyses"},
    "report.method": {"en": "Method"},
    "report.scenarios": {"en": "Scenarios"},
    "report.scenario": {"en": "Scenario"},
    "report.file": {"en": "File"},
    "report.replicates": {"en": "Replicates"},
    "report.differing": {
        "en": "Parameters that differ between the strategies",
    },
    "report.no_differing": {
        "en": "The scenarios share every parameter value.",
    },
    "report.runs": {"en": "Runs"},
    "report.failed_runs": {"en": "Failed runs"},
    "report.root_seed": {"en": "Root seed"},
    "report.seeds": {"en": "Seeds"},
    "report.seeds_text": {
        "en": "each run's seed comes from numpy.random.SeedSequence(root seed), keyed by scenario, parameter point and replicate, so any run can be repeated on its own",
    },
    "report.horizon": {"en": "Months per run"},
    "report.overrides": {"en": "Settings applied to every run"},
    "report.versions": {"en": "Versions"},
    "report.commit": {"en": "Git commit"},
    "report.dirty": {"en": "with uncommitted changes"},
    "report.statistics_heading": {"en": "Statistics"},
    "report.statistics": {
        "en": 'Means over replicates with {confidence}% confidence intervals from the bootstrap (scipy.stats.bootstrap, BCa, {resamples} resamples, seeded from the root seed); a difference between two strategies is bootstrapped from their two independent sets of replicates. A difference is called clear when its interval, as printed, excludes zero; otherwise the report says "no clear difference". A run in which a measure is undefined (e.g. sustainability when no household was self-reliant at programme end) is left out of that measure, and the tables give n.'
    },
    "report.seeds_text_paired": {
        "en": "paired: each run's seed comes from numpy.random.SeedSequence(root seed), keyed by parameter point and replicate only, so replicate r of every strategy runs on the same village (the village is drawn before anything a strategy does); any run can be repeated on its own",
    },
    "report.statistics_paired": {
        "en": 'Means over replicates with {confidence}% confidence intervals from the bootstrap (scipy.stats.bootstrap, BCa, {resamples} resamples, seeded from the root seed). Replicate r of every strategy ran on the same village with the same seed (paired replicates), so a difference between two strategies is the mean of their replicate-by-replicate differences, bootstrapped over replicates; this takes out the variation between villages that both strategies share. A difference is called clear when its interval, as printed, excludes zero; otherwise the report says "no clear difference". A run in which a measure is undefined (e.g. sustainability when no household was self-reliant at programme end) is left out of that measure, and its replicate out of every comparison on that measure; the tables give n.'
    },
    "report.statistics_mixed": {
        "en": "Strategies at different parameter points do not share seeds; their differences are bootstrapped from two independent sets of replicates, and P(first higher) is taken over all pairs of replicates.",
    },
    "report.pairs_note_paired": {
        "en": "Difference: first strategy minus second on the same village, averaged over replicates, with its 95% confidence interval; it is a clear difference when the interval, as printed here, excludes zero (one whose printed end reads zero, such as 0.00 to +0.02, is not called clear). P(first higher): the share of replicates in which the first strategy scored higher than the second on the same village (ties count half).",
    },
    "report.definitions": {
        "en": "Sustainability is the share self-reliant at the end of the run divided by the share at programme end (above 1: it kept growing after the programme). Cost is the facilitator-months spent over the whole run divided by the households self-reliant at the end of the run; the cost in rupiah adds training modules, stimulants, setting up enterprise networks and internal facilitators' honoraria, priced with the cost table (berdaya params, group costs). Months to half the final gain measures speed.",
    },
    # comparison report, issue 15: what each strategy is, where differences come from, plausible worlds, costs
    "report.about": {"en": "What each strategy is"},
    "report.about_baseline": {
        "en": "the village as it is, with its patrons, shocks and credit and no organising programme; the yardstick for the others.",
    },
    "report.about_area_based": {
        "en": "outside facilitators each take a hamlet and organise self-help groups (KSM) among its households; the NGO runs the project, writes no training modules and sets up no enterprise networks.",
    },
    "report.about_enterprise_based": {
        "en": "outside facilitators organise members of four enterprise networks (organic market, community radio, ecotourism, paralegal) across the village; the community runs the project and the NGO writes training modules as it goes.",
    },
    "report.about_hybrid": {
        "en": "half the outside facilitators take a hamlet, half work the four enterprise networks; as in enterprise-based, the community runs the project and the NGO writes training modules.",
    },
    "report.about_other": {
        "en": "{facilitators} outside facilitators ({mode}); {management} runs the project; {modules}; networks: {networks}.",
    },
    "report.about_modules_yes": {"en": "the NGO writes training modules"},
    "report.about_modules_no": {"en": "no training modules"},
    "report.about_none": {"en": "none"},
    "report.point": {"en": "point"},
    "report.points_note": {
        "en": "Points: percentage points, the gap between two percentages (11% against 8% is 3 points).",
    },
    "report.rupiah": {"en": "Rp {value} million"},
    "report.k_source": {"en": "Where from"},
    "report.decomposition": {"en": "Where the difference comes from"},
    "report.decomposition_note": {
        "en": 'Each strategy bundles several choices. To see which of them make the difference, every combination of the choices in which two strategies differ was run on the same villages and in the same plausible worlds ({replicates} runs each). A choice\'s share is its effect averaged over every order in which the choices could be added (Shapley value); the shares add up to the whole difference. In square brackets: the 95% confidence interval. Enterprise-based and hybrid programmes organise through their networks, so the networks cannot be taken from them: for those, "without networks" keeps the networks as places to organise and switches off what membership brings (premiums, radio, ecotourism income, paralegal protection).',
    },
    "report.decomposition_lead": {
        "en": "Over the {replicates} paired runs of the factorial, {strategy} is {difference} ahead of {against} ({measure}): {parts}.",
    },
    "report.decomposition_part": {
        "en": "about {contribution} comes from {factor}",
    },
    "report.decomposition_part_unclear": {
        "en": "{factor} adds no clear share ({contribution})",
    },
    "report.decomposition_interaction": {
        "en": "{a} and {b} interact: together they add {contribution} beyond their separate effects.",
    },
    "report.decomposition_none": {
        "en": "No decomposition was run (fewer than two programme strategies, --no-decompose or --unpaired).",
    },
    "report.decomposition_sum_unclear": {
        "en": "{strategy}'s lead over {against} comes from no choice clearly.",
    },
    "report.fig_decomposition": {"en": "Where the difference comes from"},
    "report.caption_decomposition": {
        "en": "Blue bar: a choice's share of the difference in {measure}, in points, with its 95% confidence interval; the blue shares add up to the difference. Grey bar: what two choices add together beyond their separate effects (already inside the shares).",
    },
    "report.contribution_axis": {"en": "percentage points"},
    "factor.mode": {
        "en": "whom the facilitators organise (hamlets, networks or both)",
    },
    "factor.management": {"en": "the community running the project"},
    "factor.knowledge_manager": {"en": "the NGO writing training modules"},
    "factor.networks": {"en": "the enterprise networks and their bonuses"},
    "factor.internal_facilitators": {"en": "members becoming facilitators"},
    "factor_short.mode": {"en": "whom they organise"},
    "factor_short.management": {"en": "community runs project"},
    "factor_short.knowledge_manager": {"en": "training modules"},
    "factor_short.networks": {"en": "network bonuses"},
    "factor_short.internal_facilitators": {"en": "members facilitate"},
    "factor_short.other": {"en": "other settings"},
    "factor.other": {"en": "the other settings that differ"},
    "report.sure_worlds": {
        "en": "Each run is also a different plausible world: the {k} parameters that nobody has measured were drawn from the range a careful modeller could defend, most often near their stated values, the same draw for every strategy in a replicate. So the runs spread over both chance and those assumptions; a 95% confidence interval of a mean is narrower than that spread."
    },
    "report.sure_worlds_log": {
        "en": "Each run is also a different plausible world: the {k} parameters that nobody has measured were drawn from the range a careful modeller could defend, most often near their stated values (a range that spans a factor of ten or more on the scale of its logarithm: --worlds-shape pert-log), the same draw for every strategy in a replicate. So the runs spread over both chance and those assumptions; a 95% confidence interval of a mean is narrower than that spread.",
    },
    "report.sure_worlds_uniform": {
        "en": "Each run is also a different plausible world: the {k} parameters that nobody has measured were drawn uniformly from the range a careful modeller could defend (--worlds-shape uniform: the bounds as likely as the stated values), the same draw for every strategy in a replicate. So the runs spread over both chance and those assumptions; a 95% confidence interval of a mean is narrower than that spread."
    },
    "report.sure_posterior": {
        "en": "The {k} calibrated parameters were drawn too, from {samples} accepted calibration samples.",
    },
    "report.sure_fixed": {
        "en": "Every parameter was held at one value (no plausible worlds drawn, as with --fixed-parameters): the ranges measure chance from run to run only, not what the unmeasured assumptions could change.",
    },
    "report.sure_holds": {
        "en": "{a} came out ahead of {b} in {share} of the {n} worlds.",
    },
    "report.sure_hinges": {
        "en": "Whether {a} stays ahead of {b} hinges on {names}.",
    },
    "report.sure_hinge": {
        "en": "{name} (partial rank correlation {rho}, p {p})",
    },
    "report.sure_hinge_rank": {
        "en": "{name} (rank correlation {rho}, p {p}; too few worlds to control for the other assumptions)",
    },
    "report.sure_no_hinge": {
        "en": "No single assumption clearly moves {a}'s lead over {b} (partial rank correlations over {n} worlds, none with p below {alpha}).",
    },
    "report.sure_too_few": {
        "en": "{n} worlds are too few to weigh each of the {k} assumptions against all the others (partial rank correlation); that needs {need} runs of each strategy or more.",
    },
    "report.cost_rp": {
        "en": "In money: {leader} spent {value} per self-reliant household (95% CI {ci}); {others}.",
    },
    "report.cost_rp_short": {
        "en": "In money, {leader} was cheapest: {value} per self-reliant household.",
    },
    "report.cost_rp_alone": {
        "en": "In money: {leader} spent {value} per self-reliant household (95% CI {ci}).",
    },
    "report.cost_rp_other": {"en": "{name} {value}"},
    "report.cost_curve": {"en": "How many facilitators?"},
    "report.cost_curve_note": {
        "en": "Every programme strategy was run with {counts} outside facilitators ({replicates} runs each, the same plausible worlds). Line: mean; band: 95% confidence interval of the mean.",
    },
    "report.n_facilitators_axis": {"en": "outside facilitators fielded"},
    "report.share_axis": {"en": "% of households"},
    "report.index_axis": {"en": "index: 0 = none, 1 = full"},
    "report.groups_axis": {"en": "number of groups"},
    "report.level_axis": {"en": "months of subsistence per household"},
    "report.consumption_axis": {
        "en": "times subsistence (1 = just enough)",
    },
    "report.rupiah_axis": {"en": "million rupiah"},
    "report.yes": {"en": "yes"},
    "report.no": {"en": "no"},
    "report.mode.baseline": {"en": "none (no programme)"},
    "report.mode.area_based": {"en": "each takes a hamlet"},
    "report.mode.enterprise_based": {"en": "they work the enterprise networks"},
    "report.mode.hybrid": {"en": "half hamlets, half networks"},
    "report.consumption_horizon": {
        "en": "Consumption a month, end of run (1 = subsistence)",
    },
    "report.consumption_poorest40_horizon": {
        "en": "Consumption of the poorest 40%, end of run",
    },
    "report.poverty_share_horizon": {
        "en": "Households below the poverty line, end of run",
    },
    "report.patron_debt_horizon": {
        "en": "Debt to patrons per household, end of run (months of subsistence)",
    },
    "report.programme_cost_rp": {"en": "Programme cost"},
    "report.cost_per_self_reliant_rp": {
        "en": "Cost per self-reliant household",
    },
    "report.method_switch": {"en": "Setting"},
    "method.strategy": {
        "en": "Whom the outside facilitators organise",
    },
    "method.n_facilitators": {"en": "Outside facilitators"},
    "method.project_management": {"en": "Who runs the project"},
    "method.knowledge_manager": {"en": "NGO writes training modules"},
    "method.networks": {"en": "Enterprise networks"},
    "method.exit_mode": {"en": "How the facilitators leave"},
    "method.patron_engagement": {
        "en": "Facilitators engage patrons and leaders",
    },
    "method.internal_facilitators": {"en": "Members become facilitators"},
    "method.ngo_learning_factor": {
        "en": "How much groups learn when the NGO runs the project",
    },
    "method.radio_gain": {
        "en": "Awareness the community radio raises",
    },
    "method.organic_premium": {"en": "Price premium of the organic market"},
    "method.module_effect": {"en": "How much training modules help"},
    "method.animation_gain": {
        "en": "Awareness one facilitator visit raises",
    },
    "method.training_gain": {"en": "Skills one training raises"},
    "method.consult_gain": {
        "en": "Management a consulted group gains",
    },
    "method.paralegal_protection": {"en": "Protection paralegals give"},
    "method.ecotourism_income": {"en": "Income from ecotourism"},
    "method.dependency_release": {
        "en": "How fast dependency on patrons eases",
    },
    "method.peer_rate": {"en": "Pull of neighbours on awareness"},
    "method.trust_gain": {
        "en": "Trust one facilitator visit builds",
    },
    "method.fund_misuse": {
        "en": "Group funds lost to elite capture and misuse",
    },
    "method.coordination_cost": {
        "en": "What scattered network members pay to meet",
    },
    "method.radio_close": {
        "en": "Chance a month the community radio closes after exit",
    },
    "report.monthly_consumption": {
        "en": "Consumption a month (1 = subsistence)",
    },
    "report.monthly_poverty_share": {
        "en": "Share of households below the poverty line",
    },
    "report.monthly_coverage": {
        "en": "Households an outside facilitator met in the last {months} months",
    },
    "report.monthly_patron_debt": {"en": "Debt to patrons per household"},
    "rob.section": {
        "en": "Robustness: in which villages each strategy works",
    },
    "rob.settings": {
        "en": "{villages} villages drawn by a Latin hypercube over {conditions} (each over its range in the parameter schema); every strategy ran in every village {replicates} times ({runs} runs). A strategy beats baseline in a village when its mean self-reliant share at the horizon exceeds the baseline's by more than {margin:g}; otherwise it fails there. Regret is the gap to the best strategy in the village.",
    },
    "rob.share_beats": {
        "en": "share of villages where it beats baseline by more than {margin:g}",
    },
    "rob.regret_axis": {
        "en": "regret: gap to the best strategy in the village (box: quartiles, whiskers: 10th-90th percentile)",
    },
    "rob.beats": {"en": "beats baseline"},
    "rob.fails": {"en": "fails"},
    "rob.box_stats": {
        "en": "failure box: coverage {coverage:.2f}, density {density:.2f}",
    },
    "rob.fails_definition": {
        "en": "Fails = does not beat baseline by more than {margin:g} in the share of households self-reliant at the horizon.",
    },
    "rob.rule_line": {
        "en": "{strategy} fails when {rule}: coverage {coverage:.2f} (share of its failing villages inside), density {density:.2f} (share of villages inside where it fails; {base_rate:.2f} over all villages), {inside} villages inside.",
    },
    "rob.no_rule_too_few": {
        "en": "fails in {fails} of {villages} villages: too few for a rule",
    },
    "rob.no_rule_everywhere": {
        "en": "fails in {fails} of {villages} villages: nearly everywhere, no rule needed",
    },
    "rob.no_rule_not_concentrated": {
        "en": "fails in {fails} of {villages} villages, with no box of conditions where failures are significantly more common",
    },
    "rob.col_strategy": {"en": "strategy"},
    "rob.col_villages": {"en": "villages"},
    "rob.col_mean_outcome": {"en": "mean share self-reliant"},
    "rob.col_share_beats_baseline": {"en": "share beats baseline"},
    "rob.col_share_best": {"en": "share best"},
    "rob.col_regret_median": {"en": "regret median"},
    "rob.col_regret_p90": {"en": "regret p90"},
    "sens.col_outcome": {"en": "outcome"},
    "sens.col_parameter": {"en": "parameter"},
    "rob.rules_title": {
        "en": "Where each strategy fails (PRIM scenario discovery)",
    },
    # comparison page (berdaya/viz/compare.py, at /compare)
    "compare.link": {"en": "Compare strategies for your village"},
    "compare.back": {"en": "Watch a village (visualizer)"},
    "compare.title": {
        "en": "Berdaya: which strategy for your village?",
    },
    "compare.intro": {
        "en": "Upload your village survey, choose the organising strategies to compare and press one button. The computer runs each strategy many times on your village and writes a report: which strategy makes the most households self-reliant, at what cost, how lasting and how sure.",
    },
    "compare.new": {"en": "New comparison"},
    "compare.step_village": {"en": "1. Your village"},
    "compare.use_survey": {"en": "Our village survey (two CSV files)"},
    "compare.use_typical": {
        "en": "A typical village (no survey): {households} households drawn at random",
    },
    "compare.households_file": {
        "en": "Households file (households.csv): one row per household",
    },
    "compare.patrons_file": {
        "en": "Patrons file (patrons.csv): one row per patron",
    },
    "compare.choose_file": {"en": "Choose the file"},
    "compare.template": {
        "en": "Download the blank survey template (households.csv, patrons.csv and an explanation of every column)",
    },
    "compare.columns": {"en": "What each column means"},
    "compare.waiting_files": {
        "en": "Upload both files; nothing runs until the survey is checked and correct.",
    },
    "compare.waiting_patrons": {"en": "Now upload patrons.csv."},
    "compare.waiting_households": {"en": "Now upload households.csv."},
    "compare.survey_error": {
        "en": "The survey has a problem; fix it in the spreadsheet, save it as CSV and upload the file again:",
    },
    "compare.where_file": {"en": "File {value}"},
    "compare.where_line": {"en": "line {value}"},
    "compare.where_column": {"en": "column {value}"},
    "compare.detail": {"en": "What the model says:"},
    "compare.why.range": {
        "en": "The value {value} in column {column} is outside what the model accepts. This column holds: {allowed}.",
    },
    "compare.why.number": {
        "en": "Column {column} holds “{value}”, which is not a number. Write a number only, without words or units. "
        "This column holds: {allowed}.",
    },
    "compare.why.blank": {
        "en": "Column {column} is empty on this line, but it must be filled in. This column holds: {allowed}.",
    },
    "compare.why.missing_column": {
        "en": "The header (the first line of the file) has no column {column}, and the model needs it. Add the column "
        "with this name; it holds: {allowed}.",
    },
    "compare.why.unknown_patron": {
        "en": "Patron “{value}” is not in patrons.csv. Every patron_id in households.csv must also be a row of "
        "patrons.csv; check the spelling or add the patron.",
    },
    "compare.village_name": {
        "en": "Name of the village (for the list of comparisons)",
    },
    "compare.step_strategies": {
        "en": "2. Strategies to compare (choose two or more)",
    },
    "compare.variants": {
        "en": "Variants of area-based organising ({n}; {chosen} chosen)",
    },
    "compare.step_settings": {"en": "3. Facilitators and runs"},
    "compare.facilitators": {
        "en": "Outside facilitators (pendamping) the NGO fields: {n}",
    },
    "compare.facilitators_note": {
        "en": "Every strategy with a programme gets this many; the baseline has none.",
    },
    "compare.runs": {"en": "Runs per strategy"},
    "compare.runs_10": {"en": "10: a quick first look"},
    "compare.runs_30": {"en": "30: recommended"},
    "compare.runs_100": {"en": "100: the surest answer, takes longest"},
    "compare.runs_note": {
        "en": "Each run is the same village with different chance events (harvests, illness) and different assumptions; more runs give a surer answer.",
    },
    "compare.decompose": {
        "en": "Also find out which of each strategy's choices make the difference (takes longer)",
    },
    "compare.estimate": {
        "en": "About {time} on this computer ({runs} runs).",
    },
    "compare.estimate_short": {
        "en": "Less than a minute on this computer ({runs} runs).",
    },
    "compare.minutes": {"en": "{n} minutes"},
    "compare.under_minute": {"en": "less than a minute"},
    "compare.start": {"en": "Start the comparison"},
    "compare.need_two": {"en": "Choose at least two strategies."},
    "compare.need_survey": {
        "en": "Upload a correct survey first, or choose a typical village.",
    },
    "compare.earlier": {"en": "Earlier comparisons"},
    "compare.none_yet": {"en": "No comparisons yet."},
    "compare.typical": {"en": "typical village"},
    "compare.open": {"en": "Open"},
    "compare.state.running": {"en": "running"},
    "compare.state.finished": {"en": "finished"},
    "compare.state.interrupted": {"en": "interrupted"},
    "compare.state.failed": {"en": "stopped with an error"},
    "compare.back_to_new": {"en": "← New comparison and the list"},
    "compare.step.runs": {
        "en": "Step 1: running every strategy on the village",
    },
    "compare.step.decomposition": {
        "en": "Step 2: finding which choices make the difference",
    },
    "compare.step.switch_points": {
        "en": "Step 3: finding where the recommendation would change",
    },
    "compare.step.default_village": {
        "en": "Step 4: running the village again with every setting at its stated value",
    },
    "compare.step.report": {
        "en": "Last step: writing the report in both languages",
    },
    "compare.done_runs": {"en": "{done} of {total} runs done"},
    "compare.keeps_running": {
        "en": "You can close this page: the comparison goes on on the computer that runs Berdaya. If that computer sleeps "
        "(a closed laptop lid), the comparison waits and carries on when it wakes; if it is switched off, open the "
        "comparison here later and continue it. Open this page again to see it.",
    },
    "compare.interrupted": {
        "en": "This comparison stopped before it finished (for example, the computer was switched off). The runs already done are kept; continuing does only the rest.",
    },
    "compare.failed": {"en": "This comparison stopped with an error:"},
    "compare.resume": {"en": "Continue this comparison"},
    "compare.finished": {"en": "Finished in {time}. The report:"},
    "compare.quick_note": {
        "en": "This is a quick first look ({n} runs per strategy): where the report says a difference is not clear, "
        "more runs may settle it. Before deciding, run the comparison again with {recommended} runs.",
    },
    "compare.failed_runs": {
        "en": "{n} of {total} runs failed and are left out of the report.",
    },
    "compare.download": {
        "en": "Download this report (one HTML file to e-mail or print)",
    },
    "compare.report_in": {"en": "Report in"},
    "compare.store": {"en": "Comparisons are kept in {folder}"},
    "compare.store_error": {
        "en": "Comparisons cannot be stored here:",
    },
    "compare.not_found": {"en": "There is no comparison {name} here."},
    "compare.households_short": {"en": "{n} households"},
    "compare.facilitators_short": {"en": "{n} facilitators"},
    "compare.runs_short": {"en": "{n} runs each"},
    "compare.about.community_managed": {
        "en": "as area-based, but the villagers' groups run the project themselves and learn management by doing.",
    },
    "compare.about.ngo_managed": {
        "en": "area-based with the NGO running the project (as in area-based; named to compare with community-managed).",
    },
    "compare.about.exit_abrupt": {
        "en": "as area-based, but the facilitators give full support until the programme ends and then leave at once.",
    },
    "compare.about.exit_phased": {
        "en": "as area-based, but support to strong groups tapers off and moves to weaker groups before the facilitators leave.",
    },
    "compare.about.exit_none": {
        "en": "as area-based, but the facilitators never leave: shows what support after the programme's end would buy.",
    },
    "compare.about.patrons_engaged": {
        "en": "as area-based, and the facilitators also approach village leaders, officials and patrons and build a forum for dialogue that makes patrons more open.",
    },
    "compare.about.patrons_ignored": {
        "en": "as area-based, but the facilitators leave patrons and leaders alone and spend all their effort on the groups.",
    },
    # survey template columns (berdaya/viz/compare.py; the same facts as docs/survey.md)
    "survey.guide_title": {"en": "Village survey template for Berdaya"},
    "survey.guide_intro": {
        "en": 'Fill in one row per household in households.csv and one row per patron in patrons.csv (the example rows show the form; replace them). Keep the column names in the first row as they are. Amounts of money are written in months of a household\'s cost of living, not in rupiah: divide the rupiah amount by what one household in the village needs to live for a month. Save from the spreadsheet as "CSV UTF-8"; commas or semicolons both work, and a decimal comma is fine with semicolons. Every hamlet must have the same number of patrons. Columns marked (may be blank) can be left empty: the model then fills them in.',
    },
    "survey.optional": {"en": "(may be blank)"},
    "survey.col.household_id": {
        "en": "a code for the household, different on every row (e.g. KRA-001)",
    },
    "survey.col.hamlet": {
        "en": "the hamlet (dusun) it lives in: the hamlet's name (Krajan) or its number (1, 2, ...)",
    },
    "survey.col.wealth": {
        "en": "savings and goods it could live on, in months of cost of living (3 = enough to live three months); 0 to {max}",
    },
    "survey.col.income": {
        "en": "income in a month compared with a month's cost of living (1 = just enough, 1.5 = half as much again); above 0, at most {max}",
    },
    "survey.col.debt": {
        "en": "what it owes its patron now, in months of cost of living; 0 to {max}",
    },
    "survey.col.patron_id": {
        "en": "the code of the patron it depends on or borrows from; must be in patrons.csv",
    },
    "survey.col.awareness": {
        "en": "how clearly it sees the unequal tie with its patron: 0 (not at all) to 1 (fully)",
    },
    "survey.col.dependency": {
        "en": "how much of its living runs through its patron: 0 to 1",
    },
    "survey.col.skills": {"en": "knowledge and skills: 0 to 1"},
    "survey.col.trust": {
        "en": "trust in the NGO's facilitators: 0 to 1",
    },
    "survey.col.x": {
        "en": "column of the house on the model's map (with y); usually left blank",
    },
    "survey.col.y": {
        "en": "row of the house on the model's map (with x); usually left blank",
    },
    "survey.col.patrons.patron_id": {
        "en": "a code for the patron, different on every row (e.g. P01)",
    },
    "survey.col.kind": {
        "en": "the kind of patron: landowner, trader, lender or supplier",
    },
    "survey.col.capital": {
        "en": "what it can lend, in months of a household's cost of living; 0 to {max}",
    },
    "survey.col.extraction": {
        "en": "the share of its clients' income it takes: {lo} to {hi} (0.3 = 30%)",
    },
    "survey.col.interest": {
        "en": "interest on its loans per month: {lo} to {hi} (0.1 = 10% a month)",
    },
    "survey.col.openness": {
        "en": "its stance towards villagers organising: 0 (against) to 1 (supportive)",
    },
    "survey.col.patrons.hamlet": {
        "en": "its hamlet; blank: the hamlet where most of its clients live",
    },
    # A server shared by a class or an office (issue 29): the token page, the queue, limits, counts. A key
    # ending in ".one" is the form for a count of one (Indonesian has a single form).
    "gate.title": {"en": "A key is needed"},
    "gate.refused": {
        "en": "This page needs the whole link, with its key (…?token=…), that the teacher or the office shared. "
        "Open that link again, or ask for it.",
    },
    "compare.state.waiting": {"en": "waiting"},
    "compare.state.cancelled": {"en": "cancelled"},
    "compare.waiting_ahead": {
        "en": "Waiting for its turn: {n} comparisons ahead of it. This computer runs {limit} at a time.",
    },
    "compare.waiting_ahead.one": {
        "en": "Waiting for its turn: 1 comparison ahead of it. This computer runs {limit} at a time.",
    },
    "compare.waiting_next": {
        "en": "Waiting for a running comparison to finish; this one is next.",
    },
    "compare.starting": {
        "en": "Starting: the computer is preparing the runs.",
    },
    "compare.cancel": {"en": "Cancel this comparison"},
    "compare.cancelled": {
        "en": "This comparison was cancelled. What it had computed is kept, and you can continue it.",
    },
    "compare.survey_checked": {
        "en": "Survey checked: {households} in {hamlets} ({names}), {patrons}.",
    },
    "compare.count.hamlets": {"en": "{n} hamlets"},
    "compare.count.hamlets.one": {"en": "{n} hamlet"},
    "compare.count.patrons": {"en": "{n} patrons per hamlet"},
    "compare.count.patrons.one": {"en": "{n} patron per hamlet"},
    "compare.households_short.one": {"en": "{n} household"},
    "compare.facilitators_short.one": {"en": "{n} facilitator"},
    "compare.runs_short.one": {"en": "{n} run each"},
    "compare.minutes.one": {"en": "{n} minute"},
    "compare.hours": {"en": "about {n} hours"},
    "compare.why.too_large": {
        "en": "This file is {value} MB; the page takes files of up to {limit} MB. Upload the survey alone, saved "
        "as CSV.",
    },
    "compare.why.too_small": {
        "en": "Hamlet {value} has too few households to organise: a self-help group needs at least {least} "
        "households of one hamlet. Upload the survey of every household (the template holds one example only).",
    },
    "compare.why.too_many": {
        "en": "The survey has {value} households; the page compares villages of up to {most}. Compare a larger "
        "village on the command line (berdaya compare).",
    },
    # --- issue 28: decision analysis (cost-effectiveness, regret, value of information, wording) ---
    "report.cost_per_additional_self_reliant_rp": {
        "en": "Cost per additional self-reliant household, end of run",
    },
    "report.comparator_short": {"en": "comparator"},
    "report.icer": {
        "en": "In money, over {comparator}, counting self-reliant households at the end of the run: {leader} cost {value} per additional self-reliant household (95% CI {ci}); {others}.",
    },
    "report.icer_alone": {
        "en": "In money, over {comparator}, counting self-reliant households at the end of the run: {leader} cost {value} per additional self-reliant household (95% CI {ci}).",
    },
    "report.icer_short": {
        "en": "In money, {leader} cost least per additional self-reliant household over {comparator}: {value}.",
    },
    "report.decision": {
        "en": "What to choose, and what to measure first",
    },
    "report.ce_lead": {
        "en": "Over {comparator}, in the same {n} plausible worlds, by the end of the run:",
    },
    "report.ce_arm": {
        "en": "{name} gave {extra} more self-reliant households per village for {cost} more: {icer} per additional household (95% CI {ci})",
    },
    "report.ce_arm_no_range": {
        "en": "{name} gave {extra} more self-reliant households per village for {cost} more: {icer} per additional household (no range: the gain may be nil)",
    },
    "report.ce_arm_no_gain": {
        "en": "{name} gave no more self-reliant households per village on average ({extra}) for {cost} more",
    },
    "report.ce_dominated": {
        "en": "Dominated (another strategy gave more self-reliant households for less money): {names}.",
    },
    "report.ce_extended": {
        "en": "Extendedly dominated (spending part of the budget on the cheaper and part on the dearer strategy beside it would give more for the same money): {names}.",
    },
    "report.ce_acceptability": {
        "en": "The best buy in more plausible worlds than any other strategy, by what one is willing to pay per additional self-reliant household: {segments} (figure below). This counts worlds, while the cost per additional household above divides means over all the worlds, which the worlds with large gains pull down: a strategy can cost less per household on average than one is willing to pay and still not be the best buy in most worlds.",
    },
    "report.ce_segment": {
        "en": "{name} from {low} to {high} (in up to {share} of the worlds)",
    },
    "report.regret_same": {
        "en": "Guarding against the worst plausible world leads to the same choice: {leader} has both the best mean and the smallest worst shortfall from the best strategy of each world ({regret}).",
    },
    "report.regret_differs": {
        "en": "Guarding against the worst plausible world changes the choice: {leader} has the best mean, but {safer} the smallest worst shortfall from the best strategy of each world ({safe_regret}, against {leader_regret}).",
    },
    "report.voi_worth": {
        "en": "Worth measuring before choosing: {parameter}. Knowing it exactly would gain on average {households} self-reliant households per village at the end of the run over choosing now (95% CI {ci}).",
    },
    "report.voi_money": {
        "en": "In money, valuing a self-reliant household at {wtp} and counting what each strategy costs, knowing it is worth {rupiah} per village (not the households times {wtp}: with costs counted, the best choice in a world can differ).",
    },
    "report.voi_change": {
        "en": "The choice would change to {strategy} if it turned out {side} {value}.",
    },
    "report.voi_change_range": {
        "en": "The choice would change to {strategy} if it turned out {side} {value} (its plausible range: {low} to {high}).",
    },
    "report.voi_below": {"en": "below"},
    "report.voi_above": {"en": "above"},
    "report.voi_unclear": {
        "en": "No single assumption is clearly worth measuring before choosing: the most valuable to know, {parameter}, might gain {households} self-reliant households per village on average, but its 95% confidence interval ({ci}) reaches nothing.",
    },
    "report.voi_none": {
        "en": "No single assumption is worth measuring before choosing: knowing any one exactly would gain on average less than one self-reliant household per village (the most: {parameter}, {households}).",
    },
    "report.wtp_axis": {
        "en": "willing to pay per additional self-reliant household (Rp million)",
    },
    "report.acceptability_axis": {
        "en": "worlds where it is the best buy",
    },
    "report.fig_acceptability": {
        "en": "Best buy, by willingness to pay",
    },
    "report.sure_min_clear": {
        "en": "With fewer than {min} runs of each strategy no difference is called clear: so few runs cannot tell a real difference from chance.",
    },
    "report.after_tiny": {
        "en": "too few households were self-reliant at programme end for a ratio to mean much in {names}",
    },
    "report.ce_status": {"en": "Verdict"},
    "report.status_frontier": {"en": "worth considering"},
    "report.status_dominated": {"en": "dominated"},
    "report.status_extendedly_dominated": {"en": "extendedly dominated"},
    "report.ce_extra_households": {
        "en": "Additional self-reliant households per village",
    },
    "report.ce_extra_cost": {"en": "Additional cost per village"},
    "report.fitness": {
        "en": "How far to trust it: this version of the model meets {met} of the {rows} field patterns it was not fitted to (the hold-out in docs/validation.md, measured at commit {commit}), so read it as a comparison of strategies under stated assumptions, not as a forecast for a village.",
    },
    "report.fitness_survey": {
        "en": "These runs start from the surveyed village in {file}.",
    },
    "report.fitness_posterior": {
        "en": "The calibrated parameters were drawn from the user's own calibration ({source}).",
    },
    "report.self_reliance_horizon": {
        "en": "Self-reliance index, end of run (mean, 0 to 1)",
    },
    "report.cutoff_note": {
        "en": "A household counts as self-reliant when its self-reliance index is {cutoff} or more; the index itself, averaged over households, is shown beside the share, since a fixed cut-off magnifies small differences in it.",
    },
    "report.switch_lead": {
        "en": "Where the choice would change (measured on {measure}): {leader} was run against {challenger} along the assumptions its lead moves with most, and along the cut-off for counting a household self-reliant.",
    },
    "report.switch_changes": {
        "en": "The lead changes hands at {parts}.",
    },
    "report.switch_at": {
        "en": "{parameter} = {value} (95% CI {ci}; plausible {low} to {high})",
    },
    "report.switch_holds": {
        "en": "It holds across the whole range of {names}.",
    },
    "report.level_field": {
        "en": "On a level field (management and the knowledge manager as in {against}, no network bonus in either, so that only whom the facilitators organise differs), {strategy} vs {against}: {difference} (95% CI {ci}; {n} paired runs of the factorial).",
    },
    "report.level_short": {
        "en": "With management, the knowledge manager and the network bonuses made equal, {strategy} differs by {parts}.",
    },
    "report.level_part": {"en": "{difference} from {against}"},
    "report.sure_missing_all": {
        "en": "Some runs have no value for a measure (undefined, e.g. no household self-reliant) and are left out of it: {parts}.",
    },
    "report.sure_missing_part": {
        "en": "{arm}, {measure}: {missing} of {total}",
    },
    "report.decomposition_all": {
        "en": "Over all {n} runs of the comparison the difference is {full}: the factorial's {replicates} worlds are the comparison's first {replicates}, so its total differs by chance.",
    },
    "report.spread": {
        "en": "Across the plausible worlds, the middle half of the runs ended the programme with: {parts}.",
    },
    "report.spread_arm": {"en": "{name} {low} to {high}"},
    "report.default_village": {
        "en": "With every assumption at its stated value instead of drawn ({n} runs per strategy, on the villages of "
        "the first {n} worlds), self-reliant at programme end: {parts}.",
    },
    "report.default_village_arm": {
        "en": "{name} {default} (all worlds: median {median}, mean {mean})",
    },
    "report.default_village_same": {
        "en": "With the stated values, as across the worlds, {held} comes first.",
    },
    "report.default_village_differs": {
        "en": "With the stated values {held} comes first, across the worlds {drawn}; the recommendation rests on the "
        "worlds.",
    },
    "report.default_village_unclear": {
        "en": "With the stated values {held} is not clearly ahead of {next} ({n} runs each).",
    },
    "report.spread_split": {
        "en": "{name} is split between worlds: in {nothing} of them almost nobody was self-reliant at programme end, in {most} most households were; its mean describes neither.",
    },
    "report.detail_zero": {
        "en": "{a} vs {b}: {difference} (95% CI {ci}), {verdict}; {b} had no self-reliant household in any run, so this says only that {a} had some in {share} of the runs.",
    },
    # --- the referee's review of issue 28's report: time points, total cost, plain wording ---
    "report.icer_short_when": {
        "en": "In money, counting self-reliant households at the end of the run (not at programme end), {leader} cost least per additional self-reliant household over {comparator}: {value}.",
    },
    "report.total_cost": {
        "en": "Total programme cost per village: {parts}.",
    },
    "report.same_effort": {
        "en": "Every strategy with facilitators used the same {months} facilitator-months, so facilitator-months per self-reliant household only restate the effect; what differs is the money.",
    },
    "report.source_equalised": {
        "en": "With the settings made equal, {strategy} is not clearly ahead of {against} ({level}): its lead comes from the settings in which the two differ ({settings}), the largest share from {factor} ({contribution}, in the breakdown's {n} worlds).",
    },
    "report.source_equalised_one": {
        "en": "With the settings made equal, {strategy} is not clearly ahead of {against} ({level}): its lead comes from the one setting in which the two differ, {factor} ({contribution}, in the breakdown's {n} worlds).",
    },
    "report.source_reach": {
        "en": "With the network bonuses set to zero in both, {strategy} is not clearly ahead of {against} ({level}). Both run the project the same way and organise through the same enterprise networks; {strategy}'s lead is what the networks' bonuses add to it beyond what they add to {against} ({contribution}, in the breakdown's {n} worlds).",
    },
    "report.source_main": {
        "en": "Of {strategy}'s lead over {against} (in the breakdown's {n} worlds), the largest share is that of {factor} ({contribution}).",
    },
    "report.source_interactions": {
        "en": "These shares already hold what settings add when they act together, shared between the two: {parts}.",
    },
    "report.source_interaction_part": {
        "en": "{factor} {contribution}",
    },
    "report.fitness_failed": {
        "en": "The field patterns it misses (in at least one strategy): {parts}.",
    },
    "pattern.jeevika_informal_borrowing": {
        "en": "informal borrowing falling by about 15% in two years (JEEViKA, India)",
    },
    "pattern.jeevika_moneylender_rate": {
        "en": "moneylenders lowering their rates (by about 16%, JEEViKA)",
    },
    "pattern.jeevika_no_consumption_effect": {
        "en": "no change in consumption after two years (JEEViKA)",
    },
    "pattern.nepal_paf_consumption": {
        "en": "participants consuming 8 to 35% more after two years (Nepal's poverty fund)",
    },
    "pattern.graduation_gains_grow": {
        "en": "consumption gains growing after the programme ends (West Bengal graduation programme)",
    },
    "pattern.graduation_gains_7y": {
        "en": "participants consuming 10 to 40% more years after the programme (West Bengal)",
    },
    "report.sure_sum_spread": {
        "en": "Outcomes differ widely between plausible worlds: the middle half of the runs ended the programme with {parts} of households self-reliant.",
    },
    "report.sure_sum_mean": {
        "en": "Each run drew the {k} unmeasured assumptions anew; a 95% confidence interval in the table is where the mean of many such runs would lie, not the range of outcomes."
    },
    # plain names of the unmeasured assumptions the report may name (hinges, switch points, value of information)
    "param.group_visit_cost": {"en": "Time one group visit takes"},
    "param.internal_awareness": {"en": "Awareness needed to become a member facilitator"},
    "param.internal_capacity": {"en": "Contacts a member facilitator makes a month"},
    "param.internal_skills": {"en": "Skills needed to become a member facilitator"},
    "param.internal_support": {"en": "Support a member facilitator gives its group"},
    "param.module_gain": {"en": "Training modules written per month"},
    "param.networking_gain": {"en": "Patrons opening up under networking"},
    "param.stage_months": {"en": "Work to move a place one organising stage on"},
    "param.cohesion_rate": {"en": "Speed at which group cohesion follows benefits"},
    "param.copy_founding": {"en": "Chance that neighbours copy a working group"},
    "param.dissolve_months": {"en": "Months of low cohesion before a group dissolves"},
    "param.federation_cohesion": {"en": "Cohesion bonus of a federation link"},
    "param.forming_months": {"en": "Months a new group spends forming"},
    "param.group_credit_limit": {"en": "Most a member may owe its group fund"},
    "param.join_awareness": {"en": "Awareness needed to join a group"},
    "param.management_decay": {"en": "Loss of group management without practice"},
    "param.market_decay": {"en": "Loss of market access without support"},
    "param.ngo_management_support": {"en": "Management the NGO supplies to its groups"},
    "param.spontaneous_founding": {"en": "Chance a group is founded with no facilitator"},
    "param.awareness_decay": {"en": "Fall of awareness without use"},
    "param.awareness_mean": {"en": "Households' awareness at the start"},
    "param.borrow_dependency": {"en": "Dependency added by borrowing from the patron"},
    "param.buffer_stock": {"en": "Savings a household aims to hold"},
    "param.concentration": {"en": "How alike households are at the start"},
    "param.consumption_floor": {"en": "Least a household consumes"},
    "param.consumption_mpc": {"en": "Share of extra wealth spent each month"},
    "param.default_dependency": {"en": "Dependency added when a client defaults"},
    "param.default_limit": {"en": "Debt at which a client defaults"},
    "param.dependency_mean": {"en": "Households' dependency on patrons at the start"},
    "param.household_management_mean": {"en": "Households' own management at the start"},
    "param.land_income_share": {"en": "Share of income from land"},
    "param.management_transfer": {"en": "Management members take home from their group"},
    "param.pawn_months": {"en": "Months for pawned land to return"},
    "param.pawn_share": {"en": "Share of land pawned on default"},
    "param.repay_share": {"en": "Share of spare cash put towards debt"},
    "param.skills_decay": {"en": "Fall of skills without use"},
    "param.skills_mean": {"en": "Households' skills at the start"},
    "param.trust_initial": {"en": "Trust in the facilitator at the start"},
    "param.wealth_mean": {"en": "Households' wealth at the start"},
    "param.ecotourism_channel": {"en": "Ecotourism members at which income per member halves"},
    "param.ecotourism_cohesion": {"en": "Cohesion bonus of ecotourism groups"},
    "param.ecotourism_min_members": {"en": "Members ecotourism needs before it earns"},
    "param.organic_channel": {"en": "Organic-market members at which the premium halves"},
    "param.organic_release": {"en": "Second sales channel of the organic market"},
    "param.radio_reach": {"en": "Distance the community radio reaches"},
    "param.radio_saturation": {"en": "Diminishing returns of the community radio"},
    "param.cooperative_openness": {"en": "Openness at which a patron cooperates"},
    "param.interlinked_share": {"en": "Share of credit needs only the patron serves"},
    "param.openness_concentration": {"en": "How alike patrons are in openness"},
    "param.openness_extraction_effect": {"en": "Cut in extraction by an open patron"},
    "param.organised_rate_penalty": {"en": "Higher rate a resistant patron charges group members"},
    "param.patron_insurance": {"en": "Share of a shock the patron covers"},
    "param.rate_competition": {"en": "Cut in patrons' rates where group funds lend"},
    "param.season_amplitude": {"en": "Seasonal swing of income"},
    "param.shock_size": {"en": "Wealth lost to one shock"},
    "param.self_reliance_threshold": {"en": "Cut-off for counting a household self-reliant"},
    "report.sure_too_few_named": {
        "en": "Below, an assumption is named only where its plain rank correlation with the lead is clear even after allowing for {k} tests.",
    },
    "report.sure_too_few_none": {
        "en": "No assumption's plain rank correlation with the lead is clear after allowing for {k} tests, so none is named.",
    },
    "report.ce_segment_switch": {
        "en": "the best buy changes somewhere between {a} and {b}",
    },
    "report.ce_grid": {
        "en": "The curve was computed at {k} points from {low} to {high}, so the ends of these ranges are grid points, and nothing is said beyond {high}.",
    },
    "report.tiny_base_short": {
        "en": "too few at programme end for a ratio",
    },
    "report.fitness_met": {
        "en": "Those it meets in every strategy: {parts}.",
    },
}


LOCALE = Path(__file__).with_name("locale")
DOMAIN = "berdaya"


def catalogue_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled(po: Path) -> gettext.GNUTranslations:
    """The catalogue as gettext reads it, from its ``.mo``: compiled first (Babel) when that is missing or
    older than the ``.po``; kept in memory where the folder cannot be written (an installed package)."""
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as source:
            catalog = read_po(source, domain=DOMAIN)
        data = io.BytesIO()
        write_mo(data, catalog, use_fuzzy=False)
        try:
            write_atomic(mo, lambda path: path.write_bytes(data.getvalue()))
        except FileFault:
            return gettext.GNUTranslations(io.BytesIO(data.getvalue()))
    with mo.open("rb") as compiled_file:
        return gettext.GNUTranslations(compiled_file)


class _Untranslated(gettext.NullTranslations):
    def pgettext(self, context, message):
        return None


def _translate(lang: str) -> None:
    """Fill ``LABELS[key][lang]`` from the catalogue where the code does not (yet) carry it."""
    catalogue = compiled(catalogue_path(lang))
    catalogue.add_fallback(_Untranslated())
    for key, labels in LABELS.items():
        translated = catalogue.pgettext(key, labels["en"])
        if lang not in labels and translated is not None:
            labels[lang] = translated


for _lang in LANGUAGES[1:]:
    _translate(_lang)


def t(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang``: in English while untranslated (tests/test_i18n.py fails on that);
    an unknown key or language is a programming error."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    labels = LABELS[key]
    return labels.get(lang, labels["en"])

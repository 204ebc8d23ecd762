"""The strategist's page at ``/compare``: from a village survey to a comparison report, in the browser.

For NGO programme officers who will not open a terminal. The page checks an uploaded
survey with the model's own reader (``sim.survey``) and shows its first error (file, line,
column); only a correct survey (or the typical village) can be compared. Pressing Start
writes a comparison folder in the store and starts ``berdaya compare`` on it in a process
of its own (``berdaya.viz.jobs``); everything shown afterwards is read back from that
folder, so a closed tab, a reload or a closed laptop lid loses nothing. The address holds
the language and the comparison on screen (``?lang=id&job=NAME``), so a reload or a shared
link shows the same thing.

On a shared server (``berdaya viz --host``) each browser sees the comparisons it started
(its ``berdaya_owner`` cookie, ``berdaya.viz.gate``) and those opened from a link it was
given, unless ``--shared``; nothing the page sends is trusted (``jobs.create`` checks every
field); an upload larger than ``--max-upload-mb`` is refused before it is read, and read
to disk in pieces; the page shows no path of the host, and the report runs no script.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import solara
import solara.lab
import traitlets
from ipyvuetify.extra import FileInput

from analysis.fmt import number
from analysis.i18n import LABELS, LANGUAGES, t
from analysis.report import about
from analysis.verdict import name as arm_name
from berdaya.viz import jobs
from berdaya.viz.controls import scenario_label
from berdaya.viz.gate import OWNER_COOKIE, owner_key
from sim.errors import InputError
from sim.files import read_text
from sim.params import STRATEGIES, bounds, fields
from sim.scenario import SCENARIO_DIR
from sim.survey import (
    HOUSEHOLD_OPTIONAL,
    HOUSEHOLD_REQUIRED,
    MAX_CAPITAL,
    MAX_INCOME,
    MAX_WEALTH,
    PATRON_FILE,
    PATRON_OPTIONAL,
    PATRON_REQUIRED,
)

LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}
EXAMPLE = SCENARIO_DIR / "survey_example"
POLL_S = 1.0  # how often a page showing a running comparison reads its folder again
CSS = """
.cmp-page { font-size: 15px; line-height: 1.45; color: #222; }
.cmp-top { display: flex; align-items: center; gap: 8px 12px; padding: 6px 12px; background: #1f4e9c; color: #fff;
  flex-wrap: wrap; }
.cmp-top .cmp-title { font-size: 18px; font-weight: 600; flex: 1 1 auto; min-width: 0; }
.cmp-top a { color: #fff; }
.cmp-main { max-width: 920px; padding: 8px 16px 32px; box-sizing: border-box; width: 100%; }
.cmp-main h2 { font-size: 19px; margin: 18px 0 6px; }
.cmp-main h3 { font-size: 16px; margin: 14px 0 4px; }
.cmp-step { border: 1px solid #dde; border-radius: 6px; padding: 8px 12px; margin: 10px 0; background: #fafbfd; }
.cmp-strategy { margin: 4px 0 8px; }
.cmp-strategy .v-input { margin-top: 0; padding-top: 0; }
.cmp-strategy .v-messages { display: none; }
.cmp-explain { color: #444; font-size: 14px; margin: -6px 0 6px 32px; }
.cmp-note { color: #555; font-size: 14px; }
.cmp-ok { background: #eaf6ea; border-left: 4px solid #2ca02c; padding: 6px 10px; margin: 6px 0; }
.cmp-error { background: #fdecea; border-left: 4px solid #c62828; padding: 6px 10px; margin: 6px 0; }
.cmp-error code { white-space: pre-wrap; word-break: break-word; }
.cmp-why { font-weight: 600; margin: 4px 0; }
.cmp-item { border-bottom: 1px solid #e4e6ea; padding: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 10px;
  align-items: center; }
.cmp-item .what { flex: 1 1 300px; min-width: 0; }
.cmp-state { font-weight: 600; }
.cmp-state.running { color: #1f4e9c; } .cmp-state.finished { color: #2a7a2a; }
.cmp-state.interrupted, .cmp-state.failed { color: #b35900; }
.cmp-report { width: 100%; height: 78vh; border: 1px solid #ccd; box-sizing: border-box; }
.cmp-columns td { vertical-align: top; padding: 2px 6px; } .cmp-columns code { white-space: nowrap; }
.cmp-upload { margin: 6px 0 2px; }
.cmp-page .v-btn { text-transform: none; letter-spacing: normal; max-width: 100%; }
.cmp-page .v-btn__content { white-space: normal; flex: 1 1 auto; min-width: 0; }
.cmp-page .v-btn:not(.v-btn--round).v-size--default { height: auto; min-height: 36px; padding-top: 4px;
  padding-bottom: 4px; }
@media (max-width: 600px) { .cmp-main { padding: 6px 8px 24px; } .cmp-top .cmp-title { font-size: 16px; } }
"""

# One browser tab's state; the language and the comparison on screen live in the address.
village_mode = solara.reactive("survey")  # "survey" or "typical"
uploads = solara.reactive(frozenset())  # the survey files uploaded so far
check = solara.reactive(None)  # None, a jobs.Village, or the survey's first InputError
village_name = solara.reactive("")
chosen = solara.reactive(list(STRATEGIES))
facilitators = solara.reactive(jobs.default_facilitators())
replicates = solara.reactive(jobs.RUN_CHOICES[1])
decompose = solara.reactive(True)
problem = solara.reactive("")  # why the last Start did not start
upload_folder = solara.reactive("")
SAVING = threading.Lock()


def address(lang: str, job: str = "") -> str:
    return "compare?" + urlencode({"lang": lang, **({"job": job} if job else {})})


def counted(key: str, n: int, lang: str, **more) -> str:
    """A count in words with the right form: ``1 household``, ``2 households`` (the ``.one`` label for one)."""
    return t(f"{key}.one" if n == 1 and f"{key}.one" in LABELS else key, lang).format(n=n, **more)


def duration(seconds: float, lang: str) -> str:
    if seconds < 60:
        return t("compare.under_minute", lang)
    if seconds >= 5400:
        return t("compare.hours", lang).format(n=round(seconds / 3600))
    return counted("compare.minutes", max(1, round(seconds / 60)), lang)


def upload_limit_mb() -> int:
    """``berdaya viz --max-upload-mb``: the largest survey file the page takes."""
    given = os.environ.get(jobs.UPLOAD_VARIABLE, "")
    return int(given) if given.isdigit() and int(given) > 0 else jobs.MAX_UPLOAD_MB


def owner() -> str:
    """This browser's key (the hash of its ``berdaya_owner`` cookie), "" when it sent none."""
    return owner_key((solara.lab.cookies.value or {}).get(OWNER_COOKIE))


def visible_to() -> str | None:
    """Whose comparisons the list shows: this browser's (``owner()``), or everyone's (None) with ``--shared``."""
    return None if os.environ.get(jobs.SHARED_VARIABLE) == "1" else owner()


def shown_path(text: str, store: Path) -> str:
    """A message with the host's folders taken out: the store and its parents are named by the store's name."""
    return text.replace(str(store.parent) + os.sep, "").replace(str(Path(tempfile.gettempdir())) + os.sep, "")


def strategy_text(arm: str, lang: str) -> str:
    """What a strategy is in plain words: the report's own sentence for the four strategies, and for a
    variant what it changes (its settings alone read the same for every area-based variant)."""
    if f"compare.about.{arm}" in LABELS:
        return t(f"compare.about.{arm}", lang)
    return about(arm, jobs.scenario_params(arm), lang).removeprefix(arm_name(arm, lang) + ": ")


def column_help(lang: str) -> dict[str, list[tuple[str, bool, str]]]:
    """(column, may be blank, what it means) for each survey file, with the limits the reader checks."""
    limits = {
        "wealth": {"max": number(MAX_WEALTH, lang, 0)},
        "income": {"max": number(MAX_INCOME, lang, 0)},
        "debt": {"max": number(fields()["default_limit"].default, lang, 0)},
        "capital": {"max": number(MAX_CAPITAL, lang, 0)},
        "extraction": dict(zip(("lo", "hi"), (number(v, lang, 1) for v in bounds("extraction")))),
        "interest": dict(zip(("lo", "hi"), (number(v, lang, 1) for v in bounds("patron_interest")))),
    }

    def rows(required: tuple[str, ...], optional: tuple[str, ...], own: str) -> list[tuple[str, bool, str]]:
        found = []
        for column in required + optional:
            key = f"survey.col.{own}{column}" if f"survey.col.{own}{column}" in LABELS else f"survey.col.{column}"
            found.append((column, column in optional, t(key, lang).format(**limits.get(column, {}))))
        return found

    return {
        jobs.HOUSEHOLDS_FILE: rows(HOUSEHOLD_REQUIRED, HOUSEHOLD_OPTIONAL, ""),
        PATRON_FILE: rows(PATRON_REQUIRED, PATRON_OPTIONAL, "patrons."),
    }


# The survey errors an officer meets most: a pattern of the reader's own message and the sentence that says it
# plainly. The reader (sim.survey) stays the one place that checks; this only rewords what it found.
PLAIN_ERRORS = (
    (re.compile(r"= (?P<value>\S+) is (?:out of range|negative);"), "compare.why.range"),
    (re.compile(r"'(?P<value>.*)' is not a (?:finite )?number"), "compare.why.number"),
    (re.compile(r"missing value"), "compare.why.blank"),
    (re.compile(r"missing required columns? "), "compare.why.missing_column"),
    (re.compile(r"patron '(?P<value>[^']*)' is not in"), "compare.why.unknown_patron"),
    (re.compile(r"is (?P<value>[0-9.]+) MB; the page takes files of up to (?P<limit>\d+) MB"), "compare.why.too_large"),
    (
        re.compile(r"hamlet (?P<value>.*) has .*, too few to organise.* at least (?P<least>\d+)"),
        "compare.why.too_small",
    ),
    (
        re.compile(r"has (?P<value>[0-9,]+) households; the comparison page takes at most (?P<most>[0-9,]+)"),
        "compare.why.too_many",
    ),
)


def plain_error(error: InputError, lang: str) -> str:
    """The survey's error as a sentence in the page's language with what its column allows; "" for a rarer error."""
    allowed = dict((column, text) for column, _, text in column_help(lang).get(Path(error.file or "").name, []))
    for pattern, key in PLAIN_ERRORS:
        found = pattern.search(str(error))
        if found and (error.field in allowed or error.field is None):
            return t(key, lang).format(column=error.field, allowed=allowed.get(error.field, ""), **found.groupdict())
    return ""


def template_zip(lang: str) -> bytes:
    """The blank survey: both files with their header and the example's first row, and a guide to every column."""
    guide = [t("survey.guide_title", lang), "", t("survey.guide_intro", lang)]
    for file, rows in column_help(lang).items():
        guide += ["", file]
        guide += [
            f"  {column}{' ' + t('survey.optional', lang) if blank else ''}: {text}" for column, blank, text in rows
        ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in (jobs.HOUSEHOLDS_FILE, PATRON_FILE):
            archive.writestr(file, "\n".join(read_text(EXAMPLE / file).splitlines()[:2]) + "\n")
        archive.writestr("PETUNJUK.txt" if lang == "id" else "GUIDE.txt", "\n".join(guide) + "\n")
    return buffer.getvalue()


def read_address(search: str | None) -> tuple[str, str]:
    query = parse_qs(search or "")
    lang = query.get("lang", ["en"])[0]
    return (lang if lang in LANGUAGES else "en"), query.get("job", [""])[0]


def store() -> tuple[Path | None, str]:
    try:
        return jobs.store_folder(), ""
    except InputError as error:
        return None, str(error)


def too_large(file: str, size: int) -> InputError | None:
    """The refusal of a file larger than the page takes (its size as the browser declares it), else None."""
    limit = upload_limit_mb()
    if size <= limit * 1_000_000:
        return None
    return InputError(f"is {size / 1e6:.1f} MB; the page takes files of up to {limit} MB", file=file)


def save_upload(file: str, data: bytes | io.RawIOBase) -> None:
    """Keep an uploaded file under its survey name and check the survey once both files are there.

    ``data`` is read to disk in pieces of a megabyte, never whole into memory, and at most the
    upload limit of it (a browser that declared less and sends more is cut off and refused). The
    two files arrive in two threads at once; one at a time, so neither upload is lost."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    limit = upload_limit_mb() * 1_000_000
    with SAVING:
        if not (upload_folder.value and Path(upload_folder.value).is_dir()):  # the first upload, or it was forgotten
            upload_folder.set(tempfile.mkdtemp(prefix="berdaya-upload-"))
            uploads.set(frozenset())
        folder = Path(upload_folder.value)
        written = 0
        with open(folder / file, "wb") as out:
            while written <= limit and (piece := source.read(1 << 20)):
                out.write(piece)
                written += len(piece)
        if written > limit:
            (folder / file).unlink()
            uploads.set(uploads.value - {file})
            check.set(too_large(file, written))
            return
        uploads.set(uploads.value | {file})
        recheck()


def forget_uploads():
    """Remove a tab's uploaded files when its session ends: a comparison keeps its own copy (``village/``)."""
    return lambda: upload_folder.value and shutil.rmtree(upload_folder.value, ignore_errors=True)


solara.lab.on_kernel_start(forget_uploads)


def recheck() -> None:
    if set(uploads.value) != {jobs.HOUSEHOLDS_FILE, PATRON_FILE}:
        check.set(None)
        return
    folder = Path(upload_folder.value)
    try:
        check.set(jobs.read_village(folder))
    except InputError as error:
        check.set(error)


def begin(router, lang: str) -> None:
    """Write the comparison's folder, start it in the background and show it."""
    folder, failure = store()
    village = check.value if village_mode.value == "survey" else None
    try:
        if folder is None:
            raise InputError(failure)
        if village_mode.value == "survey" and not isinstance(village, jobs.Village):
            raise InputError(t("compare.need_survey", lang))
        created = jobs.create(
            folder,
            strategies=[s for s in jobs.strategy_choices() if s in chosen.value],
            facilitators=facilitators.value,
            replicates=replicates.value,
            decompose=decompose.value,
            lang=lang,
            village=village,
            village_name=village_name.value,
            owner=owner(),
        )
        jobs.start(created)
    except InputError as error:
        problem.set(shown_path(str(error), folder) if folder else str(error))
        return
    problem.set("")
    router.push(address(lang, created.name))


@solara.component
def Page():
    router = solara.use_router()
    lang, job = read_address(router.search)
    solara.Title(t("compare.title", lang))
    solara.Style(CSS)
    folder, failure = store()
    with solara.Column(gap="0px", classes=["cmp-page"], style={"padding": "0"}):
        TopBar(lang, job, router)
        with solara.Column(gap="4px", classes=["cmp-main"]):
            if folder is None:
                with solara.v.Html(tag="div", class_="cmp-error"):
                    solara.v.Html(tag="b", children=[t("compare.store_error", lang) + " "])
                    solara.v.Html(tag="code", children=[shown_path(failure, jobs.store_path())])
                return
            if job:
                solara.Button(
                    t("compare.back_to_new", lang),
                    on_click=lambda: router.push(address(lang)),
                    text=True,
                    color="primary",
                    classes=["cmp-back"],
                    style={"align-self": "flex-start"},
                )
                Comparison(folder, job, lang)
            else:
                solara.v.Html(tag="p", children=[t("compare.intro", lang)])
                NewComparison(folder, lang, router)
                Earlier(folder, lang, router)
            solara.v.Html(tag="p", class_="cmp-note", children=[t("compare.store", lang).format(folder=folder.name)])


@solara.component
def TopBar(lang: str, job: str, router):
    with solara.v.Html(tag="div", class_="cmp-top"):
        solara.v.Html(tag="div", class_="cmp-title", children=[t("compare.title", lang)])
        solara.v.Html(
            tag="a",
            attributes={"href": "./?" + urlencode({"lang": lang})},
            class_="cmp-to-viz",
            children=[t("compare.back", lang)],
        )
        solara.v.BtnToggle(
            v_model=LANGUAGES.index(lang),
            on_v_model=lambda i: i is not None and router.push(address(LANGUAGES[i], job)),
            mandatory=True,
            dense=True,
            class_="cmp-language",
            children=[solara.v.Btn(children=[LANGUAGE_NAMES[code]], small=True) for code in LANGUAGES],
        )


class CsvInput(FileInput):
    """ipyvuetify's file field with a label in the page's language (its own has none)."""

    label = traitlets.Unicode().tag(sync=True)
    template = traitlets.Unicode(
        FileInput.template.default_value.replace("<v-file-input", '<v-file-input :label="label" outlined dense', 1)
    ).tag(sync=True)


@solara.component
def CsvUpload(file: str, label: str, lang: str):
    """A "choose file" field for one survey file; its bytes go to ``save_upload`` under the survey's file name."""
    info, set_info = solara.use_state(None)
    wired, set_wired = solara.use_state(None)
    widget = CsvInput.element(
        multiple=False,
        accept=".csv,text/csv",
        on_file_info=set_info,
        show_progress=False,
        label=t("compare.choose_file", lang),
    )

    def wire():
        if info:
            refused = too_large(file, int(info[0].get("size", 0)))
            if refused:  # before a byte of it is read
                with SAVING:
                    uploads.set(uploads.value - {file})
                    check.set(refused)
                return
            real = solara.get_widget(widget)
            real.version += 1
            real.reset_stats()
            set_wired(real.get_files())

    solara.use_effect(wire, [info])

    def read(cancel: threading.Event) -> None:
        if wired:
            save_upload(file, wired[0]["file_obj"])

    solara.use_thread(read, [wired])
    with solara.v.Html(tag="div", class_=f"cmp-upload cmp-upload-{file.split('.')[0]}"):
        solara.v.Html(tag="b", children=[label])
        solara.v.Html(tag="div", children=[widget])


@solara.component
def SurveyCheck(lang: str):
    found = check.value
    missing = {jobs.HOUSEHOLDS_FILE, PATRON_FILE} - set(uploads.value)
    if isinstance(found, jobs.Village):
        text = t("compare.survey_checked", lang).format(
            households=counted("compare.households_short", found.n_households, lang),
            hamlets=counted("compare.count.hamlets", len(found.hamlet_names), lang),
            names=", ".join(found.hamlet_names),
            patrons=counted("compare.count.patrons", found.patrons_per_hamlet, lang),
        )
        solara.v.Html(tag="div", class_="cmp-ok cmp-survey-ok", children=[text])
    elif isinstance(found, InputError):
        where = [
            t(f"compare.where_{part}", lang).format(value=value)
            for part, value in (("file", Path(found.file or "").name), ("line", found.line), ("column", found.field))
            if value
        ]
        with solara.v.Html(tag="div", class_="cmp-error cmp-survey-error"):
            solara.v.Html(tag="div", children=[t("compare.survey_error", lang)])
            solara.v.Html(tag="div", class_="cmp-where", children=[" · ".join(where)])
            if plain := plain_error(found, lang):
                solara.v.Html(tag="div", class_="cmp-why", children=[plain])
            solara.v.Html(tag="div", children=[t("compare.detail", lang)])
            solara.v.Html(tag="code", children=[jobs.short_error(found, Path(upload_folder.value or "."))])
    elif len(missing) == 1:
        key = "compare.waiting_patrons" if PATRON_FILE in missing else "compare.waiting_households"
        solara.v.Html(tag="div", class_="cmp-note", children=[t(key, lang)])
    else:
        solara.v.Html(tag="div", class_="cmp-note", children=[t("compare.waiting_files", lang)])


@solara.component
def Columns(lang: str):
    with solara.Details(summary=t("compare.columns", lang)):
        for file, rows in column_help(lang).items():
            solara.v.Html(tag="h3", children=[file])
            with solara.v.Html(tag="table", class_="cmp-columns"):
                for column, blank, text in rows:
                    with solara.v.Html(tag="tr"):
                        solara.v.Html(tag="td", children=[solara.v.Html(tag="code", children=[column])])
                        solara.v.Html(tag="td", children=[text + (" " + t("survey.optional", lang) if blank else "")])


@solara.component
def NewComparison(folder: Path, lang: str, router):
    offered = jobs.strategy_choices()
    picked = [s for s in offered if s in chosen.value]
    solara.v.Html(tag="h2", children=[t("compare.new", lang)])
    with solara.v.Html(tag="div", class_="cmp-step cmp-village"):
        solara.v.Html(tag="h3", children=[t("compare.step_village", lang)])
        typical = round(fields()["width"].default * fields()["height"].default * fields()["density"].default)
        solara.v.RadioGroup(
            v_model=village_mode.value,
            on_v_model=village_mode.set,
            dense=True,
            hide_details=True,
            children=[
                solara.v.Radio(label=t("compare.use_survey", lang), value="survey"),
                solara.v.Radio(label=t("compare.use_typical", lang).format(households=typical), value="typical"),
            ],
        )
        if village_mode.value == "survey":
            solara.FileDownload(
                lambda: template_zip(lang),
                filename=f"template-survei-berdaya-{lang}.zip",
                label=t("compare.template", lang),
            )
            Columns(lang)
            CsvUpload(jobs.HOUSEHOLDS_FILE, t("compare.households_file", lang), lang)
            CsvUpload(PATRON_FILE, t("compare.patrons_file", lang), lang)
            SurveyCheck(lang)
        solara.InputText(t("compare.village_name", lang), value=village_name, continuous_update=True)
    with solara.v.Html(tag="div", class_="cmp-step cmp-strategies"):
        solara.v.Html(tag="h3", children=[t("compare.step_strategies", lang)])
        for arm in offered[: len(STRATEGIES)]:
            StrategyChoice(arm, offered, picked, lang)
        variants = offered[len(STRATEGIES) :]
        with solara.Details(
            summary=t("compare.variants", lang).format(n=len(variants), chosen=sum(v in picked for v in variants))
        ):
            for arm in variants:
                StrategyChoice(arm, offered, picked, lang)
    with solara.v.Html(tag="div", class_="cmp-step cmp-settings"):
        solara.v.Html(tag="h3", children=[t("compare.step_settings", lang)])
        lo, hi = jobs.facilitator_range()
        solara.v.Html(tag="div", children=[t("compare.facilitators", lang).format(n=facilitators.value)])
        solara.v.Slider(
            v_model=facilitators.value,
            on_v_model=lambda v: facilitators.set(int(v)),
            min=lo,
            max=hi,
            step=1,
            hide_details=True,
            class_="cmp-facilitators",
        )
        solara.v.Html(tag="div", class_="cmp-note", children=[t("compare.facilitators_note", lang)])
        solara.v.Html(tag="div", style_="margin-top: 10px", children=[t("compare.runs", lang)])
        solara.v.RadioGroup(
            v_model=replicates.value,
            on_v_model=replicates.set,
            dense=True,
            hide_details=True,
            class_="cmp-runs",
            children=[solara.v.Radio(label=t(f"compare.runs_{n}", lang), value=n) for n in jobs.RUN_CHOICES],
        )
        solara.v.Html(tag="div", class_="cmp-note", children=[t("compare.runs_note", lang)])
        solara.Checkbox(label=t("compare.decompose", lang), value=decompose)
    runs = jobs.estimate_runs(picked, replicates.value, decompose.value)
    village = check.value if village_mode.value == "survey" and isinstance(check.value, jobs.Village) else None
    seconds = jobs.estimate_seconds(folder, picked, replicates.value, decompose.value, village)
    blocked = (
        t("compare.need_two", lang)
        if len(picked) < 2
        else t("compare.need_survey", lang)
        if village_mode.value == "survey" and not isinstance(check.value, jobs.Village)
        else ""
    )
    solara.v.Html(
        tag="p",
        class_="cmp-estimate",
        children=[
            t("compare.estimate" if seconds >= 60 else "compare.estimate_short", lang).format(
                time=duration(seconds, lang), runs=runs
            )
        ],
    )
    solara.Button(
        t("compare.start", lang),
        on_click=lambda: begin(router, lang),
        color="primary",
        disabled=bool(blocked),
        classes=["cmp-start"],
    )
    if problem.value:
        solara.v.Html(tag="div", class_="cmp-error cmp-refused", children=[problem.value])
    elif blocked:
        solara.v.Html(tag="div", class_="cmp-note cmp-blocked", children=[blocked])


@solara.component
def StrategyChoice(arm: str, offered: list[str], picked: list[str], lang: str):
    with solara.v.Html(tag="div", class_="cmp-strategy"):
        solara.Checkbox(
            label=scenario_label(arm, lang),
            value=arm in picked,
            on_value=lambda on: chosen.set(
                [s for s in offered if (s in chosen.value and s != arm) or (on and s == arm)]
            ),
        )
        solara.v.Html(tag="div", class_="cmp-explain", children=[strategy_text(arm, lang)])


def use_poll(active: bool) -> int:
    """A counter that goes up every ``POLL_S`` while ``active``: re-reads the store for a running comparison."""
    tick, set_tick = solara.use_state(0)

    def poll(cancel: threading.Event) -> None:
        while active and not cancel.wait(POLL_S):
            set_tick(lambda n: n + 1)

    solara.use_thread(poll, [active])
    return tick


def summary(job: dict, lang: str) -> str:
    village = job.get("village") or t("compare.typical", lang)
    if job.get("households"):
        village += " · " + counted("compare.households_short", job["households"], lang)
    strategies = ", ".join(scenario_label(s, lang) for s in job.get("strategies", []))
    return " · ".join(
        [
            job.get("created", "").replace("T", " ")[:16],
            village,
            strategies,
            counted("compare.facilitators_short", job.get("facilitators"), lang),
            counted("compare.runs_short", job.get("replicates"), lang),
        ]
    )


@solara.component
def Earlier(folder: Path, lang: str, router):
    found = jobs.comparisons(folder, visible_to())
    use_poll(any(c.state in (jobs.RUNNING, jobs.WAITING_STATE) for c in found))
    solara.v.Html(tag="h2", children=[t("compare.earlier", lang)])
    if not found:
        solara.v.Html(tag="p", class_="cmp-note", children=[t("compare.none_yet", lang)])
    for item in found:
        with solara.v.Html(tag="div", class_="cmp-item"):
            solara.v.Html(
                tag="span", class_=f"cmp-state {item.state}", children=[t(f"compare.state.{item.state}", lang)]
            )
            solara.v.Html(tag="span", class_="what", children=[summary(item.job, lang)])
            solara.Button(
                t("compare.open", lang),
                small=True,
                outlined=True,
                color="primary",
                on_click=lambda name=item.name: router.push(address(lang, name)),
            )


@solara.component
def Comparison(folder: Path, name: str, lang: str):
    shown, set_shown = solara.use_state(lang)
    refused, set_refused = solara.use_state("")
    starts, set_starts = solara.use_state(0)  # a resume re-reads the folder at once, then polls while it runs
    linked = name == Path(name).name and not name.startswith(".") and (folder / name / jobs.JOB).is_file()
    found = [c for c in jobs.comparisons(folder) if c.name == name] if linked else []
    use_poll(bool(found) and found[0].state in (jobs.RUNNING, jobs.WAITING_STATE))
    solara.use_effect(lambda: found and jobs.seen(found[0].folder, owner()), [name, bool(found)])
    if not found:
        solara.v.Html(tag="div", class_="cmp-error", children=[t("compare.not_found", lang).format(name=name)])
        return
    item = found[0]
    k = jobs.ahead(item.folder) if item.state == jobs.WAITING_STATE else 0
    # Nothing ahead and a slot free: it is only starting (Python and the model load), not waiting for anyone.
    starting = item.state == jobs.WAITING_STATE and k == 0 and jobs.computing(folder) < jobs.running_limit()
    state = jobs.RUNNING if starting else item.state
    solara.v.Html(tag="h2", class_="cmp-heading", children=[summary(item.job, lang)])
    solara.v.Html(tag="div", class_=f"cmp-state {state}", children=[t(f"compare.state.{state}", lang)])

    def cancel() -> None:
        try:
            jobs.cancel(item.folder)
            set_refused("")
            set_starts(starts + 1)
        except InputError as error:
            set_refused(str(error))

    if item.state == jobs.WAITING_STATE:
        text = (
            t("compare.starting", lang)
            if starting
            else counted("compare.waiting_ahead", k, lang, limit=jobs.running_limit())
            if k
            else t("compare.waiting_next", lang)
        )
        solara.v.Html(tag="p", class_="cmp-waiting", children=[text])
        solara.v.Html(tag="p", class_="cmp-ok", children=[t("compare.keeps_running", lang)])
        solara.Button(
            t("compare.cancel", lang), color="primary", outlined=True, classes=["cmp-cancel"], on_click=cancel
        )
    elif item.state == jobs.RUNNING:
        done = jobs.progress(item.folder)
        solara.v.Html(tag="p", class_="cmp-step-now", children=[t(f"compare.step.{done.step}", lang)])
        solara.v.ProgressLinear(value=round(100 * done.share), height=14, color="primary", class_="cmp-progress")
        solara.v.Html(
            tag="p", class_="cmp-done", children=[t("compare.done_runs", lang).format(done=done.done, total=done.total)]
        )
        solara.v.Html(tag="p", class_="cmp-ok", children=[t("compare.keeps_running", lang)])
        solara.Button(
            t("compare.cancel", lang), color="primary", outlined=True, classes=["cmp-cancel"], on_click=cancel
        )
    elif item.state in (jobs.INTERRUPTED, jobs.FAILED, jobs.CANCELLED_STATE):
        if item.state == jobs.FAILED:
            with solara.v.Html(tag="div", class_="cmp-error cmp-failed"):
                solara.v.Html(tag="div", children=[t("compare.failed", lang)])
                solara.v.Html(tag="code", children=[shown_path(item.error(), folder)])
        elif item.state == jobs.CANCELLED_STATE:
            solara.v.Html(tag="p", class_="cmp-cancelled", children=[t("compare.cancelled", lang)])
        else:
            solara.v.Html(tag="p", class_="cmp-interrupted", children=[t("compare.interrupted", lang)])

        def resume() -> None:
            try:
                jobs.start(item.folder, resume=True)
                set_refused("")
                set_starts(starts + 1)
            except InputError as error:
                set_refused(str(error))

        solara.Button(t("compare.resume", lang), color="primary", classes=["cmp-resume"], on_click=resume)
    else:
        Report(item, shown, set_shown, lang)
    if refused:
        solara.v.Html(tag="div", class_="cmp-error", children=[shown_path(refused, folder)])


@solara.component
def Report(item: jobs.Comparison, shown: str, set_shown, lang: str):
    report = item.report(shown)
    seconds = (item.exit or {}).get("seconds", 0)
    solara.v.Html(tag="p", children=[t("compare.finished", lang).format(time=duration(seconds, lang))])
    if item.job.get("replicates", jobs.RUN_CHOICES[1]) < jobs.RUN_CHOICES[1]:
        solara.v.Html(
            tag="p",
            class_="cmp-note cmp-quick",
            children=[t("compare.quick_note", lang).format(n=item.job["replicates"], recommended=jobs.RUN_CHOICES[1])],
        )
    failed, total = jobs.failed_runs(item.folder)
    if failed:
        solara.v.Html(
            tag="p", class_="cmp-note", children=[t("compare.failed_runs", lang).format(n=failed, total=total)]
        )
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        solara.v.Html(tag="span", children=[t("compare.report_in", lang) + ":"])
        solara.v.BtnToggle(
            v_model=LANGUAGES.index(shown),
            on_v_model=lambda i: i is not None and set_shown(LANGUAGES[i]),
            mandatory=True,
            dense=True,
            class_="cmp-report-language",
            children=[solara.v.Btn(children=[LANGUAGE_NAMES[code]], small=True) for code in LANGUAGES],
        )
    if report is None:
        return
    solara.FileDownload(
        lambda: report.read_bytes(),
        filename=f"berdaya-{item.name}-{shown}.html",
        label=t("compare.download", lang),
        mime_type="text/html",
    )
    solara.v.Html(
        tag="iframe",
        class_="cmp-report",
        # sandbox: the report is shown as a document only (no script, no form, no navigation of this page)
        attributes={"srcdoc": read_text(report), "title": t("compare.report_in", lang), "sandbox": ""},
    )

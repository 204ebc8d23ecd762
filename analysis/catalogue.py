"""Keep the gettext catalogues in step with the English labels of ``analysis/i18n.py``: ``make catalogue``.

    .venv/bin/python -m analysis.catalogue      # what `make catalogue` runs

1. A label added in ``analysis/i18n.py`` with its Indonesian beside it, ``"key": {"en": "...", "id": "..."}``
   (the quickest way for a developer to add one), has the Indonesian moved into the catalogue
   and out of the code, which keeps ``"key": {"en": "..."}``.
2. The template ``analysis/locale/berdaya.pot`` is extracted from the English labels: one message
   per key, the key as its context (``msgctxt``), so the same English may read differently in two places.
3. The Indonesian catalogue ``analysis/locale/id/LC_MESSAGES/berdaya.po`` is brought up to date: a new
   key comes in untranslated, a removed one goes, one whose English changed keeps its translation
   marked fuzzy, for an editor to review (Poedit and Weblate can list fuzzy and untranslated messages first).
4. It is compiled to ``berdaya.mo`` (``analysis.i18n`` also compiles it when it is missing or older).

Babel reads and writes the files; the files are written only when a message changed.
"""

from __future__ import annotations

import ast
import io
import re
import string
from importlib.metadata import version
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from analysis import i18n
from sim.files import write_text

SOURCE = Path(i18n.__file__)
TEMPLATE = i18n.LOCALE / f"{i18n.DOMAIN}.pot"
TEAM = "The berdaya maintainers"
COMMENT = """\
# The labels of berdaya's report and visualizer (analysis/i18n.py holds the English).
# The message context (msgctxt) is the label's key in the code. Translate with Poedit or
# Weblate; docs/translating.md says how. `make catalogue` brings in new English labels.
#"""
HEADER = {
    "project": "berdaya",
    "version": version("berdaya"),
    "copyright_holder": TEAM,
    "msgid_bugs_address": TEAM,
    "header_comment": COMMENT,
    "fuzzy": False,
}
DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\n', re.M)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a label (what ``str.format`` fills in), which a translation must keep."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def written_translations(source: str, lang: str = "id") -> tuple[str, dict[str, str]]:
    """``source`` with every ``"lang": ...`` member of LABELS removed, and those translations by key."""
    labels = next(
        node.value
        for node in ast.parse(source).body
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "LABELS"
    )
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:  # ast columns count UTF-8 bytes
        return starts[line - 1] + len(lines[line - 1].encode("utf-8")[:column].decode("utf-8"))

    found: dict[str, str] = {}
    cuts = []
    for key, entry in zip(labels.keys, labels.values):
        members = [k.value for k in entry.keys]
        if lang not in members:
            continue
        at = members.index(lang)
        if at == 0:
            raise SystemExit(f"{SOURCE}: {key.value!r}: write the English first, then {lang!r}")
        found[key.value] = ast.literal_eval(entry.values[at])
        previous, value = entry.values[at - 1], entry.values[at]
        cuts.append(
            (offset(previous.end_lineno, previous.end_col_offset), offset(value.end_lineno, value.end_col_offset))
        )
    for start, end in reversed(cuts):
        source = source[:start] + source[end:]
    return source, found


def template(labels: dict[str, dict[str, str]]) -> Catalog:
    catalog = Catalog(domain=i18n.DOMAIN, **HEADER)
    for key, entry in labels.items():
        catalog.add(entry["en"], context=key, flags=["python-brace-format"] if placeholders(entry["en"]) else [])
    return catalog


def updated(labels: dict[str, dict[str, str]], old: Catalog, moved: dict[str, str], lang: str) -> Catalog:
    """The catalogue for ``lang``: old translations kept, moved ones added, changed English marked fuzzy."""
    before = {message.context: message for message in old if message.id}
    catalog = Catalog(locale=lang, domain=i18n.DOMAIN, **HEADER)
    catalog.last_translator = old.last_translator if "FULL NAME" not in old.last_translator else TEAM
    catalog.language_team = old.language_team if "LL@li.org" not in old.language_team else TEAM
    for key, entry in labels.items():
        flags = {"python-brace-format"} if placeholders(entry["en"]) else set()
        previous = before.get(key)
        if key in moved:
            text = moved[key]
        elif previous is not None:
            text = previous.string
            if previous.fuzzy or previous.id != entry["en"]:
                flags.add("fuzzy")
        else:
            text = ""
        catalog.add(entry["en"], text, context=key, flags=flags, previous_id=())
    return catalog


def rendered(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=False, omit_header=False, no_location=True)
    return out.getvalue().decode("utf-8")


def save(path: Path, text: str) -> bool:
    """Write ``text`` unless the file says the same apart from its dates; whether it was written."""
    if path.exists() and DATES.sub("", path.read_text(encoding="utf-8")) == DATES.sub("", text):
        return False
    write_text(path, text)
    return True


def update(lang: str = "id") -> list[str]:
    """Steps 1 to 4 above; a line per file written."""
    done = []
    source, moved = written_translations(SOURCE.read_text(encoding="utf-8"), lang)
    if moved:
        write_text(SOURCE, source)
        done.append(f"{SOURCE}: {len(moved)} translations moved into the catalogue")
    labels = {key: {"en": entry["en"]} for key, entry in i18n.LABELS.items()}
    if save(TEMPLATE, rendered(template(labels))):
        done.append(f"{TEMPLATE}: extracted, {len(labels)} messages")
    path = i18n.catalogue_path(lang)
    old = read_catalogue(path, lang)
    fresh = updated(labels, old, moved, lang)
    if save(path, rendered(fresh)):
        missing = sum(1 for message in fresh if message.id and (not message.string or message.fuzzy))
        done.append(f"{path}: updated; {missing} messages untranslated or fuzzy")
    i18n.compiled(path)
    return done


def read_catalogue(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang, domain=i18n.DOMAIN)
    with path.open("rb") as po:
        return read_po(po, locale=lang, domain=i18n.DOMAIN)


def problems(catalog: Catalog, labels: dict[str, dict[str, str]]) -> list[str]:
    """What an editor still has to do in ``catalog``: a line per label untranslated, fuzzy, stale, or
    whose translation lost, changed or added a ``{placeholder}`` of its English."""
    found = []
    for key, entry in labels.items():
        message = catalog.get(entry["en"], context=key)
        if message is None:
            found.append(f"{key}: not in the catalogue, or its English changed (run `make catalogue`)")
        elif not message.string:
            found.append(f"{key}: untranslated")
        elif message.fuzzy:
            found.append(f"{key}: marked fuzzy (its English changed; review, then remove the mark)")
        elif placeholders(message.string) != placeholders(message.id):
            found.append(
                f"{key}: the translation's placeholders {sorted(placeholders(message.string))} "
                f"differ from the English {sorted(placeholders(message.id))}"
            )
    return found


def main() -> None:
    for line in update() or ["catalogues already up to date"]:
        print(line)
    labels = {key: {"en": entry["en"]} for key, entry in i18n.LABELS.items()}
    for line in problems(read_catalogue(i18n.catalogue_path("id"), "id"), labels):
        print(f"to translate: {line}")


if __name__ == "__main__":
    main()

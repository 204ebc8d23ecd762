"""The Indonesian catalogue (gettext, through Babel): complete, placeholders kept, current, compiled when loaded."""

from __future__ import annotations

import os
import shutil

from babel.messages.catalog import Catalog

from analysis import catalogue, i18n
from sim.files import FileFault

LABELS = {key: {"en": entry["en"]} for key, entry in i18n.LABELS.items()}


def shipped() -> Catalog:
    return catalogue.read_catalogue(i18n.catalogue_path("id"), "id")


def test_every_label_is_translated_and_keeps_its_placeholders():
    """Fails on an untranslated, fuzzy or stale message, and on a {placeholder} missing or renamed."""
    assert catalogue.problems(shipped(), LABELS) == []


def test_no_translation_is_left_in_the_code():
    source = catalogue.SOURCE.read_text(encoding="utf-8")
    _, written = catalogue.written_translations(source)
    assert written == {}, f"run `make catalogue` to move these into the catalogue: {sorted(written)}"


def test_the_template_holds_the_current_english():
    template = catalogue.read_catalogue(catalogue.TEMPLATE, "en")
    assert {(m.context, m.id) for m in template if m.id} == {(key, e["en"]) for key, e in LABELS.items()}


def test_the_checker_sees_each_kind_of_problem():
    labels = {
        "a": {"en": "Month {month} of {months}"},
        "b": {"en": "Seed"},
        "c": {"en": "Share {share}"},
        "d": {"en": "Play"},
        "e": {"en": "New"},
    }
    catalog = Catalog(locale="id")
    catalog.add("Month {month} of {months}", "Bulan {bulan} dari {months}", context="a")
    catalog.add("Seed", "", context="b")
    catalog.add("Share {share}", "Bagian", context="c")
    catalog.add("Play", "Putar", context="d", flags=["fuzzy"])
    found = catalogue.problems(catalog, labels)
    assert [line.split(":")[0] for line in found] == ["a", "b", "c", "d", "e"]
    assert "untranslated" in found[1] and "fuzzy" in found[3] and "make catalogue" in found[4]


def test_update_moves_written_translations_and_marks_changed_english_fuzzy():
    source = (
        "LABELS: dict[str, dict[str, str]] = {\n"
        '    "kept": {"en": "Kept"},\n'
        '    "new": {"en": "New", "id": "Baru"},\n'
        '    "long": {\n        "en": "One "\n        "two",\n        "id": "Satu "\n        "dua",\n    },\n'
        "}\n"
    )
    stripped, moved = catalogue.written_translations(source)
    assert moved == {"new": "Baru", "long": "Satu dua"}
    assert '"id"' not in stripped and '"new": {"en": "New"}' in stripped and '"two",\n    },' in stripped
    old = Catalog(locale="id")
    old.add("Kept once", "Disimpan", context="kept")
    old.add("Gone", "Hilang", context="gone")
    labels = {"kept": {"en": "Kept"}, "new": {"en": "New"}, "long": {"en": "One two"}, "blank": {"en": "Blank"}}
    fresh = catalogue.updated(labels, old, moved, "id")
    messages = {m.context: m for m in fresh if m.id}
    assert set(messages) == set(labels)
    assert messages["kept"].string == "Disimpan" and messages["kept"].fuzzy
    assert messages["new"].string == "Baru" and not messages["new"].fuzzy
    assert messages["blank"].string == "" and catalogue.problems(fresh, labels) == [
        "kept: marked fuzzy (its English changed; review, then remove the mark)",
        "blank: untranslated",
    ]


def test_the_catalogue_is_compiled_when_missing_or_older_and_read_in_memory_when_read_only(tmp_path, monkeypatch):
    po = tmp_path / "berdaya.po"
    shutil.copy(i18n.catalogue_path("id"), po)
    mo = po.with_suffix(".mo")
    assert not mo.exists()
    assert i18n.compiled(po).pgettext("viz.play", "Play") == "Putar" and mo.exists()
    text = po.read_text(encoding="utf-8").replace('msgstr "Putar"', 'msgstr "Mainkan"')
    po.write_text(text, encoding="utf-8")
    os.utime(mo, (1, 1))  # older than the .po
    assert i18n.compiled(po).pgettext("viz.play", "Play") == "Mainkan"
    assert mo.stat().st_mtime > 1
    mo.unlink()

    def read_only(path, write):
        raise FileFault("cannot write: the folder is read-only", file=str(path))

    monkeypatch.setattr(i18n, "write_atomic", read_only)  # as in an installed package (root writes anywhere)
    assert i18n.compiled(po).pgettext("viz.play", "Play") == "Mainkan" and not mo.exists()


def test_labels_read_from_the_catalogue():
    assert i18n.t("viz.month_of", "id").format(month=3, months=120) == "Bulan 3 dari 120"
    assert i18n.t("viz.month_of", "en") == "Month {month} of {months}"


def test_a_confidence_interval_is_never_called_a_range():
    """Every 95% interval the report prints is a confidence interval of a mean, a ratio of means or an
    estimate from the runs (a bootstrap), not the spread of outcomes across villages: a programme
    officer read "rentang 95%" (95% range) as the cost in nine villages of ten. So no label, in either
    language, calls a 95% interval a range; the spread across worlds is written as percentiles (5–95%)."""
    for key in i18n.LABELS:
        for lang in i18n.LANGUAGES:
            text = i18n.t(key, lang).lower()
            for wrong in ("95% range", "rentang 95%", "selang 95%"):
                assert wrong not in text, f"{key} ({lang}) calls a 95% confidence interval {wrong!r}"

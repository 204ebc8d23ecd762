"""The one home of the HTML pieces the report and the studies' sections are built from: escaped text,
tables, figures inlined as data URIs (a report or section is one file that loads nothing), and the
per-language section files that ``berdaya report`` picks up."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.i18n import LANGUAGES
from sim.files import write_text


def escape(text: Any) -> str:
    return html.escape(str(text))


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], cls: str | None = None) -> str:
    """A table from cells that are already HTML; each cell names its column (``data-label``), so a
    phone can show a row as a card."""
    head = list(head)
    header = "".join(f"<th>{h}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f'<td data-label="{h}">{v}</td>' for h, v in zip(head, row, strict=False)) + "</tr>"
        for row in rows
    )
    opening = "<table>" if cls is None else f'<table class="{cls}">'
    return f"{opening}<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    """A report table of text, escaped, in a scrolling wrapper (a phone's width)."""
    return f'<div class="wrap">{_table(map(escape, header), ([escape(v) for v in row] for row in rows), cls)}</div>'


def frame_table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A small DataFrame as a plain table (numbers to ``digits`` significant digits, text escaped)."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return "–" if not np.isfinite(value) else f"{value:.{digits}g}"
        return escape(value)

    return _table(map(escape, frame.columns), ([cell(v) for v in row] for _, row in frame.iterrows()))


def svg_data_uri(path: Path) -> str:
    """An SVG file as a data URI for an <img>."""
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def embed_figure(figure) -> str:
    """A matplotlib figure as an <img> with the PNG inline (the section needs no other file)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="" style="max-width:100%" src="data:image/png;base64,{data}">'


def save_section(out: Path, name: str, build: Callable[[str], tuple[str, str]], lang: str = "en") -> Path:
    """``out/sections/<name>.<lang>.html`` for every language and ``<name>.html`` in ``lang``.

    ``build(lang)`` gives (title, body). Each file is one self-contained <section> (figures
    inline) that ``berdaya report`` includes, picking the one in the report's language.
    """
    folder = Path(out) / "sections"
    folder.mkdir(parents=True, exist_ok=True)
    texts = {}
    for language in LANGUAGES:
        title, body = build(language)
        texts[language] = f'<section id="{name}">\n<h2>{escape(title)}</h2>\n{body}\n</section>\n'
        write_text(folder / f"{name}.{language}.html", texts[language])
    return write_text(folder / f"{name}.html", texts[lang])

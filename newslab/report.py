"""A small builder for self-contained HTML reports (figures embedded, text escaped).

Examples
--------
>>> import pandas as pd
>>> r = Report("Demo <1>")
>>> r.heading("Tables")
>>> r.table(pd.DataFrame({"title": ["<script>alert(1)</script>"]}))
>>> html = r.to_html()
>>> "<script>alert" in html, "&lt;script&gt;" in html
(False, True)
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import Any

import pandas as pd

from newslab.io import atomic_write

__all__ = ["Report"]

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#1f2328}
h1{border-bottom:2px solid #d0d7de;padding-bottom:.3em}h2{margin-top:2em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;font-size:13px;margin:1em 0}
td,th{border:1px solid #d0d7de;padding:3px 8px;vertical-align:top;text-align:left}
th{background:#f6f8fa}figure{margin:1em 0}figure img{max-width:100%}
figcaption{color:#57606a;font-size:13px}.note{color:#57606a;font-size:13px}
.block{border:1px solid #d0d7de;border-radius:6px;padding:.5em 1em;margin:1em 0}
"""


class Report:
    """Accumulate headings, text, tables and figures; write one HTML file.

    All text passed to :meth:`heading`, :meth:`paragraph` and :meth:`table` is
    HTML-escaped; only :meth:`raw` inserts markup as is (use it for HTML that
    newslab itself produced and escaped, such as ``ScoreResult.to_html()``).
    """

    def __init__(self, title: str):
        self.title = title
        self._parts: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        """Add a section heading."""
        self._parts.append(f"<h{level}>{html.escape(str(text))}</h{level}>")

    def paragraph(self, text: str, css_class: str | None = None) -> None:
        """Add a paragraph of plain text."""
        cls = f' class="{html.escape(css_class)}"' if css_class else ""
        self._parts.append(f"<p{cls}>{html.escape(str(text))}</p>")

    def table(self, df: pd.DataFrame, max_rows: int = 50, caption: str | None = None) -> None:
        """Add a table (escaped); longer tables are cut at ``max_rows`` with a note."""
        shown = df.head(max_rows)
        body = shown.to_html(index=False, escape=True, border=0, na_rep="")
        if caption:
            self.paragraph(caption, "note")
        self._parts.append(body)
        if len(df) > max_rows:
            self.paragraph(f"… {len(df) - max_rows} more rows in the Parquet files.", "note")

    def figure(self, fig: Any, caption: str | None = None, dpi: int = 110) -> None:
        """Embed a matplotlib figure as a PNG data URI."""
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        alt = html.escape(caption or "figure")
        cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        self._parts.append(
            f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">{cap}</figure>'
        )

    def raw(self, markup: str) -> None:
        """Insert trusted, already-escaped HTML."""
        self._parts.append(f'<div class="block">{markup}</div>')

    def to_html(self) -> str:
        """Return the whole report as one HTML document."""
        title = html.escape(self.title)
        return (
            f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{_CSS}</style></head><body>\n<h1>{title}</h1>\n"
            + "\n".join(self._parts)
            + "\n</body></html>\n"
        )

    def write(self, path: str | os.PathLike) -> Path:
        """Write the report atomically and return its path."""
        path = Path(path)
        with atomic_write(path, "w") as fh:
            fh.write(self.to_html())
        return path

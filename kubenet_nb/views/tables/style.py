"""Readiness colours for the endpoints and pods tables, and ✔/✘ for a reachability matrix,
with every cell and label escaped.

pandas' Styler writes cell text and labels into its HTML raw, and a missing value as a bare
`<NA>`, unless told otherwise; here text is escaped (`escape="html"` for cells, rows and
columns), missing values are blank, and the table id is fixed (`set_uuid`), so the HTML is
well-formed and the same on every run. Needs jinja2 (pandas' Styler imports it).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = ["COLOURS", "TICKS", "Ticks", "readiness", "styled", "ticks"]

COLOURS = {
    "ready": "background-color: #e6f4ea",
    "terminating": "background-color: #fef7e0",
    "not ready": "background-color: #fce8e6",
    "none": "",
}
"""Row backgrounds by state: ready, terminating, not ready, and rows that are no endpoint."""


def _true(value: Any) -> bool:
    """A table cell that is set and truthy (a pandas NA, NaN or None is not)."""
    return value is True or (not pd.isna(value) and bool(value))


def readiness(row: pd.Series) -> str:
    """A row's state: from `ready`/`terminating` (endpoints) or `READY`/`STATUS` (pods).

    >>> readiness(pd.Series({"ready": True, "terminating": False}))
    'ready'
    >>> readiness(pd.Series({"READY": "0/1", "STATUS": "Running"}))
    'not ready'
    """
    if "ready" in row.index:
        if pd.isna(row["ready"]):
            return "none"
        if "terminating" in row.index and _true(row["terminating"]):
            return "terminating"
        return "ready" if _true(row["ready"]) else "not ready"
    if "STATUS" in row.index and row["STATUS"] == "Terminating":
        return "terminating"
    if "READY" in row.index:
        done, _, total = str(row["READY"]).partition("/")
        return "ready" if done == total and total not in ("", "0") else "not ready"
    return "none"


def styled(frame: pd.DataFrame, uuid: str) -> Styler:
    """The frame as a Styler: rows coloured by readiness, all text escaped, ids `T_<uuid>`.

    >>> frame = pd.DataFrame({"pod": ["<b>"], "ready": [True], "terminating": [False]})
    >>> html = styled(frame, "demo").to_html()
    >>> "&lt;b&gt;" in html, "<b>" in html, 'id="T_demo"' in html
    (True, False, True)
    """
    colours = [COLOURS[readiness(row)] for _, row in frame.iterrows()]
    return (
        frame.style.format(escape="html", na_rep="")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .apply(lambda column: colours, axis=0)
        .set_uuid(uuid)
    )


TICKS = {
    True: ("✔", "color: #1a7f37; text-align: center"),
    False: ("✘", "color: #cf222e; background-color: #fce8e6; text-align: center"),
}
"""A yes/no cell: its mark and its style (green yes, red no on a pale red ground, centred)."""


def _escaped(name: Any) -> Any:
    """An axis name as HTML text (None stays None: no header row)."""
    return None if name is None else html.escape(str(name))


@dataclass(frozen=True, eq=False)
class Ticks:
    """A bool table (a reachability matrix) shown as ✔/✘: as text where there is no HTML, as
    coloured, escaped HTML in a notebook; both the same on every run (no object address)."""

    frame: pd.DataFrame
    uuid: str

    def marks(self) -> pd.DataFrame:
        """The table with ✔ for True and ✘ for False."""
        return self.frame.map(lambda value: TICKS[bool(value)][0])

    def __repr__(self) -> str:
        return self.marks().to_string()

    def _repr_html_(self) -> str:
        colours = self.frame.map(lambda value: TICKS[bool(value)][1])
        # The Styler escapes labels, not the axes' names ("from", "to"): those are escaped here.
        marks = self.marks().rename_axis(
            index=_escaped(self.frame.index.name), columns=_escaped(self.frame.columns.name)
        )
        return (
            marks.style.format(escape="html")
            .format_index(escape="html", axis=0)
            .format_index(escape="html", axis=1)
            .apply(lambda _frame: colours, axis=None)
            .set_uuid(self.uuid)
            .to_html()
        )


def ticks(frame: pd.DataFrame, uuid: str) -> Ticks:
    """A bool table shown as ✔/✘; `uuid` names its HTML ids (`T_<uuid>`), one per table shown
    in a notebook, so that one table's colours never apply to another's cells.

    >>> frame = pd.DataFrame([[True, False]], index=["x/<a>"], columns=["x/a", "y/b"])
    >>> frame.columns.name = "<to>"
    >>> print(ticks(frame, "demo"))
    <to>  x/a y/b
    x/<a>   ✔   ✘
    >>> page = ticks(frame, "demo")._repr_html_()
    >>> "x/&lt;a&gt;" in page, "&lt;to&gt;" in page, "<a>" in page, "<to>" in page
    (True, True, False, False)
    >>> 'id="T_demo"' in page, page.count("color: #cf222e"), page.count("color: #1a7f37")
    (True, 1, 1)
    >>> ticks(frame, "demo")._repr_html_() == page  # the frame's own names are left alone
    True
    """
    return Ticks(frame, uuid)

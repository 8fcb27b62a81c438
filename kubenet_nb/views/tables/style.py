"""Readiness colours for the endpoints and pods tables, with every cell and label escaped.

pandas' Styler writes cell text and labels into its HTML raw, and a missing value as a bare
`<NA>`, unless told otherwise; here text is escaped (`escape="html"` for cells, rows and
columns), missing values are blank, and the table id is fixed (`set_uuid`), so the HTML is
well-formed and the same on every run. Needs jinja2 (pandas' Styler imports it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = ["COLOURS", "readiness", "styled"]

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

"""Table alignment, table decoration and the YAML/JSON/name printers."""

from __future__ import annotations

import json

from kubenet_nb.kubectl.printers import (
    Column,
    Table,
    format_labels,
    print_table,
    tabwrite,
    to_json,
    to_name,
)


def test_tabwrite_pads_to_widest_cell_plus_padding_with_a_minimum() -> None:
    # kubectl get: minwidth 6, padding 3 (cli-runtime tabwriter.go); the last cell is not padded.
    assert tabwrite("A\tBB\tC\nAAAA\tB\tC\n", 6, 3) == "A      BB    C\nAAAA   B     C\n"


def test_tabwrite_column_blocks_end_at_lines_without_that_cell() -> None:
    # Go text/tabwriter: a column block is a run of consecutive lines that have the cell.
    text = "Name:\tweb\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tx\n"
    assert tabwrite(text, 0, 2) == (
        "Name:  web\nIPs:\n  IP:           10.0.0.1\nControlled By:  x\n"
    )


def test_tabwrite_nested_columns_and_empty_trailing_cells() -> None:
    text = "Port:\t<unset>\t80/TCP\nTargetPort:\t80/TCP\nEndpoints:\t\n"
    assert tabwrite(text, 0, 2) == (
        "Port:        <unset>  80/TCP\nTargetPort:  80/TCP\nEndpoints:   \n"
    )


def test_tabwrite_of_nothing() -> None:
    assert tabwrite("", 6, 3) == ""


def _table() -> Table:
    columns = [Column("Name", format="name"), Column("Ready"), Column("IP", priority=1)]
    objects = [
        {"metadata": {"name": "web-1", "namespace": "default", "labels": {"b": "2", "a": "1"}}},
        {"metadata": {"name": "web-22", "namespace": "dev"}},
    ]
    return Table(columns, [["web-1", "1/1", "10.244.1.2"], ["web-22", 3, "<none>"]], objects)


def test_print_table_hides_wide_columns_and_uppercases_headers() -> None:
    assert print_table(_table()) == "NAME     READY\nweb-1    1/1\nweb-22   3\n"
    assert print_table(_table(), wide=True).splitlines()[0] == "NAME     READY   IP"


def test_print_table_decorations() -> None:
    text = print_table(_table(), with_namespace=True, show_labels=True, kind_prefix="pod")
    assert text == (
        "NAMESPACE   NAME         READY   LABELS\n"
        "default     pod/web-1    1/1     a=1,b=2\n"
        "dev         pod/web-22   3       <none>\n"
    )
    assert print_table(_table(), no_headers=True) == "web-1    1/1\nweb-22   3\n"


def test_print_table_empty_prints_nothing() -> None:
    assert print_table(Table([Column("Name", format="name")], [], [])) == ""


def test_cells_are_cut_at_the_first_newline() -> None:
    # cli-runtime tableprinter.go printTable truncates string cells at a newline with "...".
    table = Table([Column("Message")], [["line one\nline two"]], [{"metadata": {}}])
    assert print_table(table) == "MESSAGE\nline one...\n"


def test_format_labels() -> None:
    assert format_labels({"tier": "web", "app": "shop"}) == "app=shop,tier=web"
    assert format_labels(None) == "<none>"


def test_json_is_go_marshal_indent() -> None:
    text = to_json({"kind": "Service", "metadata": {"name": "a&b"}, "spec": {"x": "<none>"}})
    # encoding/json: sorted map keys, four-space indent, HTML-safe escapes, final newline.
    assert text == (
        '{\n    "kind": "Service",\n    "metadata": {\n        "name": "a\\u0026b"\n    },\n'
        '    "spec": {\n        "x": "\\u003cnone\\u003e"\n    }\n}\n'
    )
    assert json.loads(text)["spec"]["x"] == "<none>"


def test_name_printer() -> None:
    assert to_name({"metadata": {"name": "web"}}, "deployment.apps") == "deployment.apps/web\n"

"""Text out (issue 10, item 4): linear-time command splitting, terminal escaping, long values.

Upstream sources, by repository, path and tag:

- kubernetes/cli-runtime pkg/printers/terminal.go @ v0.33.0 (staging/src/k8s.io/cli-runtime in
  kubernetes/kubernetes @ v1.33.0): `EscapeTerminal` / `WriteEscaped` replace ESC with `^[`
  and CR with `\\r`, nothing else.
- kubernetes/kubectl pkg/describe/describe.go @ v0.33.0: `prefixWriter.Write` and `WriteLine`
  write through `printers.WriteEscaped`, so every line of `kubectl describe` is escaped.
- kubernetes/cli-runtime pkg/printers/tableprinter.go @ v0.33.0 `printTable`: a string cell is
  cut at the first `\\f`, `\\n` or `\\r` (then `...`), every cell goes through `WriteEscaped`.
- kubernetes/apimachinery pkg/util/validation/field/errors.go @ v0.33.0 `Error.ErrorBody`: a
  string BadValue is printed whole with `%q`; there is no truncation. kubernetes/kubectl
  pkg/cmd/label/label.go @ v0.33.0 `parseLabels` quotes the whole label spec the same way.
"""

from __future__ import annotations

import shlex
import time

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import Invalid, KubectlError
from kubenet_nb.face.magic import reads_stdin
from kubenet_nb.kubectl.main import run_kubectl, split_command_line
from kubenet_nb.kubectl.printers import Column, Table, cell_text, escape_terminal, print_table

TEN_MB = 10_000_000


@pytest.mark.parametrize(
    "line",
    [
        "get pods -o wide",
        "annotate pod x 'a b'=\"c\\\"d\" e\\ f ''",
        'label pod x a="\\$HOME\\\\" b=\'\\n\' c\\"',
        "  tabs\tand\r\nnewlines  ",
        'a\'\'b ""c d"" \'\' ""',
        'é="ü \\x" #not-a-comment',
        "",
    ],
)
def test_split_matches_shlex(line: str) -> None:
    # The previous implementation was shlex.split(line) (posix, no comments); same words.
    assert split_command_line(line) == shlex.split(line)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("label pod 'a=b", "No closing quotation"),
        ('a "b\\"', "No closing quotation"),
        ("a b\\", "No escaped character"),
        ('a "b\\', "No escaped character"),
    ],
)
def test_split_refuses_as_shlex_does(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        shlex.split(line)
    with pytest.raises(ValueError, match=message):
        split_command_line(line)


def test_ten_megabyte_command_is_split_in_linear_time() -> None:
    # shlex took 13.5 s for 1 MB (quadratic: ~20 min for 10 MB); this takes ~0.05 s.
    value = "a" * TEN_MB
    started = time.perf_counter()
    words = split_command_line(f"annotate pod x key={value} 'q={value}' \"d={value}\"")
    assert time.perf_counter() - started < 2
    assert [len(w) for w in words] == [8, 3, 1, TEN_MB + 4, TEN_MB + 2, TEN_MB + 2]


def test_ten_megabyte_annotate_end_to_end_is_fast() -> None:
    # Split, first_argument, flag parsing, the request and the refusal: all linear. The refusal
    # is the API server's annotation size limit (TooLong omits the value).
    c = Cluster()
    c.kubectl("run x --image=nginx")
    started = time.perf_counter()
    with pytest.raises(Invalid) as caught:
        c.kubectl("annotate pod x key=" + "a" * TEN_MB)
    assert time.perf_counter() - started < 2
    assert len(str(caught.value)) < 200


def test_magic_detects_stdin_on_a_long_line_quickly() -> None:
    started = time.perf_counter()
    assert not reads_stdin("annotate pod x key=" + "a" * TEN_MB)
    assert reads_stdin("apply -f - --note='" + "a" * TEN_MB + "'")
    assert time.perf_counter() - started < 2


def test_escape_terminal_replaces_only_escape_and_carriage_return() -> None:
    # terminal.go: strings.NewReplacer("\x1b", "^[", "\r", "\\r"); other controls pass.
    assert escape_terminal("\x1b[31mred\x1b[0m") == "^[[31mred^[[0m"
    assert escape_terminal("a\rb\tc\x07\n") == "a\\rb\tc\x07\n"


def test_describe_escapes_annotations_and_labels() -> None:
    c = Cluster()
    c.kubectl("run web --image=nginx")
    c.kubectl("annotate pod web note=\x1b[31mred\x1b[0m")
    out = run_kubectl(c.control_plane, "describe pod web")
    assert "\x1b" not in out
    assert "Annotations:      note: ^[[31mred^[[0m\n" in out


def test_describe_escapes_a_carriage_return_in_a_folded_annotation() -> None:
    c = Cluster()
    manifest = "kind: Pod\napiVersion: v1\nmetadata:\n  name: web\n  annotations:\n"
    manifest += (
        '    note: "a\\rb\\nsecond"\nspec:\n  containers:\n  - name: web\n    image: nginx\n'
    )
    c.kubectl("apply -f -\n" + manifest)
    out = run_kubectl(c.control_plane, "describe pod web")
    # Multi-line values fold below the key (printAnnotationsMultiline); CR shows as \r.
    assert "Annotations:      note:\n                    a\\rb\n                    second\n" in out


def test_table_cells_cut_at_the_first_line_break_then_escape() -> None:
    assert cell_text("a\x1b[1mb\nc") == "a^[[1mb..."
    assert cell_text("a\rb") == "a..."
    assert cell_text("a\fb") == "a..."
    assert cell_text("a\tb") == "a\tb"
    assert cell_text(3) == "3"
    table = Table([Column("Name", format="name"), Column("Note")], [["w", "\x1b[2Jx"]], [{}])
    assert print_table(table) == "NAME   NOTE\nw      ^[[2Jx\n"


def test_long_label_value_is_quoted_whole_as_upstream_does() -> None:
    # label.go parseLabels: fmt.Errorf("invalid label value: %q: %s", spec, ...); no truncation.
    c = Cluster()
    c.kubectl("run x --image=nginx")
    with pytest.raises(KubectlError) as caught:
        run_kubectl(c.control_plane, "label pod x key=" + "a" * 100_000)
    assert str(caught.value) == (
        f'error: invalid label value: "key={"a" * 100_000}": must be no more than 63 characters'
    )

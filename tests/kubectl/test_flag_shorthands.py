"""pflag's shorthand forms, as kubectl accepts them (spf13/pflag flag.go parseShortArg)."""

from __future__ import annotations

import pytest

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.flags import Flag, FlagSet

FLAGS = FlagSet(Flag("stdin", "i", "bool"), Flag("tty", "t", "bool"), Flag("namespace", "n"))


@pytest.mark.parametrize(
    ("argv", "stdin", "tty", "namespace"),
    [
        (["-it"], True, True, None),
        (["-ti", "-n", "kube-system"], True, True, "kube-system"),
        (["-nkube-system"], False, False, "kube-system"),
        (["-n=kube-system"], False, False, "kube-system"),
        (["-itnkube-system"], True, True, "kube-system"),
        (["-i=false", "-t"], False, True, None),
    ],
)
def test_shorthand_forms(argv: list[str], stdin: bool, tty: bool, namespace: str | None) -> None:
    values = FLAGS.parse(argv).values
    assert (values["stdin"], values["tty"], values["namespace"]) == (stdin, tty, namespace)


def test_unknown_letter_in_a_group_is_named() -> None:
    with pytest.raises(KubectlError, match="unknown shorthand flag: 'z' in -iz"):
        FLAGS.parse(["-iz"])

"""`Parts`: per-object derivations of stored dicts, reused by identity; hand-built ones never."""

from __future__ import annotations

from kubenet_nb.network.parts import SLACK, Parts


def stored(name: str, version: int = 1) -> dict:
    return {"metadata": {"name": name, "resourceVersion": str(version)}}


class Counting:
    """A derivation that records which objects it was asked about."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, obj: dict) -> str:
        self.calls.append(obj["metadata"]["name"])
        return obj["metadata"]["name"].upper()


def test_each_stored_dict_is_derived_once_and_parts_come_in_list_order() -> None:
    derive = Counting()
    parts = Parts(derive)
    a, b = stored("a"), stored("b")
    assert parts.of([a, b]) == ["A", "B"]
    assert parts.of([b, a]) == ["B", "A"]
    assert derive.calls == ["a", "b"]


def test_a_new_dict_for_the_same_object_is_derived_again() -> None:
    derive = Counting()
    parts = Parts(derive)
    old = stored("a", 1)
    parts.of([old])
    new = {"metadata": {"name": "a2", "resourceVersion": "2"}}
    assert parts.of([new]) == ["A2"]
    assert derive.calls == ["a", "a2"]


def test_hand_built_dicts_are_derived_every_time_and_never_kept() -> None:
    derive = Counting()
    parts = Parts(derive)
    loose = {"metadata": {"name": "x"}}
    assert parts.of([loose, stored("a")]) == ["X", "A"]
    loose["metadata"]["name"] = "y"  # a caller may change its own dict: never a stale part
    assert parts.of([loose, stored("a")]) == ["Y", "A"]
    assert len(parts) == 2  # the two stored "a" dicts; never the hand-built one


def test_entries_of_objects_no_longer_listed_are_dropped() -> None:
    parts = Parts(Counting())
    many = [stored(f"o{i}") for i in range(4 * SLACK)]
    parts.of(many)
    assert len(parts) == len(many)
    parts.of(many[:1])
    assert len(parts) == 1

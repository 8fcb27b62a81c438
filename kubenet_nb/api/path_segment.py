"""Path segment names: what every object name must be to sit in a URL path.

k8s.io/apimachinery/pkg/api/validation/path/name.go (IsValidPathSegmentName): the name rule of
Roles and their bindings, and the check on object references (an HPA's scaleTargetRef, an
IngressClass's parameters).
"""

from __future__ import annotations

__all__ = ["is_valid_path_segment_name", "name_is_path_segment"]

_MAY_NOT_BE = (".", "..")
_MAY_NOT_CONTAIN = ("/", "%")


def is_valid_path_segment_name(name: str) -> list[str]:
    """IsValidPathSegmentName: not `.` or `..`, and neither `/` nor `%` anywhere.

    >>> is_valid_path_segment_name(".."), is_valid_path_segment_name("a/b%")
    (["may not be '..'"], ["may not contain '/'", "may not contain '%'"])
    """
    if name in _MAY_NOT_BE:
        return [f"may not be '{name}'"]
    return [f"may not contain '{bad}'" for bad in _MAY_NOT_CONTAIN if bad in name]


def name_is_path_segment(name: str, prefix: bool) -> list[str]:
    """ValidatePathSegmentName as a NameFn (the generateName prefix is checked alike)."""
    return is_valid_path_segment_name(name)

"""Service clusterIPs, ipFamilies and externalIPs validation, on create and on update.

Follows pkg/apis/core/validation/validation.go (v1.33): ValidateServiceClusterIPsRelatedFields,
the externalIPs loop of ValidateService with ValidateNonSpecialIP, and
validateUpgradeDowngradeClusterIPs / validateUpgradeDowngradeIPFamilies of ValidateServiceUpdate.
Bad values print as Go's field errors print them (`[]string(nil)`, `[]core.IPFamily{...}`).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from kubenet_nb.api.core.service.defaults import is_headless
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.ip_addresses import validate_non_special_ip
from kubenet_nb.api.meta import GoValue, go_quote
from kubenet_nb.api.names import is_valid_ip

__all__ = [
    "go_ip_families",
    "go_string_list",
    "validate_cluster_ips_related_fields",
    "validate_cluster_ips_update",
    "validate_external_ips",
    "validate_ip_families_update",
]

IP_FAMILIES = ["IPv4", "IPv6"]
IP_FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"]


def go_string_list(values: list[str] | None) -> Any:
    """A []string bad value: `[]string{"a"}`, or `[]string(nil)` when empty."""
    return list(values) if values else GoValue("[]string(nil)")


def go_ip_families(values: list[str] | None) -> GoValue:
    """A []core.IPFamily bad value as `%#v` prints it."""
    if not values:
        return GoValue("[]core.IPFamily(nil)")
    return GoValue("[]core.IPFamily{" + ", ".join(go_quote(v) for v in values) + "}")


def _is_ipv6(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False


def _validate_ip(value: str, field: str) -> list[FieldError]:
    return [FieldError.invalid(field, value, msg) for msg in is_valid_ip(value)]


def validate_external_ips(spec: dict) -> list[FieldError]:
    """ValidateService's externalIPs: each a valid IP, and then not a special one."""
    errs: list[FieldError] = []
    for i, ip in enumerate(spec.get("externalIPs") or []):
        ip_errs = _validate_ip(ip, f"spec.externalIPs[{i}]")
        errs.extend(ip_errs or validate_non_special_ip(ip, f"spec.externalIPs[{i}]"))
    return errs


def validate_cluster_ips_related_fields(obj: dict) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields: clusterIP(s), ipFamilies and ipFamilyPolicy."""
    spec = obj.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    cluster_ip = spec.get("clusterIP") or ""
    ips = list(spec.get("clusterIPs") or [])
    families = list(spec.get("ipFamilies") or [])
    if cluster_ip:
        if not ips:
            errs.append(FieldError.required("spec.clusterIPs"))
        elif ips[0] != cluster_ip:
            errs.append(
                FieldError.invalid("spec.clusterIPs", ips, "first value must match `clusterIP`")
            )
    elif ips:
        errs.append(
            FieldError.invalid(
                "spec.clusterIPs", ips, "must be empty when `clusterIP` is not specified"
            )
        )
    seen: set[str] = set()
    for i, family in enumerate(families):
        if family not in IP_FAMILIES:
            errs.append(FieldError.not_supported(f"spec.ipFamilies[{i}]", family, IP_FAMILIES))
        if family in seen:
            errs.append(FieldError.duplicate(f"spec.ipFamilies[{i}]", family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errs.append(FieldError.not_supported("spec.ipFamilyPolicy", policy, IP_FAMILY_POLICIES))
    invalid_ips = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                invalid_ips = True
                errs.append(
                    FieldError.invalid(
                        "spec.clusterIPs", ips, "'None' must be the first and only value"
                    )
                )
            continue
        ip_errs = _validate_ip(ip, f"spec.clusterIPs[{i}]")
        invalid_ips = invalid_ips or bool(ip_errs)
        errs.extend(ip_errs)
    if len(ips) > 2:
        errs.append(FieldError.invalid("spec.clusterIPs", ips, "may only hold up to 2 values"))
    if invalid_ips:
        return errs
    if len(ips) > 1 and len({_is_ipv6(ip) for ip in ips}) < 2:
        errs.append(
            FieldError.invalid(
                "spec.clusterIPs", ips, "may specify no more than one IP for each IP family"
            )
        )
    if not is_headless(spec) and ips and families:
        for i, ip in enumerate(ips[: len(families)]):
            if families[i] == "IPv4" and _is_ipv6(ip):
                errs.append(
                    FieldError.invalid(
                        f"spec.clusterIPs[{i}]",
                        ip,
                        f"expected an IPv4 value as indicated by `ipFamilies[{i}]`",
                    )
                )
            if families[i] == "IPv6" and not _is_ipv6(ip):
                errs.append(
                    FieldError.invalid(
                        f"spec.clusterIPs[{i}]",
                        ip,
                        f"expected an IPv6 value as indicated by `ipFamilies[{i}]`",
                    )
                )
    return errs


def validate_cluster_ips_update(spec: dict, old_spec: dict) -> list[FieldError]:
    """validateUpgradeDowngradeClusterIPs."""
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return []
    if is_headless(spec) and is_headless(old_spec):
        return []
    new, old = list(spec.get("clusterIPs") or []), list(old_spec.get("clusterIPs") or [])
    errs: list[FieldError] = []
    shown = go_string_list(new)
    changed = "may not change once set"
    if len(new) == len(old):
        errs.extend(
            FieldError.invalid(f"spec.clusterIPs[{i}]", shown, changed)
            for i, ip in enumerate(old)
            if ip != new[i]
        )
    elif len(old) > len(new):
        if not new:
            errs.append(
                FieldError.invalid(
                    "spec.clusterIPs[0]", shown, "primary clusterIP can not be unset"
                )
            )
        if old and new and new[0] != old[0]:
            errs.append(FieldError.invalid("spec.clusterIPs[0]", shown, changed))
        if len(new) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
            errs.append(
                FieldError.invalid(
                    "spec.ipFamilyPolicy",
                    spec.get("ipFamilyPolicy"),
                    "must be set to 'SingleStack' when releasing the secondary clusterIP",
                )
            )
    elif old and new[0] != old[0]:
        errs.append(FieldError.invalid("spec.clusterIPs[0]", shown, changed))
    return errs


def validate_ip_families_update(spec: dict, old_spec: dict) -> list[FieldError]:
    """validateUpgradeDowngradeIPFamilies (its odd choices of bad value included)."""
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return []
    if is_headless(spec) or is_headless(old_spec):
        return []
    new, old = list(spec.get("ipFamilies") or []), list(old_spec.get("ipFamilies") or [])
    ips = go_string_list(spec.get("clusterIPs"))
    errs: list[FieldError] = []
    changed = "may not change once set"
    if len(new) == len(old):
        errs.extend(
            FieldError.invalid("spec.ipFamilies[0]", go_ip_families(new), changed)
            for i, family in enumerate(old)
            if family != new[i]
        )
    elif len(old) > len(new):
        if not spec.get("clusterIPs"):
            errs.append(
                FieldError.invalid(
                    "spec.ipFamilies[0]", go_ip_families(new), "primary ipFamily can not be unset"
                )
            )
        if new and new[0] != old[0]:
            errs.append(FieldError.invalid("spec.ipFamilies[0]", ips, changed))
        if len(new) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
            errs.append(
                FieldError.invalid(
                    "spec.ipFamilyPolicy",
                    spec.get("ipFamilyPolicy"),
                    "must be set to 'SingleStack' when releasing the secondary ipFamily",
                )
            )
    elif old and new and new[0] != old[0]:
        errs.append(FieldError.invalid("spec.ipFamilies[0]", ips, changed))
    return errs

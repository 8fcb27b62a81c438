"""Where a webhook is called: a URL or an in-cluster Service (clientConfig).

staging apiserver pkg/util/webhook/validation.go (ValidateWebhookURL, ValidateWebhookService)
@ v1.33.0; URLs are split as Go's net/url would for the parts these checks look at.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.names import is_dns1123_subdomain, is_valid_port_num

__all__ = ["default_client_config", "validate_client_config"]

_FORM = "; desired format: https://host[/path]"


def default_client_config(config: dict) -> None:
    """SetDefaults_ServiceReference: port 443."""
    service = config.get("service")
    if service is not None and service.get("port") is None:
        service["port"] = 443


def _validate_url(url: str, field: str) -> list[FieldError]:
    """ValidateWebhookURL with https forced."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return [FieldError.required(field, f"url must be a valid URL: {error}{_FORM}")]
    errs: list[FieldError] = []
    if parts.scheme != "https":
        errs.append(
            FieldError.invalid(
                field, parts.scheme, "'https' is the only allowed URL scheme" + _FORM
            )
        )
    host = parts.netloc.rsplit("@", 1)[-1]
    if not host:
        errs.append(FieldError.invalid(field, host, "host must be specified" + _FORM))
    if "@" in parts.netloc:
        errs.append(
            FieldError.invalid(
                field,
                parts.netloc.rsplit("@", 1)[0],
                "user information is not permitted in the URL",
            )
        )
    if parts.fragment:
        errs.append(
            FieldError.invalid(field, parts.fragment, "fragments are not permitted in the URL")
        )
    if parts.query:
        errs.append(
            FieldError.invalid(field, parts.query, "query parameters are not permitted in the URL")
        )
    return errs


def _validate_service_path(path: str, field: str) -> list[FieldError]:
    if path in ("/", ""):
        return []
    if path == "//":
        return [FieldError.invalid(field, path, "segment[0] may not be empty")]
    errs: list[FieldError] = []
    if not path.startswith("/"):
        errs.append(FieldError.invalid(field, path, "must start with a '/'"))
    steps = path[1:].removesuffix("/").split("/")
    for i, step in enumerate(steps):
        if not step:
            errs.append(FieldError.invalid(field, path, f"segment[{i}] may not be empty"))
            continue
        errs.extend(
            FieldError.invalid(field, path, f"segment[{i}]: {msg}")
            for msg in is_dns1123_subdomain(step)
        )
    return errs


def _validate_service(service: dict, field: str) -> list[FieldError]:
    """ValidateWebhookService: name, namespace, port and path."""
    errs: list[FieldError] = []
    if not service.get("name"):
        errs.append(FieldError.required(f"{field}.name", "service name is required"))
    if not service.get("namespace"):
        errs.append(FieldError.required(f"{field}.namespace", "service namespace is required"))
    port = service.get("port", 443)
    problems = is_valid_port_num(port)
    if problems:
        errs.append(
            FieldError.invalid(f"{field}.port", port, "port is not valid: " + ", ".join(problems))
        )
    if service.get("path") is not None:
        errs.extend(_validate_service_path(service["path"], f"{field}.path"))
    return errs


def validate_client_config(config: dict, field: str) -> list[FieldError]:
    """Exactly one of url and service, each valid."""
    url, service = config.get("url"), config.get("service")
    if (url is None) == (service is None):
        return [FieldError.required(field, "exactly one of url or service is required")]
    if url is not None:
        return _validate_url(url, f"{field}.url")
    return _validate_service(service or {}, f"{field}.service")

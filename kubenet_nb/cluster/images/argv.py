"""What a container runs: its argv after the kubelet's `$(VAR)` expansion, and its flags.

- argv: `command` replaces the image's ENTRYPOINT and drops its CMD; `args` alone replace the
  CMD (core/v1 types.go Container.Command/Args). The kubelet expands `$(VAR)` in both with the
  container's `env` (k/k third_party/forked/golang/expansion/expand.go @ v1.33.0: `$$` is a
  literal `$`, an unknown or unclosed reference stays as written); `env[].value` is expanded with
  the variables defined before it, `valueFrom` is not read here.
- flags: Go's flag package takes `-name=value`, `--name=value`, `-name value` and a bare
  `-name` for a boolean; spf13/pflag (cobra programs) only the `--` forms for long names, and
  one-letter names as `-p value` or in a cluster (`-lp 8080`). The last occurrence wins, and
  `--` ends the flags.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

__all__ = ["command_lines", "container_env", "expand", "flag_value", "positionals", "switch"]

_SEPARATORS = {";", "&&", "||", "&", "|", "\n", "(", ")"}


def expand(text: str, env: dict[str, str]) -> str:
    """`$(VAR)` replaced by its value, `$$` by `$`, anything else kept (the kubelet's Expand)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != "$" or i + 1 == len(text):
            out.append(text[i])
            i += 1
            continue
        following = text[i + 1]
        close = text.find(")", i + 2) if following == "(" else -1
        if following == "$":
            out.append("$")
        elif close >= 0:
            name = text[i + 2 : close]
            out.append(env.get(name, f"$({name})"))
            i = close + 1
            continue
        else:
            out.append("$" + following if following != "(" else "$(")
        i += 2
    return "".join(out)


def container_env(container: dict) -> dict[str, str]:
    """The container's `env[].value`s, each expanded with the ones defined before it."""
    env: dict[str, str] = {}
    for entry in container.get("env") or ():
        if "value" in entry and not entry.get("valueFrom"):
            env[str(entry.get("name", ""))] = expand(str(entry.get("value") or ""), env)
    return env


def _accepts(word: str, name: str, single_dash: bool) -> tuple[bool, str | None]:
    """Whether `word` is flag `name`, and its inline value if it carries one."""
    dashes = ("-",) if len(name) == 1 else (("--", "-") if single_dash else ("--",))
    for dash in dashes:
        if word == dash + name:
            return True, None
        if word.startswith(f"{dash}{name}="):
            return True, word.split("=", 1)[1]
    return False, None


def _cluster(word: str) -> str:
    """The letters of a short-option cluster (`-lp` -> `lp`), "" for any other word."""
    if len(word) > 2 and word[0] == "-" and word[1] != "-" and word[1:].isalpha():
        return word[1:]
    return ""


def flag_value(words: Sequence[str], names: Sequence[str], single_dash: bool) -> str | None:
    """The value of the last occurrence of any of the flags `names`, None if none is given."""
    found: str | None = None
    for i, word in enumerate(words):
        if word == "--":
            break
        for name in names:
            hit, inline = _accepts(word, name, single_dash)
            if not hit and len(name) == 1 and _cluster(word).endswith(name):
                hit = True
            if hit:
                following = words[i + 1] if i + 1 < len(words) else None
                found = inline if inline is not None else following
    return found


def switch(words: Sequence[str], name: str, default: bool, single_dash: bool) -> bool:
    """A boolean flag: bare `-name`/`--name` is true, `=false`/`=0` false, else `default`."""
    value = default
    for word in words:
        if word == "--":
            break
        hit, inline = _accepts(word, name, single_dash)
        if not hit and len(name) == 1 and name in _cluster(word):
            hit = True
        if hit:
            value = inline is None or inline.lower() in ("1", "t", "true")
    return value


def positionals(words: Sequence[str], valued: Sequence[str]) -> list[str]:
    """The words that are neither flags nor the values of the flags in `valued`."""
    found: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-") and word != "-":
            name = word.lstrip("-")
            skip = "=" not in name and (name in valued or _cluster(word)[-1:] in valued)
        else:
            found.append(word)
    return found


def command_lines(argv: Sequence[str]) -> list[list[str]]:
    """The simple commands argv runs: itself, or those of a `sh -c` script (`exec`,
    leading `VAR=value` words and `&&`/`;`/`&`/`|` separators removed)."""
    shells = ("sh", "bash", "ash", "dash")
    if len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in shells and argv[1] == "-c":
        try:
            lexer = shlex.shlex(argv[2], posix=True, punctuation_chars=";&|()")
            lexer.whitespace = " \t\r"
            words = list(lexer)
        except ValueError:
            return []
        lines: list[list[str]] = [[]]
        for word in words:
            if word in _SEPARATORS or set(word) <= set(";&|"):
                lines.append([])
            else:
                lines[-1].append(word)
    else:
        lines = [list(argv)]
    cleaned = []
    for line in lines:
        while line and (line[0] == "exec" or ("=" in line[0] and not line[0].startswith("-"))):
            line = line[1:]
        if line:
            cleaned.append(line)
    return cleaned

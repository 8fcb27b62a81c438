"""Running a program in a container: the basics (`cat`, `hostname`, `env`, `echo`), `sh -c`,
and the network tools.

`cat` knows the files the kubelet and containerd write (/etc/resolv.conf, /etc/hosts,
/etc/hostname) and, in nginx images, the welcome page; a missing file gets the image's wording
(GNU: `cat: /x: No such file or directory`, busybox: `cat: can't open '/x': No such file or
directory`, status 1); other files under system directories are not simulated. A shell reports a
program its image lacks as dash (`sh: 1: foo: not found`), busybox ash (`sh: foo: not found`) or
bash (`bash: line 1: foo: command not found`) does, with status 127.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.network.dns import cluster_dns_state
from kubenet_nb.network.tools.curl import run_curl
from kubenet_nb.network.tools.files import environment, hostname, hosts_file
from kubenet_nb.network.tools.http import WELCOME
from kubenet_nb.network.tools.nc import run_nc
from kubenet_nb.network.tools.nslookup import run_nslookup
from kubenet_nb.network.tools.process import Context, Execution
from kubenet_nb.network.tools.script import parse_script
from kubenet_nb.network.tools.wget import run_wget

__all__ = ["SHELLS", "read_file", "run_program"]

SHELLS = ("sh", "ash", "dash", "bash")
BUILTINS = ("echo", "true", "false")
"""Commands every shell has built in, whatever the image holds."""
SYSTEM_DIRECTORIES = ("/etc/", "/proc/", "/sys/", "/usr/", "/var/", "/bin/", "/sbin/", "/lib")
NGINX_INDEX = "/usr/share/nginx/html/index.html"


def read_file(context: Context, path: str) -> str | None:
    """The file's content, None when it does not exist; KubenetError when not simulated."""
    pod, domain = context.pod, context.cluster.settings.cluster_domain
    if path == "/etc/resolv.conf":
        return cluster_dns_state(context.cluster).resolv_conf(pod).text()
    if path == "/etc/hosts" and not (pod.get("spec") or {}).get("hostNetwork"):
        return hosts_file(pod, domain)
    if path == "/etc/hostname":
        return hostname(pod, domain) + "\n"
    if path == NGINX_INDEX and "nginx" in context.toolbox.commands:
        return WELCOME
    if path.startswith(SYSTEM_DIRECTORIES) or path == "/etc/hosts":
        raise KubenetError(f"the file {path} is not simulated by kubenet-nb")
    return None


def _cat(context: Context, argv: list[str]) -> Execution:
    result = Execution()
    if not argv:
        result.out(context.stdin)
    for path in argv:
        content = read_file(context, path)
        if content is not None:
            result.out(content)
            continue
        if context.toolbox.style == "busybox":
            result.err(f"cat: can't open '{path}': No such file or directory\n")
        else:
            result.err(f"cat: {path}: No such file or directory\n")
        result.exit_code = 1
    return result


def _hostname(context: Context, argv: list[str]) -> Execution:
    if argv:
        raise KubenetError("hostname's options are not simulated by kubenet-nb")
    result = Execution()
    result.out(hostname(context.pod, context.cluster.settings.cluster_domain) + "\n")
    return result


def _environment(context: Context) -> list[tuple[str, str]]:
    return environment(context.cluster, context.pod, context.container, context.toolbox)


def _env(context: Context, argv: list[str]) -> Execution:
    if argv:
        raise KubenetError("env with arguments is not simulated by kubenet-nb")
    result = Execution()
    result.out("".join(f"{name}={value}\n" for name, value in _environment(context)))
    return result


def _printenv(context: Context, argv: list[str]) -> Execution:
    if not argv:
        return _env(context, argv)
    result = Execution()
    known = dict(_environment(context))
    for name in argv:
        if name in known:
            result.out(known[name] + "\n")
        else:
            result.exit_code = 1
    return result


def _echo(context: Context, argv: list[str]) -> Execution:
    result = Execution()
    newline = not argv or argv[0] != "-n"
    words = argv if newline else argv[1:]
    result.out(" ".join(words) + ("\n" if newline else ""))
    return result


def _status(code: int) -> Callable[[Context, list[str]], Execution]:
    return lambda context, argv: Execution(exit_code=code)


def _not_found(shell: str, dialect: str, name: str) -> str:
    if dialect == "bash":
        return f"{shell}: line 1: {name}: command not found\n"
    if dialect == "dash":
        return f"{shell}: 1: {name}: not found\n"
    return f"{shell}: {name}: not found\n"


def _assignment(word: str) -> tuple[str, str]:
    """`NAME=value` as (NAME, value), split at the first `=`."""
    name, _, value = word.partition("=")
    return name, value


def _sh(context: Context, argv: list[str], shell: str) -> Execution:
    name = shell.rsplit("/", 1)[-1]
    dialect = "bash" if name == "bash" else context.toolbox.shell
    if argv[:1] == ["-c"] and len(argv) >= 2:
        script = argv[1]
    elif not argv:
        script = context.stdin
    else:
        raise KubenetError(f"{name} with arguments {argv} is not simulated by kubenet-nb")
    result = Execution()
    variables: dict[str, str] = dict(_environment(context))
    variables["?"] = "0"
    for operator, words in parse_script(script, lambda key: variables.get(key, "")):
        status = int(variables["?"])
        if (operator == "&&" and status) or (operator == "||" and not status):
            continue
        if all("=" in w and w.split("=", 1)[0].isidentifier() for w in words):
            variables.update(_assignment(w) for w in words)
            continue
        if words[0] == "export":
            variables.update(_assignment(w) for w in words[1:] if "=" in w)
            continue
        if words[0] == "exit":
            result.exit_code = int(words[1]) if len(words) > 1 else status
            return result
        if words[0] in BUILTINS or context.toolbox.has(words[0]):
            step = run_program(context, words)
        else:
            step = Execution(exit_code=127)
            step.err(_not_found(shell, dialect, words[0]))
        result.extend(step)
        variables["?"] = str(step.exit_code)
    result.exit_code = int(variables["?"])
    return result


PROGRAMS: dict[str, Callable[[Context, list[str]], Execution]] = {
    "cat": _cat,
    "hostname": _hostname,
    "env": _env,
    "printenv": _printenv,
    "echo": _echo,
    "true": _status(0),
    "false": _status(1),
    "curl": run_curl,
    "wget": run_wget,
    "nslookup": run_nslookup,
    "nc": run_nc,
}


def run_program(context: Context, argv: list[str]) -> Execution:
    """Run argv[0] (a program the image has) with its arguments."""
    name = argv[0].rsplit("/", 1)[-1]
    if name in SHELLS:
        return _sh(context, argv[1:], argv[0])
    program = PROGRAMS.get(name)
    if program is None:
        raise KubenetError(f'"{name}" is not simulated by kubenet-nb')
    return program(context, argv[1:])

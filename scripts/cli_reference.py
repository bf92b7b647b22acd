"""Write docs/cli.md, the reference of every `jisr` command and option, from the Typer app itself,
so that it cannot drift from `--help`.

    python scripts/cli_reference.py            # writes docs/cli.md
    python scripts/cli_reference.py --check    # exit 1 if docs/cli.md is not what it would write
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from mt.app.cli import app

OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


# Typer 0.29 carries its own copy of click, so its classes are reached through the app's objects.
Command = Parameter = Any


def _context(command: Command) -> Any:
    return command.context_class(command)


def _default(param: Parameter) -> str:
    if getattr(param, "is_flag", False) and param.secondary_opts:
        return f"`{param.opts[0] if param.default else param.secondary_opts[0]}`"
    if param.default in (None, (), []) or param.required:
        return ""
    return f"`{param.default}`"


def _names(param: Parameter) -> str:
    if param.param_type_name == "argument":
        return f"`{(param.metavar or param.name).upper()}`"
    return ", ".join(f"`{name}`" for name in [*param.opts, *param.secondary_opts])


def _is_group(command: Command) -> bool:
    return hasattr(command, "list_commands")


def _commands(group: Command, prefix: str) -> Iterator[tuple[str, Command]]:
    context = _context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        yield f"{prefix} {name}", command
        if _is_group(command):
            yield from _commands(command, f"{prefix} {name}")


def _section(path: str, command: Command) -> str:
    lines = [f"## `{path}`", ""]
    usage = " ".join(command.collect_usage_pieces(_context(command)))
    lines += ["```", f"{path} {usage}", "```", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    if command.epilog:
        lines += [command.epilog.strip(), ""]
    params = [param for param in command.params if param.name != "help"]
    if params:
        lines += ["| argument or option | default | meaning |", "| --- | --- | --- |"]
        for param in params:
            meaning = getattr(param, "help", None) or ""
            lines.append(f"| {_names(param)} | {_default(param)} | {_cell(meaning)} |")
        lines.append("")
    return "\n".join(lines)


def render() -> str:
    root = typer.main.get_command(app)
    parts = [
        "# Command-line reference",
        "",
        "Generated from the CLI by `python scripts/cli_reference.py`: never edit by hand. "
        "`jisr COMMAND --help` prints the same.",
        "",
        _section("jisr", root),
    ]
    parts += [_section(path, command) for path, command in _commands(root, "jisr")]
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="Exit 1 if the reference is not up to date.")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
        if current != text:
            sys.exit(f"{OUTPUT} is out of date: run python scripts/cli_reference.py")
        return
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"cli_reference: wrote {OUTPUT}", file=sys.stderr)


if __name__ == "__main__":
    main()

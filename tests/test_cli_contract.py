"""The `ocop` command keeps the interface of cli.md: every command exists and answers --help with exit 0."""

import pytest

from ocop.cli import main

COMMANDS = [
    ["crawl"], ["sources", "list"], ["sources", "check"],
    ["extract", "article"], ["extract", "links"], ["extract", "facts"],
    ["eval", "facts"], ["eval", "articles"],
    ["db", "upgrade"], ["facts"], ["articles"], ["search"], ["export"], ["reextract"], ["serve"],
    ["digest"], ["schedule"], ["demo"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command, capsys):
    assert main([*command, "--help"]) == 0
    assert "Usage" in capsys.readouterr().out


def test_unknown_command_is_bad_usage(capsys):
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-command" in err

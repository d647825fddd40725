"""The layers of the README's architecture section hold: import-linter's contracts from pyproject.toml."""

from pathlib import Path

from importlinter import cli

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exit_code = cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    report = capsys.readouterr().out
    assert exit_code == cli.EXIT_STATUS_SUCCESS, report
    assert "5 kept, 0 broken" in report

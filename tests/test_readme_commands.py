"""Every ``evkg`` command of the README's bash blocks, run as written in a directory holding
only what a clone ships (``examples/``, ``schema/``), against a store built there from
scratch: the README cannot drift from the CLI. Commands that need a server, a network, the
shared reference data or a value only the reader knows are listed in ``SKIPPED`` with the
reason, and that list is checked against the README too. Optional parts written in brackets
(``[--repair]``) are left out: the command runs as its shortest written form."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.cli import cli

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"

#: Commands not run, by their first words after ``evkg``, with the reason.
SKIPPED = {
    "serve": "starts a server that runs until stopped (the web tests cover it)",
    "mine": "mines the shared PubMed files (the mining tests cover it)",
    "curate lint --fix": "rewrites the curated files of the checkout in place",
    "review accept": "needs the hash of a mined claim awaiting review",
    "review reject": "needs the hash of a mined claim awaiting review",
    "data fetch": "downloads reference data",
    "compare a1.csv": "placeholder file names of a user's replicates",
}

#: Query commands the issue names: each must be in the README and run here.
REQUIRED = ("disease", "cargo", "gene", "search", "reference", "studies", "analyze", "qc", "export")


def readme_commands(text: str) -> list[str]:
    """The ``evkg`` commands of the README's bash blocks, one per command: continuations
    joined, ``&&`` and ``;`` chains split, a leading ``.venv/bin/`` dropped."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            for part in re.split(r"&&|;", line):
                words = part.strip()
                if words.startswith(".venv/bin/evkg "):
                    words = words.removeprefix(".venv/bin/")
                if words.startswith("evkg "):
                    commands.append(words)
    return commands


def _words(command: str) -> list[str]:
    """A command's words as the shell passes them, without comments and bracketed options."""
    return shlex.split(re.sub(r"\s*\[[^\]]*\]", "", command), comments=True)


def _skip_reason(command: str) -> str | None:
    body = " ".join(_words(command)[1:])
    words = [w for w in body.split() if not w.startswith("--data-dir") and "shared/data" not in w]
    rest = " ".join(words)
    for prefix, reason in SKIPPED.items():
        if rest == prefix or rest.startswith(prefix + " "):
            return reason
    if "--data-dir" in body:
        return "uses the shared reference data (the reference_data tests cover it)"
    return None


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))
RUN = [command for command in COMMANDS if _skip_reason(command) is None]


def test_the_readme_commands_are_found_and_the_skips_are_current() -> None:
    assert len(COMMANDS) >= 25
    names = {_words(c)[1] for c in RUN}
    assert set(REQUIRED) <= names
    for prefix in SKIPPED:
        assert any(f" {prefix}" in c for c in COMMANDS), (
            f"SKIPPED lists {prefix!r}, which the README no longer has"
        )


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with what a clone ships that the commands read or write into (the
    examples, the schema folder) and nothing else; with a fresh user data directory the
    store is built from the packaged curated knowledge on first use."""
    root = tmp_path_factory.mktemp("clone")
    for folder in ("examples", "schema"):
        shutil.copytree(REPO / folder, root / folder)
    return root


#: Options whose value is a file or folder the command writes.
_OUTPUTS = {"-o", "--out", "--output", "--report", "--tsv-dir"}


def _arguments(command: str, cwd: Path) -> list[str]:
    """The words of a command as the shell would pass them: comments dropped, quotes
    removed, globs expanded in ``cwd``."""
    arguments = []
    for word in _words(command)[1:]:
        if any(mark in word for mark in "*?"):
            matches = sorted(str(p.relative_to(cwd)) for p in cwd.glob(word))
            assert matches, f"{word!r} matches nothing in a clone"
            arguments.extend(matches)
        else:
            arguments.append(word)
    return arguments


@pytest.mark.slow
@pytest.mark.parametrize("command", RUN, ids=lambda command: " ".join(_words(command)[1:]))
def test_readme_command_runs_on_a_fresh_clone(
    command: str, clone: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(clone)
    monkeypatch.setenv("XDG_DATA_HOME", str(clone / ".user-data"))
    arguments = _arguments(command, clone)
    written = [clone / arguments[i + 1] for i, word in enumerate(arguments) if word in _OUTPUTS]
    for path in written:  # so that what is checked below is this run's output
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    result = CliRunner().invoke(cli, arguments, catch_exceptions=False)
    assert result.exit_code == 0, f"{command}\n{result.output}"
    for path in written:
        assert path.is_file() or any(path.iterdir()), f"{command} wrote nothing to {path}"
    if not written:
        assert result.output.strip(), f"{command} printed nothing"

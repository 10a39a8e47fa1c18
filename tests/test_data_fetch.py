"""Downloading reference files from a local HTTP server (never the internet): full download,
resume after a truncated download, servers that ignore Range, checksum mismatch; installing
from a local copy; status; the ``evkg data`` commands."""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.cli import cli
from evkg.sources.fetch import (
    ChecksumError,
    FetchError,
    download,
    fetch_reference,
    file_status,
    install_from,
)
from evkg.vocab.reference_files import REFERENCE_FILES, ReferenceFile

CONTENT = b"Apoptosis\tR-HSA-109581\tBCL2\tCASP3\tBAX\n" * 2000


class _Server:
    """Serves ``files`` with HTTP Range support (unless ``ranges`` is off); records requests."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.ranges = True
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                wanted = self.headers.get("Range")
                server.requests.append((self.path, wanted))
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404, "not here")
                    return
                start = 0
                if wanted and server.ranges:
                    start = int(wanted.removeprefix("bytes=").split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                self.wfile.write(body[start:])

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[_Server]:
    running = _Server()
    running.thread.start()
    try:
        yield running
    finally:
        running.httpd.shutdown()
        running.httpd.server_close()


def _reference(content: bytes, url: str, path: str = "reactome/test.gmt") -> ReferenceFile:
    return ReferenceFile(
        name="test_gmt",
        relative_path=path,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        licence="CC0-1.0",
        version="1",
        upstream_url=url,
        description="a test gene-set file",
    )


def test_download_verifies_and_reports_progress(server: _Server, tmp_path: Path) -> None:
    server.files["/test.gmt"] = CONTENT
    seen: list[tuple[int, int | None]] = []
    reference = _reference(CONTENT, server.url("/test.gmt"))
    result = fetch_reference(reference, tmp_path, progress=lambda d, t: seen.append((d, t)))
    assert (result.status, result.verified) == ("downloaded", True)
    assert (tmp_path / "reactome/test.gmt").read_bytes() == CONTENT
    assert seen[-1] == (len(CONTENT), len(CONTENT))
    again = fetch_reference(reference, tmp_path)
    assert again.status == "present"
    assert len(server.requests) == 1  # a verified copy is not downloaded again


def test_resume_after_truncated_download(server: _Server, tmp_path: Path) -> None:
    server.files["/test.gmt"] = CONTENT
    part = tmp_path / "reactome" / "test.gmt.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(CONTENT[:30_000])  # an earlier run stopped here
    result = fetch_reference(_reference(CONTENT, server.url("/test.gmt")), tmp_path)
    assert result.status == "resumed"
    assert server.requests == [("/test.gmt", "bytes=30000-")]
    assert (tmp_path / "reactome/test.gmt").read_bytes() == CONTENT
    assert not part.exists()


def test_server_ignoring_range_restarts(server: _Server, tmp_path: Path) -> None:
    server.files["/test.gmt"] = CONTENT
    server.ranges = False
    part = tmp_path / "reactome" / "test.gmt.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"garbage that must not be kept")
    result = fetch_reference(_reference(CONTENT, server.url("/test.gmt")), tmp_path)
    assert result.status == "downloaded"
    assert (tmp_path / "reactome/test.gmt").read_bytes() == CONTENT


def test_checksum_mismatch_keeps_nothing(server: _Server, tmp_path: Path) -> None:
    server.files["/test.gmt"] = CONTENT[:-1] + b"X"  # upstream changed
    reference = _reference(CONTENT, server.url("/test.gmt"))
    with pytest.raises(ChecksumError, match="does not match the registered"):
        fetch_reference(reference, tmp_path)
    assert not (tmp_path / "reactome/test.gmt").exists()
    assert not (tmp_path / "reactome/test.gmt.part").exists()


def test_good_file_survives_a_failed_refetch(server: _Server, tmp_path: Path) -> None:
    server.files["/test.gmt"] = CONTENT
    reference = _reference(CONTENT, server.url("/test.gmt"))
    fetch_reference(reference, tmp_path)
    server.files["/test.gmt"] = b"changed upstream"
    with pytest.raises(ChecksumError):
        fetch_reference(reference, tmp_path, force=True)
    assert (tmp_path / "reactome/test.gmt").read_bytes() == CONTENT


def test_http_errors_and_unreachable_hosts(server: _Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        download(server.url("/missing"), tmp_path / "x")
    with pytest.raises(FetchError, match="cannot connect"):
        download("http://127.0.0.1:9/nothing", tmp_path / "y", timeout=2)
    no_url = replace(_reference(CONTENT, "unused"), upstream_url=None)
    with pytest.raises(FetchError, match="--from"):
        fetch_reference(no_url, tmp_path)


def test_uncompressed_upstream_of_a_gzip_registry_entry(server: _Server, tmp_path: Path) -> None:
    packed = gzip.compress(CONTENT)
    server.files["/hgnc.tsv"] = CONTENT
    reference = _reference(packed, server.url("/hgnc.tsv"), "hgnc/test.tsv.gz")
    result = fetch_reference(reference, tmp_path)
    assert result.path == tmp_path / "hgnc/test.tsv"
    assert not result.verified
    assert "no content checksum" in result.note
    assert reference.locate(tmp_path) == result.path


def test_uncompressed_upstream_is_verified_against_the_content_checksum(
    server: _Server, tmp_path: Path
) -> None:
    packed = gzip.compress(CONTENT)
    server.files["/hgnc.tsv"] = CONTENT
    reference = replace(
        _reference(packed, server.url("/hgnc.tsv"), "hgnc/test.tsv.gz"),
        content_sha256=hashlib.sha256(CONTENT).hexdigest(),
        content_size=len(CONTENT),
    )
    result = fetch_reference(reference, tmp_path)
    assert result.verified
    assert reference.verify(result.path)
    assert fetch_reference(reference, tmp_path).status == "present"
    # a corrupted upstream is refused, not installed
    server.files["/hgnc.tsv"] = CONTENT[:-10] + b"corrupted!"
    with pytest.raises(FetchError, match="does not match"):
        fetch_reference(reference, tmp_path / "other")
    assert not (tmp_path / "other" / "hgnc" / "test.tsv").exists()


@pytest.mark.reference_data
def test_registered_content_checksums_match_the_reference_data(data_dir: Path) -> None:
    for reference in REFERENCE_FILES.values():
        path = data_dir / reference.relative_path
        if reference.content_sha256 is None or not path.is_file():
            continue
        with gzip.open(path, "rb") as stream:
            digest = hashlib.sha256(stream.read()).hexdigest()
        assert digest == reference.content_sha256, reference.name


def test_install_from_directory_and_file(tmp_path: Path) -> None:
    source = tmp_path / "copy"
    (source / "reactome").mkdir(parents=True)
    (source / "reactome/test.gmt").write_bytes(CONTENT)
    reference = _reference(CONTENT, "unused")
    target = tmp_path / "data"
    result = install_from(reference, source, target)
    assert (result.status, result.verified) == ("installed", True)
    assert (target / "reactome/test.gmt").read_bytes() == CONTENT
    flat = tmp_path / "test.gmt"
    flat.write_bytes(CONTENT)
    assert install_from(reference, flat, tmp_path / "other").verified
    flat.write_bytes(b"tampered")
    with pytest.raises(ChecksumError, match="which is not the registered"):
        install_from(reference, flat, tmp_path / "third")
    assert not (tmp_path / "third/reactome/test.gmt").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FetchError, match="not under"):
        install_from(reference, empty, tmp_path / "fourth")


def test_status_reports_present_verified_and_mismatched(tmp_path: Path) -> None:
    good = _reference(CONTENT, "unused")
    bad = replace(good, name="bad", relative_path="reactome/bad.gmt")
    missing = replace(good, name="missing", relative_path="reactome/missing.gmt")
    (tmp_path / "reactome").mkdir()
    (tmp_path / "reactome/test.gmt").write_bytes(CONTENT)
    (tmp_path / "reactome/bad.gmt").write_bytes(b"not it")
    rows = {row.name: row for row in file_status([good, bad, missing], tmp_path)}
    assert rows["test_gmt"].verified is True
    assert rows["bad"].verified is False
    assert rows["missing"].path is None
    assert rows["missing"].verified is None


def test_cli_data_fetch_from_and_status(tmp_path: Path, data_dir: Path) -> None:
    target = tmp_path / "reference"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "--no-progress",
            "--data-dir",
            str(target),
            "data",
            "fetch",
            "reactome",
            "--from",
            str(data_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (target / "reactome/ReactomePathways.gmt").is_file()
    result = runner.invoke(cli, ["--format", "tsv", "--data-dir", str(target), "data", "status"])
    assert result.exit_code == 0, result.output
    reactome = next(line for line in result.output.splitlines() if line.startswith("reactome\t"))
    assert "\tTrue\tyes\t" in reactome
    result = runner.invoke(cli, ["--data-dir", str(target), "data", "fetch", "nonsense"])
    assert result.exit_code == 2
    assert "unknown reference file(s) nonsense" in result.output


def test_install_from_refuses_what_it_cannot_verify_and_keeps_the_installed_file(
    tmp_path: Path,
) -> None:
    """The defect: any .gz given for an uncompressed file replaced the verified copy with
    unchecked bytes. Now it is decompressed and checked, refused when it does not match
    (the installed file unchanged) and installed unverified only with force."""
    reference = _reference(CONTENT, "unused")
    target = tmp_path / "data"
    (target / "reactome").mkdir(parents=True)
    installed = target / "reactome/test.gmt"
    installed.write_bytes(CONTENT)
    other = tmp_path / "any.gz"
    other.write_bytes(gzip.compress(b"something else entirely\n"))
    with pytest.raises(ChecksumError, match="decompressed content has SHA-256"):
        install_from(reference, other, target)
    assert installed.read_bytes() == CONTENT
    assert [p.name for p in target.iterdir()] == ["reactome"]  # no temporary left behind
    forced = install_from(reference, other, target, force=True)
    assert (forced.status, forced.verified) == ("installed", False)
    assert "NOT VERIFIED" in forced.note
    assert installed.read_bytes() == b"something else entirely\n"
    # a gzip copy of the right content is decompressed, verified and installed
    right = tmp_path / "right.gmt.gz"
    right.write_bytes(gzip.compress(CONTENT))
    result = install_from(reference, right, target)
    assert (result.status, result.verified, result.path) == ("installed", True, installed)
    assert installed.read_bytes() == CONTENT


def test_install_from_bounds_decompression_and_refuses_broken_gzip(tmp_path: Path) -> None:
    reference = _reference(CONTENT, "unused")
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (50 * len(CONTENT))))
    with pytest.raises(ChecksumError, match="more than the registered"):
        install_from(reference, bomb, tmp_path / "data")
    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(CONTENT)[:200])
    with pytest.raises(ChecksumError, match="not a readable gzip file"):
        install_from(reference, broken, tmp_path / "data")
    assert not (tmp_path / "data/reactome/test.gmt").exists()


def test_install_from_checks_an_uncompressed_copy_of_a_gzip_file(tmp_path: Path) -> None:
    compressed = gzip.compress(CONTENT)
    reference = replace(
        _reference(compressed, "unused", path="reactome/test.gmt.gz"),
        content_sha256=hashlib.sha256(CONTENT).hexdigest(),
        content_size=len(CONTENT),
    )
    plain = tmp_path / "test.gmt"
    plain.write_bytes(CONTENT)
    result = install_from(reference, plain, tmp_path / "a")
    assert (result.verified, result.path.name) == (True, "test.gmt")
    plain.write_bytes(b"tampered\n")
    with pytest.raises(ChecksumError, match="uncompressed"):
        install_from(reference, plain, tmp_path / "b")
    unregistered = replace(reference, content_sha256=None, content_size=None)
    plain.write_bytes(CONTENT)
    with pytest.raises(ChecksumError, match="cannot be checked"):
        install_from(unregistered, plain, tmp_path / "c")
    assert not (tmp_path / "c/reactome/test.gmt").exists()
    assert not install_from(unregistered, plain, tmp_path / "c", force=True).verified


def test_cli_data_fetch_from_an_unverifiable_file(tmp_path: Path, data_dir: Path) -> None:
    target = tmp_path / "reference"
    runner = CliRunner()
    base = ["--no-progress", "--data-dir", str(target), "data", "fetch", "reactome"]
    assert runner.invoke(cli, [*base, "--from", str(data_dir)]).exit_code == 0
    installed = target / "reactome/ReactomePathways.gmt"
    good = installed.read_bytes()
    other = tmp_path / "any.gz"
    other.write_bytes(gzip.compress(b"not reactome\n"))
    refused = runner.invoke(cli, [*base, "--from", str(other)])
    assert refused.exit_code == 1
    assert "give --force" in " ".join(refused.output.split())
    assert installed.read_bytes() == good
    forced = runner.invoke(cli, [*base, "--from", str(other), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "NOT VERIFIED" in forced.output
    assert installed.read_bytes() == b"not reactome\n"

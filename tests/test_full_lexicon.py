"""Reference-file readers and the cached full lexicon.

The first part runs on the small hand-written files in ``tests/fixtures/reference_files``
(same layout and formats as the real data directory, decompressed); the second on the real
reference data (``../shared/data`` next to the repository, or ``$EVKG_DATA_DIR``) and is
skipped when that is absent.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import shutil
from pathlib import Path

import pytest

from evkg.model import EntityKind, validate_curie
from evkg.vocab import full_lexicon
from evkg.vocab.full_lexicon import (
    DATA_DIR_ENV,
    LEXICON_FILES,
    DataDirError,
    build_full_lexicon,
    cache_file_for,
    data_dir_from_settings,
)
from evkg.vocab.lexicon import Lexicon
from evkg.vocab.reference_files import (
    REFERENCE_FILES,
    ReferenceDataError,
    read_cell_ontology,
    read_disease_ontology,
    read_do_reports,
    read_go,
    read_hgnc,
    read_mesh,
    read_mirbase_history,
    read_mirbase_mature,
    read_mondo,
    read_ncbi_gene,
    read_orthology,
    read_reactome_gmt,
    read_uberon,
    read_wikipathways_gmt,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reference_files"


def fixture(name: str) -> Path:
    """Path of the fixture copy of registry file ``name``."""
    path = REFERENCE_FILES[name].locate(FIXTURES)
    assert path is not None, f"fixture for {name} missing"
    return path


def lookup_curies(lexicon: Lexicon, name: str) -> list[str]:
    return [curie for curie, _how in lexicon.lookup(name)]


# --- registry ------------------------------------------------------------------------------


def test_registry_is_consistent() -> None:
    paths = [ref.relative_path for ref in REFERENCE_FILES.values()]
    assert len(paths) == len(set(paths))
    for name, ref in REFERENCE_FILES.items():
        assert ref.name == name
        assert re.fullmatch(r"[0-9a-f]{64}", ref.sha256), name
        assert ref.size > 0
        assert ref.licence
        assert ref.version
        assert ref.description
        assert ref.upstream_url is None or ref.upstream_url.startswith(
            ("https://", "http://", "ftp://")
        )
    assert set(LEXICON_FILES) <= set(REFERENCE_FILES)
    for required in (
        "hgnc",
        "ncbi_gene",
        "mirbase_mature",
        "mirbase_history",
        "mondo",
        "mesh",
        "cell_ontology",
        "uberon",
        "go_terms",
        "reactome",
        "orthology",
        "mgi",
        "rgd",
        "mirtarbase_hsa",
        "mirtarbase_mmu",
        "msigdb_hallmark",
        "gene2go",
    ):
        assert required in REFERENCE_FILES


# --- readers on fixtures -------------------------------------------------------------------


def test_read_hgnc_keeps_approved_rows_only() -> None:
    genes = {entry.curie: entry for entry in read_hgnc(fixture("hgnc"))}
    assert set(genes) == {"hgnc:11998", "hgnc:6771", "hgnc:31533"}
    tp53 = genes["hgnc:11998"]
    assert tp53.kind is EntityKind.GENE
    assert tp53.label == "TP53"
    assert {"p53", "LFS1", "tumor protein p53"} <= set(tp53.synonyms)
    assert tp53.xrefs == ("ncbigene:7157", "uniprot:P04637")
    assert tp53.attribute("entrez") == "7157"
    smad5 = genes["hgnc:6771"]
    assert ("previous", "MADH5") in smad5.attributes
    assert "MADH5" in smad5.synonyms


def test_read_ncbi_gene_keys_aliases_to_hgnc(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        entries = list(read_ncbi_gene(fixture("ncbi_gene"), {"7157": "hgnc:11998"}))
    assert [entry.curie for entry in entries] == ["hgnc:11998"]
    assert "P53" in entries[0].synonyms
    assert "2 skipped" in caplog.text  # SMAD5 and the LOC row have no HGNC gene in the map


def test_read_orthology() -> None:
    links = read_orthology(fixture("orthology"))
    assert links["hgnc:11998"] == (("Trp53",), ("Tp53",))
    assert "hgnc:31533" not in links  # no rodent symbol: skipped


def test_read_mirbase_mature_and_history() -> None:
    mature = {e.curie: e for e in read_mirbase_mature(fixture("mirbase_mature"))}
    mir146a = mature["mirbase.mature:MIMAT0000449"]
    assert mir146a.kind is EntityKind.MIRNA
    assert mir146a.label == "hsa-miR-146a-5p"
    assert mir146a.attribute("species") == "hsa"
    assert mir146a.attribute("accession") == "MIMAT0000449"
    assert mature["mirbase.mature:MIMAT0000530"].attribute("species") == "mmu"
    only_mouse = list(read_mirbase_mature(fixture("mirbase_mature"), species={"mmu"}))
    assert [e.label for e in only_mouse] == ["mmu-miR-21a-5p"]

    current = {e.curie.partition(":")[2]: e.label for e in mature.values()}
    history = {e.curie: e for e in read_mirbase_history(fixture("mirbase_history"), current)}
    assert history["mirbase.mature:MIMAT0004494"].label == "hsa-miR-21-3p"
    assert ("previous", "hsa-miR-21*") in history["mirbase.mature:MIMAT0004494"].attributes
    assert set(history["mirbase.mature:MIMAT0000449"].synonyms) == {"hsa-miR-146", "hsa-miR-146a"}
    assert "mirbase.mature:MIMAT9999999" not in history  # not in current miRBase
    # without current names the latest historical name is the label
    raw = {e.curie: e for e in read_mirbase_history(fixture("mirbase_history"))}
    assert raw["mirbase.mature:MIMAT0000449"].label == "hsa-miR-146a"


def test_read_disease_ontology_normalises_xrefs() -> None:
    terms = {e.curie: e for e in read_disease_ontology(fixture("disease_ontology"))}
    ra = terms["doid:7148"]
    assert ra.kind is EntityKind.DISEASE
    assert ra.label == "rheumatoid arthritis"
    assert ra.xrefs == ("mesh:D001172", "umls:C0003873", "snomedct:69896004")
    assert ("alt_id", "doid:7149") in ra.attributes
    assert ("parent", "doid:848") in ra.attributes


def test_read_do_reports_unquotes() -> None:
    labels = {e.curie: e.label for e in read_do_reports(fixture("disease_ontology_reports"))}
    assert labels["doid:7148"] == "rheumatoid arthritis"
    assert labels["doid:0050001"] == 'disease, with a "quoted" word'


def test_read_mondo_adds_prefix() -> None:
    terms = {e.curie: e for e in read_mondo(fixture("mondo"))}
    assert set(terms) == {"mondo:0005178", "mondo:0008383"}
    oa = terms["mondo:0005178"]
    assert oa.xrefs == ("doid:8398", "mesh:D010003")
    assert ("parent", "mondo:0005578") in oa.attributes


def test_read_mesh_keeps_disease_descriptors_only() -> None:
    terms = {e.curie: e for e in read_mesh(fixture("mesh"))}
    assert set(terms) == {"mesh:D001172"}
    assert terms["mesh:D001172"].kind is EntityKind.DISEASE
    assert "Rheumatoid Arthritis" in terms["mesh:D001172"].synonyms


def test_read_cellxgene_ontologies_skip_deprecated() -> None:
    cells = {e.curie: e for e in read_cell_ontology(fixture("cell_ontology"))}
    assert set(cells) == {"cl:0000134"}
    assert cells["cl:0000134"].kind is EntityKind.CELL_TYPE
    assert cells["cl:0000134"].attributes == (("parent", "cl:0000048"),)
    tissues = {e.curie: e for e in read_uberon(fixture("uberon"))}
    assert set(tissues) == {"uberon:0002371", "uberon:0001013"}
    assert tissues["uberon:0002371"].kind is EntityKind.TISSUE


def test_read_go_biological_process_only() -> None:
    terms = {e.curie: e for e in read_go(fixture("go_terms"))}
    assert set(terms) == {"go:0007249", "go:0006915"}
    assert terms["go:0007249"].kind is EntityKind.PROCESS
    assert ("alt_id", "go:0006917") in terms["go:0006915"].attributes


def test_read_pathway_gmts() -> None:
    reactome = {e.curie: e for e in read_reactome_gmt(fixture("reactome"))}
    assert reactome["reactome:R-HSA-166016"].label == "Toll Like Receptor 4 (TLR4) Cascade"
    assert reactome["reactome:R-HSA-166016"].kind is EntityKind.PATHWAY
    (wp,) = read_wikipathways_gmt(fixture("wikipathways_human"))
    assert (wp.curie, wp.label, wp.attribute("species")) == (
        "wikipathways:WP254",
        "Apoptosis",
        "Homo sapiens",
    )


def test_gzip_and_byte_order_mark_are_transparent(tmp_path: Path) -> None:
    source = fixture("hgnc").read_bytes()
    gz = tmp_path / "hgnc.tsv.gz"
    gz.write_bytes(gzip.compress(b"\xef\xbb\xbf" + source))  # BOM, as miRTarBase ships
    assert list(read_hgnc(gz)) == list(read_hgnc(fixture("hgnc")))


# --- malformed input -----------------------------------------------------------------------


def test_wrong_header_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "hgnc.tsv"
    bad.write_text("hgnc_id\tsymbol\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"hgnc\.tsv, line 1: unexpected header") as info:
        list(read_hgnc(bad))
    assert info.value.path == bad
    assert info.value.line == 1


def test_wrong_column_count_names_line(tmp_path: Path) -> None:
    lines = fixture("ncbi_gene").read_text(encoding="utf-8").splitlines()
    lines.insert(2, "4089\tSMAD4\tSMAD family member 4")
    bad = tmp_path / "ncbi.tsv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"ncbi\.tsv, line 3: expected 6 columns, found 3"):
        list(read_ncbi_gene(bad, {}))


def test_undecodable_bytes_name_line(tmp_path: Path) -> None:
    bad = tmp_path / "mesh.tsv"
    bad.write_bytes(b"D001172\tArthritis\t\tC05\t\nD000002\tCaf\xe9\t\tC01\t\n")
    with pytest.raises(ReferenceDataError, match=r"mesh\.tsv, line 2: undecodable bytes"):
        list(read_mesh(bad))


def test_malformed_records(tmp_path: Path) -> None:
    fasta = tmp_path / "mature.fa"
    fasta.write_text(">hsa-miR-21-5p\nUAGC\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"mature\.fa, line 1: malformed FASTA header"):
        list(read_mirbase_mature(fasta))
    broken_json = tmp_path / "go.json"
    broken_json.write_text('[\n{"id": "GO:0000001",\n', encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"go\.json, line \d+: invalid JSON"):
        list(read_go(broken_json))
    truncated = tmp_path / "hgnc.tsv.gz"
    truncated.write_bytes(gzip.compress(fixture("hgnc").read_bytes())[:-12])
    with pytest.raises(ReferenceDataError, match="corrupt gzip data"):
        list(read_hgnc(truncated))
    mesh_with_header = tmp_path / "mesh.tsv"
    mesh_with_header.write_text("ui\tname\tterms\ttrees\ttaxon\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"line 1: malformed MeSH descriptor UI"):
        list(read_mesh(mesh_with_header))


# --- building and caching --------------------------------------------------------------------


def test_build_from_fixtures(tmp_path: Path) -> None:
    lexicon = build_full_lexicon(FIXTURES, cache_dir=tmp_path)
    assert lookup_curies(lexicon, "P53") == ["hgnc:11998"]  # NCBI alias
    assert lookup_curies(lexicon, "Trp53") == ["hgnc:11998"]  # mouse symbol
    assert lookup_curies(lexicon, "Smad5") == ["hgnc:6771"]  # rodent case folds to human
    assert lexicon.get("hgnc:6771") is not None
    assert ("rat", "Smad5") in lexicon.entries["hgnc:6771"].attributes
    assert lookup_curies(lexicon, "hsa-miR-21*") == ["mirbase.mature:MIMAT0004494"]
    assert "doid:9999990" not in lexicon  # absent from the newer DO report: obsolete
    assert lexicon.label("doid:7148") == "rheumatoid arthritis"
    assert "mondo:0005178" in lexicon
    assert "mesh:D059630" not in lexicon
    for curie in lexicon.entries:
        validate_curie(curie)


def test_second_build_loads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_full_lexicon(FIXTURES, cache_dir=tmp_path)
    cache_file = cache_file_for(FIXTURES, tmp_path)
    assert cache_file.is_file()
    assert f"-v{full_lexicon.CACHE_FORMAT_VERSION}-" in cache_file.name

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("readers must not run when the cache is valid")

    monkeypatch.setattr(full_lexicon, "_build_lexicon", fail)
    monkeypatch.setattr(full_lexicon, "read_hgnc", fail)
    second = build_full_lexicon(FIXTURES, cache_dir=tmp_path)
    assert second.entries == first.entries
    assert dict(second._index) == dict(first._index)
    assert second.lookup("Trp53") == first.lookup("Trp53")


def test_changed_input_invalidates_cache(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    cache = tmp_path / "cache"
    build_full_lexicon(data, cache_dir=cache)
    before = cache_file_for(data, cache)
    reactome = data / "reactome" / "ReactomePathways.gmt"
    with reactome.open("a", encoding="utf-8") as stream:
        stream.write("Apoptosis\tR-HSA-109581\tCASP3\tCASP8\n")
    os.utime(reactome, ns=(1, 1))
    after = cache_file_for(data, cache)
    assert after != before
    assert "reactome:R-HSA-109581" in build_full_lexicon(data, cache_dir=cache)
    assert after.is_file()


def test_corrupt_cache_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache_file = cache_file_for(FIXTURES, tmp_path)
    tmp_path.mkdir(exist_ok=True)
    cache_file.write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING):
        lexicon = build_full_lexicon(FIXTURES, cache_dir=tmp_path)
    assert "unreadable" in caplog.text
    assert "hgnc:11998" in lexicon


def test_missing_files_are_skipped(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "go", tmp_path / "go")
    progress: list[str] = []
    lexicon = build_full_lexicon(tmp_path, cache_dir=tmp_path / "cache", progress=progress.append)
    assert {entry.kind for entry in lexicon.entries.values()} == {EntityKind.PROCESS}
    assert any(message.startswith("go_terms:") for message in progress)


def test_missing_data_dir_raises(tmp_path: Path) -> None:
    with pytest.raises(DataDirError, match=f"does not exist.*{DATA_DIR_ENV}"):
        build_full_lexicon(tmp_path / "nowhere", cache_dir=tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataDirError, match=f"holds none of the reference files.*{DATA_DIR_ENV}"):
        build_full_lexicon(empty, cache_dir=tmp_path)


def test_data_dir_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert data_dir_from_settings() is None
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert data_dir_from_settings() == tmp_path
    assert data_dir_from_settings(Path("/explicit")) == Path("/explicit")
    monkeypatch.setenv(DATA_DIR_ENV, "")
    assert data_dir_from_settings() is None


# --- the real reference data ---------------------------------------------------------------


def _real_data_dir() -> Path | None:
    configured = data_dir_from_settings()
    candidate = configured or Path(__file__).resolve().parents[2] / "shared" / "data"
    return candidate if (candidate / "hgnc").is_dir() else None


REAL_DATA = _real_data_dir()
needs_real_data = pytest.mark.skipif(
    REAL_DATA is None,
    reason=f"reference data not found: set {DATA_DIR_ENV} or put it at ../shared/data",
)


@pytest.fixture(scope="module")
def real_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lexicon-cache")


@pytest.fixture(scope="module")
def real_lexicon(real_cache: Path) -> Lexicon:
    if REAL_DATA is None:  # pragma: no cover - guarded by the skip marker
        pytest.skip("reference data not found")
    return build_full_lexicon(REAL_DATA, cache_dir=real_cache)


@needs_real_data
@pytest.mark.slow
@pytest.mark.reference_data
class TestRealData:
    def test_registry_matches_files(self) -> None:
        assert REAL_DATA is not None
        for ref in REFERENCE_FILES.values():
            path = REAL_DATA / ref.relative_path
            if path.is_file():
                assert path.stat().st_size == ref.size, ref.name
                assert ref.verify(path), f"{ref.name}: checksum differs"

    def test_tp53(self, real_lexicon: Lexicon) -> None:
        tp53 = real_lexicon.entries["hgnc:11998"]
        assert tp53.label == "TP53"
        assert "P53" in tp53.synonyms  # from NCBI Gene
        assert ("mouse", "Trp53") in tp53.attributes
        assert "hgnc:11998" in lookup_curies(real_lexicon, "Trp53")

    def test_rodent_symbols_fold_to_human_genes(self, real_lexicon: Lexicon) -> None:
        assert lookup_curies(real_lexicon, "Smad5")[0] == "hgnc:6771"
        assert real_lexicon.label("hgnc:6771") == "SMAD5"

    def test_mirna_names_and_previous_names(self, real_lexicon: Lexicon) -> None:
        mir146a = real_lexicon.entries["mirbase.mature:MIMAT0000449"]
        assert mir146a.label == "hsa-miR-146a-5p"
        assert ("previous", "hsa-miR-146a") in mir146a.attributes
        mir21_3p = real_lexicon.entries["mirbase.mature:MIMAT0004494"]
        assert mir21_3p.label == "hsa-miR-21-3p"
        assert ("previous", "hsa-miR-21*") in mir21_3p.attributes
        assert lookup_curies(real_lexicon, "hsa-miR-21*") == ["mirbase.mature:MIMAT0004494"]

    def test_diseases(self, real_lexicon: Lexicon) -> None:
        assert real_lexicon.label("doid:7148") == "rheumatoid arthritis"
        assert "mesh:D001172" in real_lexicon.entries["doid:7148"].xrefs
        assert real_lexicon.label("mondo:0005178") == "osteoarthritis"
        mondo = [c for c in real_lexicon.entries if c.startswith("mondo:")]
        assert len(mondo) > 20_000
        assert all(re.fullmatch(r"mondo:\d{7}", curie) for curie in mondo)
        mesh = [e for e in real_lexicon.entries.values() if e.curie.startswith("mesh:")]
        assert 4_000 < len(mesh) < 6_000
        assert all(
            any(value.startswith("C") for key, value in e.attributes if key == "tree") for e in mesh
        )
        assert "mesh:D059630" not in real_lexicon  # Mesenchymal Stem Cells: not a disease

    def test_other_kinds(self, real_lexicon: Lexicon) -> None:
        assert real_lexicon.label("cl:0000134") == "mesenchymal stem cell"
        assert real_lexicon.label("uberon:0002371") == "bone marrow"
        assert real_lexicon.entries["go:0007249"].kind is EntityKind.PROCESS
        assert real_lexicon.entries["reactome:R-HSA-166016"].kind is EntityKind.PATHWAY
        for curie in real_lexicon.entries:
            validate_curie(curie)

    def test_second_build_uses_cache(
        self, real_lexicon: Lexicon, real_cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert REAL_DATA is not None
        assert cache_file_for(REAL_DATA, real_cache).is_file()

        def fail(*args: object, **kwargs: object) -> None:
            raise AssertionError("readers must not run when the cache is valid")

        monkeypatch.setattr(full_lexicon, "_build_lexicon", fail)
        again = build_full_lexicon(REAL_DATA, cache_dir=real_cache)
        assert len(again) == len(real_lexicon)
        assert again.entries["hgnc:11998"] == real_lexicon.entries["hgnc:11998"]

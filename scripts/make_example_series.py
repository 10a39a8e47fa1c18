"""Write the worked example series: five BM-MSC sEV lots with their NanoSight exports.

The exports are synthetic NanoSight NTA 3.4 "Experiment Summary" files written by this
script (log-normal size distributions, two videos each), so the README example runs on a
fresh clone without ``shared/data``. Their statistics are computed with evkg's own
histogram statistics, so the parser's cross-checks pass. The lots drift on purpose: D50
rises lot after lot and the potency falls, lot 4 carries albumin and lot 5 comes from
another donor. Run from the repository root::

    python scripts/make_example_series.py
"""

from __future__ import annotations

import math
from pathlib import Path

from evkg.sources.nta._stats import size_stats

OUT = Path("examples/preparations/series")
BINS = [k + 0.5 for k in range(600)]
#         lot, date,         median nm, conc/ml (undiluted), potency, donor, albumin
LOTS = [
    ("01", "2025-01-14", 98.0, 4.1e10, 64.0, "D-021", None),
    ("02", "2025-02-11", 101.0, 3.9e10, 63.0, "D-021", None),
    ("03", "2025-03-11", 104.0, 4.2e10, 61.0, "D-021", None),
    ("04", "2025-04-08", 108.0, 3.8e10, 57.0, "D-021", 150.0),
    ("05", "2025-05-06", 113.0, 4.0e10, 52.0, "D-034", None),
]
# Lot-to-lot noise without a trend: protein (µg/ml), CD142+ vesicles (%), procoagulant
# activity (pM TF). Endotoxin stays at the assay's quantitation limit (0.05 EU/ml) in every
# lot, as labs report it, so the series also shows the control-limit rule for identical lots.
NOISE = {
    "01": (11.8, 3.1, 0.9),
    "02": (12.4, 3.6, 1.2),
    "03": (11.5, 2.9, 1.0),
    "04": (12.9, 3.8, 1.3),
    "05": (12.2, 3.4, 1.1),
}
DONORS = {"D-021": (31, "female"), "D-034": (27, "male")}
DILUTION = 200.0


def _histogram(median: float, total: float, sigma: float = 0.32) -> list[float]:
    density = [
        math.exp(-((math.log(c) - math.log(median)) ** 2) / (2 * sigma**2)) / c for c in BINS
    ]
    scale = total / sum(density)
    return [round(d * scale, -3) for d in density]


def _export(lot: str, date: str, median: float, measured: float) -> str:
    videos = [_histogram(median * f, measured * g) for f, g in ((0.99, 0.98), (1.01, 1.02))]
    average = [(a + b) / 2 for a, b in zip(*videos, strict=True)]
    stats = [size_stats(BINS, v, rule="upper_edge", width=1.0) for v in (*videos, average)]
    sums = [sum(v) for v in (*videos, average)]
    row = ",".join
    lines = [
        "NTA Experiment Summary File,",
        "Created with NTA 3.4 Build 3.4.003,",
        ",",
        "[Experiment Details],,",
        "Software Version,NTA 3.4 Build 3.4.003,",
        f"Experiment Name,MSC-EV lot {lot} {date} 10-00-00.nano,",
        "Operator Name,evkg example,",
        f"Time Captured,10:00:00  {date[8:10]}/{date[5:7]}/{date[:4]},",
        f"Sample Description,MSC-EV lot {lot} d200,",
        "Pre-treatment,,",
        "Diluent,PBS 0.02 um filtered,",
        "Remarks,synthetic example written by scripts/make_example_series.py,",
        ",,",
        ",,,,",
        f"Filename:,lot{lot} 00,lot{lot} 01,",
        "Processed,Yes,Yes,",
        "",
        "[Conditions],,,",
        "Temperature/C,22.000,22.000,",
        "Laser Type,Blue488,Blue488,",
        "Camera Level,16,16,",
        ",,,",
        "[Settings],,,",
        "Detection Threshold,5,5,",
        ",,,",
        "[Exclusion Regions]",
        "No Exclusion Regions Used,,,",
        "",
        "[Results],,,Average,Standard Error,",
        "Dilution factor (concentrations adjusted for this factor),"
        f"{DILUTION:.2e},{DILUTION:.2e},,,",
        "Concentration (Particles / ml),"
        + row(f"{s * DILUTION:.2e}" for s in sums)
        + f",{abs(sums[0] - sums[1]) / 2 * DILUTION:.2e},",
        "Particles per frame,52.0,54.0,53.0,1.0,",
        ",,,,,",
        "[Concentration Warnings]",
        "Validity of concentration measurement,OK,OK,",
        "Noise level,No,No,",
        "",
        "[Information]",
        "Completed Tracks,OK,OK,",
        "Vibration detected,No,No,",
        "",
        "[Data Included],",
        "Size distribution - Number weighting - With Percentiles,",
        ",",
        "[Size Data],,",
        "Analysis Method,FTLA,",
        "Weighting,Number,",
        f"Filename,lot{lot} 00,lot{lot} 01,Average,Standard Error,",
    ]
    for label, name in (
        ("Mean", "mean_nm"),
        ("Mode", "mode_nm"),
        ("SD", "sd_nm"),
        ("D10", "d10_nm"),
        ("D50", "d50_nm"),
        ("D90", "d90_nm"),
    ):
        values = [getattr(s, name) for s in stats]
        lines.append(f"{label}," + row(f"{v:.1f}" for v in values) + ",0.0,")
    lines += [
        "Valid Tracks,2400.0,2500.0,,,",
        "Graph Data,",
        "Bin centre (nm),Concentration (particles / ml),Concentration (particles / ml),"
        "Concentration average,Standard Error,",
    ]
    for k, centre in enumerate(BINS):
        a, b, m = videos[0][k] * DILUTION, videos[1][k] * DILUTION, average[k] * DILUTION
        lines.append(f"{centre},{a:.0f},{b:.0f},{m:.0f},{abs(a - b) / 2:.0f},")
    lines += ["", "Percentile,Size (nm),Size (nm),"]
    for q, name in ((10, "d10_nm"), (50, "d50_nm"), (90, "d90_nm")):
        lines.append(f"{q}," + row(f"{getattr(s, name):.1f}" for s in stats[:2]) + ",")
    lines.append(",,,")
    return "\r\n".join(lines) + "\r\n"


def _record(lot: str, date: str, potency: float, donor: str, albumin: float | None) -> str:
    export = f"exports/lot-{lot}-ExperimentSummary.csv"
    impurity = (
        f"  - {{analyte: albumin, result: present, amount: {albumin:g}, unit: ng/ml, "
        "method: ELISA}"
        if albumin is not None
        else "  - {analyte: albumin, result: absent, method: ELISA}"
    )
    qualified = "true" if int(lot) <= 3 else "false"
    protein, tissue_factor, procoagulant = NOISE[lot]
    age, sex = DONORS[donor]
    return f"""# Worked example (synthetic): BM-MSC sEV lot {lot} of a five-lot series.
# Written by scripts/make_example_series.py; the NTA export beside it is synthetic too.
id: MSC-EV-lot-{lot}
name: BM-MSC sEV, lot {lot}
date: {date}
qualified: {qualified}
process_version: SOP-EV-003 v2
source_cells:
  species: human
  tissue: bone marrow
  cell_type: MSC
  donor: {{id: {donor}, age_years: {age}, sex: {sex}, health: healthy, pooled_donors: 1}}
  passage: 4
  culture_mode: 2D
  culture_system: T175 flasks
  medium: alpha-MEM
  serum: serum_free_defined
  confluence_percent: 80
  conditioning_time_h: 48
  conditioned_medium_volume_ml: 500
  cell_count: 2,4 x 10^7
  viability_percent: 95
  identity:
    plastic_adherence: true
    trilineage_differentiation: shown
    markers:
      - {{name: CD73, expected: positive, percent_positive: 99.0, method: flow cytometry}}
      - {{name: CD90, expected: positive, percent_positive: 98.4, method: flow cytometry}}
      - {{name: CD105, expected: positive, percent_positive: 97.1, method: flow cytometry}}
      - {{name: CD45, expected: negative, percent_positive: 0.5, method: flow cytometry}}
      - {{name: CD34, expected: negative, percent_positive: 0.7, method: flow cytometry}}
      - {{name: CD14, expected: negative, percent_positive: 0.4, method: flow cytometry}}
      - {{name: CD19, expected: negative, percent_positive: 0.3, method: flow cytometry}}
      - {{name: HLA-DR, expected: negative, percent_positive: 0.9, method: flow cytometry}}
separation:
  - {{method: centrifugation, purpose: clarification, g_force: 2000, time_min: 20, temperature_c: 4,
     rotor: Eppendorf A-4-81, k_factor: 6750}}
  - {{method: tangential_flow_filtration, purpose: concentration, mwco_kda: 300}}
  - {{method: size_exclusion_chromatography, purpose: separation, column: qEVoriginal 70 nm,
     fractions: "7-9"}}
particles:
  - method: nta
    instrument: Malvern NanoSight NS300
    export: {export}
    settings: camera level 16, detection threshold 5, 2 x 60 s
    calibration: 100 nm polystyrene beads
final_volume_ml: 1.0
protein: {{method: micro_bca, concentration_ug_per_ml: {protein:g}}}
markers:
  - {{name: CD63, result: present, method: western_blot}}
  - {{name: CD81, result: present, method: western_blot}}
  - {{name: TSG101, result: present, method: western_blot}}
  - {{name: calnexin, result: absent, method: western_blot}}
  - {{name: ApoA1, result: absent, method: western_blot}}
  - {{name: CD73, result: present, method: bead_flow_cytometry, percent_positive: 61}}
  - {{name: CD90, result: present, method: bead_flow_cytometry, percent_positive: 44}}
  - {{name: CD105, result: present, method: bead_flow_cytometry, percent_positive: 38}}
  - {{name: CD44, result: present, method: bead_flow_cytometry, percent_positive: 72}}
  - {{name: CD45, result: absent, method: bead_flow_cytometry}}
  - {{name: HLA-DR, result: absent, method: bead_flow_cytometry}}
impurities:
{impurity}
  - {{analyte: dna outside vesicles, result: absent, method: DNase I + PicoGreen}}
integrity: {{detergent_lysis_percent: 91, protease_protection: shown,
            method: "1 % Triton X-100 (NTA); proteinase K protection of CD63 epitope"}}
imaging:
  - {{method: tem, wide_field: true, close_up: true, notes: "negative stain, uranyl acetate"}}
storage: {{temperature_c: -80, buffer: PBS with 25 mM trehalose, freeze_thaw_cycles: 0}}
functional_assays:
  - name: T-cell proliferation
    kind: potency
    readout: inhibition of CD3/CD28-stimulated PBMC proliferation (CFSE)
    value: {potency:g}
    unit: "% inhibition"
    reference_standard: MSC-sEV reference RS-01
    dose: 1e9 particles per 1e5 PBMC
    dose_response: true
    controls: [vehicle (PBS), EV-depleted conditioned medium]
safety:
  endotoxin_eu_per_ml: 0.05
  endotoxin_method: kinetic chromogenic LAL
  sterility: no_growth
  mycoplasma: negative
  tissue_factor_percent: {tissue_factor:g}
  procoagulant_activity: {procoagulant:g}
  procoagulant_unit: pM TF
  procoagulant_method: TF activity assay (FXa generation)
"""


def main() -> None:
    (OUT / "exports").mkdir(parents=True, exist_ok=True)
    for lot, date, median, concentration, potency, donor, albumin in LOTS:
        text = _export(lot, date, median, concentration / DILUTION)
        (OUT / "exports" / f"lot-{lot}-ExperimentSummary.csv").write_text(text, encoding="utf-8")
        record = _record(lot, date, potency, donor, albumin)
        (OUT / f"lot-{lot}.yaml").write_text(record, encoding="utf-8")


if __name__ == "__main__":
    main()

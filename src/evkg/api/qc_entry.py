"""Data entry for preparation QC without hand-written YAML: a lot spreadsheet (one row a lot,
one column a field), an annotated YAML template, and the same columns as a web form.

Columns are dotted field paths of :class:`~evkg.model.preparation.Preparation`
(``source_cells.tissue``, ``protein.concentration_ug_per_ml``, ``safety.endotoxin_eu_per_ml``)
plus a few column families for the lists of a record:

* ``marker.<NAME>`` — present / absent / not_tested on the vesicles (``marker_method`` for all)
* ``cell_marker.<NAME>`` — % of producing cells positive (expected sign from the ISCT panel)
* ``impurity.<ANALYTE>`` — absent, present, or an amount with its unit (``120 ng/ml``)
* ``particles.*``, ``potency.*``, ``imaging.*`` — one measurement, assay, image set per row
* ``separation`` — steps separated by ``;``, each ``method key=value …``
  (``ultracentrifugation g_force=100000 time_min=70 rotor="SW32 Ti"``)

Every problem of every row is reported at once, each with its cell (``C7``) or, for CSV and
forms, its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from evkg.model.preparation import Preparation
from evkg.recordfiles import Problem, RecordFileError, RecordProblemsError

__all__ = [
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "TEMPLATE_COLUMNS",
    "read_lot_sheet",
    "row_to_record",
    "template_yaml",
    "write_lot_template",
]

MAX_SHEET_ROWS = 2000
MAX_SHEET_COLUMNS = 400
MAX_CELL_CHARS = 10_000
Locate = Callable[[Sequence[int | str]], int | str | None]

CELL_POSITIVE = {"cd73", "nt5e", "cd90", "thy1", "cd105", "eng", "cd44"}
_PARTICLE_VALUES = ("concentration_per_ml", "mean_nm", "mode_nm", "d10_nm", "d50_nm", "d90_nm")
_LIST_FIELDS = {"preconditioning", "additives", "controls"}

#: Column, what to write, example (the template's columns, in order).
TEMPLATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "Lot identifier (unique)", "MSC-EV-lot-01"),
    ("name", "Lot name", "BM-MSC sEV, lot 1"),
    ("date", "Date of production: 2025-03-04, 04.03.2025 or 4 March 2025", "2025-03-04"),
    ("qualified", "yes when this lot sets the control limits", "yes"),
    ("process_version", "Process or SOP version", "SOP-EV-003 v2"),
    ("source_cells.species", "ncbitaxon CURIE or common name", "human"),
    ("source_cells.tissue", "bone marrow, umbilical cord, adipose…", "bone marrow"),
    ("source_cells.cell_type", "MSC, iPSC-derived MSC…", "MSC"),
    ("source_cells.donor.id", "Donor code (never a name)", "D-014"),
    ("source_cells.passage", "Passage number", "4"),
    ("source_cells.culture_mode", "2D or 3D", "2D"),
    ("source_cells.medium", "Basal medium during conditioning", "alpha-MEM"),
    ("source_cells.serum", "none, ev_depleted_hpl, serum_free_defined…", "serum_free_defined"),
    ("source_cells.confluence_percent", "Confluence at harvest (%)", "80"),
    ("source_cells.conditioning_time_h", "Conditioning time (h)", "48"),
    ("source_cells.conditioned_medium_volume_ml", "Conditioned medium (ml)", "500"),
    ("source_cells.cell_count", "Cells at harvest (2.4e7, 2,4 x 10^7…)", "2.4e7"),
    ("source_cells.viability_percent", "Viability at harvest (%)", "96"),
    ("source_cells.identity.plastic_adherence", "yes / no", "yes"),
    ("source_cells.identity.trilineage_differentiation", "shown / not_shown", "shown"),
    ("cell_marker.CD73", "% of producing cells positive", "99.1"),
    ("cell_marker.CD90", "% of producing cells positive", "98.7"),
    ("cell_marker.CD105", "% of producing cells positive", "97.5"),
    ("cell_marker.CD45", "% of producing cells positive", "0.4"),
    ("cell_marker.CD34", "% of producing cells positive", "0.6"),
    ("cell_marker.CD14", "% of producing cells positive", "0.3"),
    ("cell_marker.CD19", "% of producing cells positive", "0.2"),
    ("cell_marker.HLA-DR", "% of producing cells positive", "0.8"),
    ("separation", "Steps in order: method key=value …; next step", "centrifugation "
     "g_force=2000 time_min=20; ultracentrifugation g_force=100000 time_min=70"),
    ("particles.method", "nta, trps, flow_cytometry, nanoflow…", "nta"),
    ("particles.instrument", "Instrument", "NanoSight NS300"),
    ("particles.export", "Instrument export file, beside the sheet", ""),
    ("particles.dilution_factor", "Dilution before measurement", "200"),
    ("particles.concentration_per_ml", "Undiluted particles/ml (when no export)", "4.0e10"),
    ("particles.d50_nm", "D50 (nm, when no export)", "105"),
    ("particles.calibration", "e.g. 100 nm polystyrene beads", "100 nm beads"),
    ("final_volume_ml", "Volume of the lot (ml)", "1.0"),
    ("protein.method", "bca, micro_bca, qubit…", "micro_bca"),
    ("protein.concentration_ug_per_ml", "Protein (µg/ml)", "10"),
    ("marker_method", "Method of the marker columns", "western_blot"),
    ("marker.CD63", "present / absent / not_tested on the vesicles", "present"),
    ("marker.CD81", "present / absent / not_tested", "present"),
    ("marker.TSG101", "present / absent / not_tested", "present"),
    ("marker.calnexin", "present / absent / not_tested", "absent"),
    ("marker.CD73", "MSC antigen on the vesicles", "present"),
    ("marker.CD90", "MSC antigen on the vesicles", "present"),
    ("marker.CD105", "MSC antigen on the vesicles", "present"),
    ("marker.CD44", "MSC antigen on the vesicles", "present"),
    ("marker.CD45", "haematopoietic antigen (should be absent)", "absent"),
    ("marker.HLA-DR", "haematopoietic antigen (should be absent)", "absent"),
    ("impurity.albumin", "absent, present, or amount with unit (120 ng/ml)", "absent"),
    ("impurity.ApoA1", "absent, present, or amount with unit", "absent"),
    ("impurity.dna outside vesicles", "absent, present, or amount with unit", "absent"),
    ("imaging.method", "tem, cryo_em…", "tem"),
    ("imaging.wide_field", "yes / no", "yes"),
    ("imaging.close_up", "yes / no", "yes"),
    ("integrity.detergent_lysis_percent", "Particles lost after detergent (%)", "92"),
    ("integrity.protease_protection", "shown / not_shown / not_tested", "shown"),
    ("potency.name", "Potency assay (as in the specification)", "T-cell proliferation"),
    ("potency.value", "Result", "62"),
    ("potency.unit", "Unit of the result", "% inhibition"),
    ("potency.reference_standard", "Reference standard run alongside", "RS-01"),
    ("safety.endotoxin_eu_per_ml", "Endotoxin (EU/ml)", "0.1"),
    ("safety.sterility", "no_growth / growth / not_tested", "no_growth"),
    ("safety.mycoplasma", "negative / positive / not_tested", "negative"),
    ("safety.tissue_factor_percent", "CD142+ vesicles (%)", "3"),
    ("safety.procoagulant_activity", "Procoagulant activity", "1.2"),
    ("safety.procoagulant_unit", "Its unit", "pM TF"),
    ("storage.temperature_c", "Storage temperature (°C)", "-80"),
    ("storage.buffer", "Storage buffer", "PBS with 25 mM trehalose"),
    ("storage.freeze_thaw_cycles", "Freeze-thaw cycles", "0"),
    ("notes", "Free text", ""),
)  # fmt: skip


def _column_letter(index: int) -> str:
    """
    >>> _column_letter(0), _column_letter(25), _column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _set(target: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _amount(text: str) -> tuple[str, str | None]:
    """``'120 ng/ml'`` → ``('120', 'ng/ml')``.

    >>> _amount("120 ng/ml"), _amount("1.5e3"), _amount("2,5 pg/µl")
    (('120', 'ng/ml'), ('1.5e3', None), ('2,5', 'pg/µl'))
    """
    match = re.fullmatch(r"\s*([-+]?[\d.,]+(?:[eE][-+]?\d+)?)\s*(.*?)\s*", text)
    if not match:
        return text, None
    return match.group(1), match.group(2) or None


def _steps(text: str) -> list[dict[str, Any]]:
    steps = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        tokens = shlex.split(part)
        step: dict[str, Any] = {"method": tokens[0]}
        for token in tokens[1:]:
            key, sep, value = token.partition("=")
            if not sep:
                raise ValueError(f"separation step {part!r}: {token!r} is not key=value")
            step[key.strip()] = value.strip()
        steps.append(step)
    return steps


def row_to_record(row: Mapping[str, Any]) -> tuple[dict[str, Any], dict[tuple[Any, ...], str]]:
    """A record (as data) from one row of columns, and which column each field came from.

    Empty cells are left out, so a record holds only what the lab entered.
    """
    record: dict[str, Any] = {}
    origin: dict[tuple[Any, ...], str] = {}
    singles: dict[str, dict[str, Any]] = {"particles": {}, "potency": {}, "imaging": {}}
    marker_method = _text(row.get("marker_method")) or None
    for column, raw in row.items():
        value = raw if isinstance(raw, bool | int | float | dt.date) else _text(raw)
        if column == "marker_method" or value == "" or value is None:
            continue
        head, _, rest = column.partition(".")
        if head == "marker" and rest:
            entry: dict[str, Any] = {"name": rest, "result": str(value).strip().lower()}
            if marker_method:
                entry["method"] = marker_method
            origin[("markers", len(record.setdefault("markers", [])))] = column
            record["markers"].append(entry)
        elif head == "cell_marker" and rest:
            identity = record.setdefault("source_cells", {}).setdefault("identity", {})
            markers = identity.setdefault("markers", [])
            expected = "positive" if rest.casefold() in CELL_POSITIVE else "negative"
            origin[("source_cells", "identity", "markers", len(markers))] = column
            markers.append({"name": rest, "expected": expected, "percent_positive": value})
        elif head == "impurity" and rest:
            text = str(value)
            impurities = record.setdefault("impurities", [])
            origin[("impurities", len(impurities))] = column
            if text.lower() in ("present", "absent", "not_tested"):
                impurities.append({"analyte": rest, "result": text.lower()})
            else:
                amount, unit = _amount(text)
                impurities.append(
                    {"analyte": rest, "result": "present", "amount": amount, "unit": unit}
                )
        elif head in singles and rest:
            singles[head][rest] = value
            origin[(head, 0, rest)] = column
        elif column == "separation":
            try:
                record["separation"] = _steps(str(value))
            except ValueError as error:
                record["separation"] = str(error)  # reported by validation, with its cell
            origin[("separation",)] = column
        else:
            path = column.split(".")
            if path[-1] in _LIST_FIELDS:
                _set(record, path, [v.strip() for v in str(value).split(";") if v.strip()])
            else:
                _set(record, path, value)
            origin[tuple(path)] = column
    particles = singles["particles"]
    if particles:
        measurement = {k: v for k, v in particles.items() if k not in _PARTICLE_VALUES}
        values = {k: v for k, v in particles.items() if k in _PARTICLE_VALUES}
        if values:
            measurement["values"] = values
            for key in values:
                origin[("particles", 0, "values", key)] = f"particles.{key}"
        record["particles"] = [measurement]
    if singles["potency"]:
        record["functional_assays"] = [{"kind": "potency", **singles["potency"]}]
        for key in singles["potency"]:
            origin[("functional_assays", 0, key)] = f"potency.{key}"
    if singles["imaging"]:
        record["imaging"] = [singles["imaging"]]
    return record, origin


def _locator(origin: Mapping[tuple[Any, ...], str], place: Callable[[str], str]) -> Locate:
    def locate(location: Sequence[int | str]) -> str | None:
        key = tuple(location)
        while key:
            if key in origin:
                return place(origin[key])
            key = key[:-1]
        return place("")

    return locate


def _rows_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise RecordFileError(
            path, None, None, f"not a readable XLSX workbook ({error})"
        ) from error
    try:
        sheet = book["lots"] if "lots" in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS + 1)
        header = [_text(v) for v in next(rows, ())]
        while header and not header[-1]:
            header.pop()
        body = []
        for number, row in enumerate(rows, start=2):
            if number > MAX_SHEET_ROWS + 1:
                raise RecordFileError(path, None, None, f"more than {MAX_SHEET_ROWS} lots")
            body.append((number, list(row)))
    finally:
        book.close()
    return header, body


def _rows_csv(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordFileError(path, None, None, f"not UTF-8 text ({error.reason})") from error
    if path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_text(v) for v in next(reader, [])]
    body = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_SHEET_ROWS + 1:
            raise RecordFileError(path, None, None, f"more than {MAX_SHEET_ROWS} lots")
        body.append((number, list(row)))
    return header, body


def read_lot_sheet(path: Path) -> Iterator[tuple[dict[str, Any], Locate]]:
    """Each non-empty row of a lot sheet as record data with a locator naming its cell.

    Raises :class:`RecordProblemsError` for problems of the sheet itself (columns)."""
    xlsx = path.suffix.lower() == ".xlsx"
    header, body = _rows_xlsx(path) if xlsx else _rows_csv(path)
    problems: list[Problem] = []
    if len(header) > MAX_SHEET_COLUMNS:
        problems.append((path, None, None, f"more than {MAX_SHEET_COLUMNS} columns"))
    if "id" not in header:
        problems.append((path, "row 1" if not xlsx else "A1", None, "no 'id' column"))
    seen: dict[str, int] = {}
    for k, name in enumerate(header):
        if name and name in seen:
            where = f"{_column_letter(k)}1" if xlsx else f"row 1, column {k + 1}"
            problems.append((path, where, name, "column given twice"))
        seen.setdefault(name, k)
    if problems:
        raise RecordProblemsError(problems)
    for number, cells in body:
        values = {
            name: cells[k] if k < len(cells) else None
            for name, k in seen.items()
            if name and not name.startswith("#")
        }
        if all(_text(v) == "" for v in values.values()):
            continue
        if any(len(_text(v)) > MAX_CELL_CHARS for v in values.values()):
            raise RecordProblemsError(
                [(path, f"row {number}", None, "a cell is over 10,000 characters")]
            )
        record, origin = row_to_record(values)

        def place(column: str, number: int = number) -> str:
            if not column:
                return f"row {number}"
            if xlsx:
                return f"{_column_letter(seen[column])}{number}"
            return f"row {number}, column '{column}'"

        yield record, _locator(origin, place)


# ------------------------------------------------------------------ templates


def _describe(model: type[BaseModel], name: str) -> str:
    field = model.model_fields.get(name)
    return (field.description or "") if field else ""


def template_yaml() -> str:
    """An annotated YAML record: every field of the template's columns with what to write,
    the other fields listed as comments. Reads back as a valid record (``evkg qc``)."""
    record, _ = row_to_record({c: e for c, _, e in TEMPLATE_COLUMNS if e})
    record["markers"][0]["antibody"] = {"clone": "H5C6", "catalogue_number": "556019",
                                        "dilution": "1:1000"}  # fmt: skip
    lines = [
        "# evkg preparation record (one lot). Fill in what you measured; leave out the rest.",
        "# Numbers: 2.4e7, 2,4e7 or 2.4 x 10^7; dates: 2025-03-04, 04.03.2025, 4 March 2025.",
        "# Schema: schema/preparation.schema.json. Check it with: evkg qc THIS-FILE.yaml",
        "",
    ]
    typed = Preparation.model_validate(record).model_dump(
        mode="json", exclude_none=True, exclude_defaults=True
    )
    lines.extend(_yaml_lines(Preparation, typed, 0))
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    import yaml

    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True)
        .strip()
        .removesuffix("\n...")
        .removesuffix("...")
        .strip()
    )


def _yaml_lines(model: type[BaseModel], data: Mapping[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for name, field in model.model_fields.items():
        note = f"  # {field.description}" if field.description else ""
        if name not in data:
            lines.append(f"{pad}# {name}:{note}")
            continue
        value = data[name]
        nested = _model_of(field.annotation)
        if isinstance(value, dict) and nested is not None:
            lines.append(f"{pad}{name}:{note}")
            lines.extend(_yaml_lines(nested, value, indent + 2))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{pad}{name}:{note}")
            item_model = _model_of(field.annotation)
            for k, item in enumerate(value):
                sub = _yaml_lines(item_model, item, indent + 4) if item_model else []
                sub = [s for s in sub if not s.lstrip().startswith("#")]
                if k:
                    sub = [s.split("  # ")[0] for s in sub]
                if sub:
                    lines.append(f"{pad}  - {sub[0].lstrip()}")
                    lines.extend(sub[1:])
        else:
            lines.append(f"{pad}{name}: {_scalar(value)}{note}")
    return lines


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``X | None`` or ``tuple[X, ...]``, if any."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def write_lot_template(folder: Path) -> list[Path]:
    """Write ``lot-template.yaml``, ``lots-template.xlsx`` and ``lots-template.csv`` into
    ``folder``: the annotated record, and the sheet (one row a lot) with an example row."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    folder.mkdir(parents=True, exist_ok=True)
    yaml_path = folder / "lot-template.yaml"
    yaml_path.write_text(template_yaml(), encoding="utf-8")
    columns = [c for c, _, _ in TEMPLATE_COLUMNS]
    example = [e for _, _, e in TEMPLATE_COLUMNS]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "lots"
    sheet.append(columns)
    sheet.append(example)
    for k, (_, description, _) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=k)
        cell.font = Font(bold=True)
        cell.comment = Comment(description, "evkg")
    sheet.freeze_panes = "B2"
    fields = book.create_sheet("fields")
    fields.append(["column", "what to write", "example"])
    for row in TEMPLATE_COLUMNS:
        fields.append(list(row))
    fields.append(["marker.<NAME>", "any further marker on the vesicles", "present"])
    fields.append(["cell_marker.<NAME>", "any further marker on the producing cells (%)", "1.2"])
    fields.append(["impurity.<ANALYTE>", "any further impurity", "absent"])
    xlsx_path = folder / "lots-template.xlsx"
    book.save(xlsx_path)
    csv_path = folder / "lots-template.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        writer.writerow(example)
    return [yaml_path, xlsx_path, csv_path]


FORM_NAME = "web form"


def run_qc_form(fields: Mapping[str, str], spec: tuple[str, bytes] | None = None) -> Any:
    """QC of one lot entered in the web form (the sheet's columns as form fields).

    Every problem names the form field; file references are not allowed (nothing is read
    from the server's disk)."""
    import tempfile

    from evkg.api._qc_upload import hidden, upload_name
    from evkg.api.qc import load_specification, prepare_record, qc_run_of

    row = {k: v for k, v in fields.items() if k in _FORM_COLUMNS or k.startswith(_FAMILIES)}
    record, origin = row_to_record(row)

    def place(column: str) -> str:
        return f"field '{column}'" if column else "the form"

    def refuse(reference: str) -> Path:
        raise LookupError(f"{reference!r}: the form takes values, not file names")

    loaded = prepare_record(record, Path(FORM_NAME), _locator(origin, place), refuse)
    if spec is None:
        return qc_run_of([loaded], None)
    with tempfile.TemporaryDirectory(prefix="evkg-qc-") as folder:
        root = Path(folder).resolve()
        target = root / upload_name(spec[0])
        target.write_bytes(spec[1])
        try:
            specification = load_specification(target)
        except RecordFileError as error:
            raise hidden(error, root) from error
    return qc_run_of([loaded], specification)


_FORM_COLUMNS = {c for c, _, _ in TEMPLATE_COLUMNS}
_FAMILIES = ("marker.", "cell_marker.", "impurity.")

"""Self-contained HTML reports with plots (cargo analysis, QC)."""

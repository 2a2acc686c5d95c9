"""The blank workbook and the example plan (XlsxWriter lives only in this package)."""

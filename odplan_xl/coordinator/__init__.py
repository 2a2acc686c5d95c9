"""The national picture's parts, library-free but for the charts: the figures of many plans' records
(`figures`), national.xlsx as sheet descriptions (`workbook`), the charts (`charts`, matplotlib) and the
open-data catalogue (`catalogue`: DCAT-AP, CKAN, CSV). Reading the plans and writing the files is
`app/national.py`."""

"""The plan: typed values read from a workbook, what derives from them, and how they are shown."""

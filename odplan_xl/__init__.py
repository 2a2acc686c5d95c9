"""odplan-xl: the Tunisian annual open-data plan as an Excel workbook, checked, drawn and sent to Word."""

__version__ = "0.1.0"

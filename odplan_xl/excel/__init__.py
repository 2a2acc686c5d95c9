"""The buttons inside Excel (xlwings lives only in this package)."""

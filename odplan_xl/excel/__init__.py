"""The buttons inside Excel (xlwings lives only in this package): live grid, writer, cell marks, buttons."""

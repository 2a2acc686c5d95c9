"""Sheets described without any spreadsheet library (any writer replays them): report, Gantt."""

"""What users call: check, convert, gantt, batch (and the files, processes and PDFs they need)."""

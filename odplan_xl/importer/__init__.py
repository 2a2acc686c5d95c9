"""Plans written by hand in Word brought into the workbook: headings, columns, values, placement (no library)."""

"""The spreadsheet machinery: writing (writer, stream) and judging uploads (upload, census)."""

"""The club's memory as files: one module per document (PDF and Word)."""

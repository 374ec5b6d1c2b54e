"""The club memory's files: rows in (chronicle selectors), bytes out (kernel.pdf, .word, .xlsx)."""

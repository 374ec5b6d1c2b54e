"""The secretary's intake: a set of minutes (.txt, .docx or pasted text) read into a draft."""

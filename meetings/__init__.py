"""Meetings of the club: the minutes' heading, agenda, attendance and attachments."""

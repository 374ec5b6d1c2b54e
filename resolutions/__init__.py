"""Resolutions of the minutes, admissions of members and the progress of decisions."""

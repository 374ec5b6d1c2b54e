"""Reach by e-mail: subscriptions, the messages of new minutes and the reminders."""

"""The club's memory: a member's record and certificate, open decisions, the year."""

"""Members of the club, their organisations and municipalities: the bottom of the app graph."""

"""The club's memory's pages, a module per page family."""

"""The club's memory in the admin: each part registers its own (see the modules imported)."""

from . import progress_admin  # noqa: F401  the meetings' admin with the agenda action

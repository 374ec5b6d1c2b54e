"""The demo's organisations as the intake matches against them (plain rows, no database)."""

from . import club, statistics


def intake_catalogue() -> list[tuple]:
    """The organisations ``load_demo`` creates, as (id, short name, full name, aliases, kind)
    rows for ``intake.matching.OrgCatalogue`` (ids are their order)."""
    rows: dict[str, tuple] = {}
    for short, full, kind, _municipality in club.ORGANIZATIONS:
        rows[short] = (len(rows) + 1, short, full, (), str(kind))
    for _municipality, short, full, _scale in statistics.library_systems():
        if short not in rows:
            kind = "mibs" if short.startswith("МИБС") else "cbs"
            rows[short] = (len(rows) + 1, short, full, (), kind)
    return list(rows.values())

"""The secretary's intake: a set of minutes (.txt, .docx or pasted text) read into a draft.

A plain library with no models, so that the admin's upload screen, the ``import_minutes``
command and the search can all stand on it:

    document = read_upload(uploaded_file)          # or read_text(pasted)
    draft = parse_minutes(document)                # MinutesDraft, frozen plain data
    matches = match_draft(draft, organisations, members)
    print(preview(draft, matches))

``IntakeRejected`` carries the Russian reason a document was refused. ``russian`` holds the
language layer (lemmas for search, names, organisation keys); importing the package does
not load the dictionaries, the first call that needs them does.
"""

from .draft import MinutesDraft
from .matching import MemberCatalogue, OrgCatalogue, match_draft
from .parsing import parse_minutes
from .preview import preview
from .reading import IntakeRejected, read_text, read_upload

__all__ = [
    "IntakeRejected",
    "MemberCatalogue",
    "MinutesDraft",
    "OrgCatalogue",
    "match_draft",
    "parse_minutes",
    "preview",
    "read_text",
    "read_upload",
]

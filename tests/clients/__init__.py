"""The real clients the suite reads the portal's files and pages with, as users and outside
validators do: LibreOffice (workbooks, Word files), poppler and pikepdf (PDFs), the Nu HTML
checker (pages).

Each module wraps one tool and returns plain data; `fixtures.py` gives the slow ones to tests
once per session or module. `make test` installs the tools (scripts/system-deps.sh with
WITH_BROWSER=1, and `npm ci` for the Nu checker); a test that needs a missing one fails with
the command that installs it.
"""

import shutil
import subprocess
from collections.abc import Sequence


class ClientMissing(RuntimeError):
    """A real client is not installed here."""


class ClientFailed(RuntimeError):
    """A real client ran but did not do what it was asked (no output, an error, bad output)."""


def require(program: str, *, package: str) -> str:
    """The path of `program`, or ClientMissing naming the Debian package that provides it."""
    path = shutil.which(program)
    if path is None:
        raise ClientMissing(
            f"{program} is missing: `make test` installs it as root "
            f"(or run `sudo apt-get install --no-install-recommends {package}`)"
        )
    return path


def run(args: Sequence[str], *, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """Runs a client and returns its output; ClientFailed with its stderr if it exits non-zero."""
    result = subprocess.run(
        list(args), capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )
    if result.returncode != 0:
        raise ClientFailed(
            f"{args[0]} exited {result.returncode}: {result.stderr.strip() or result.stdout[:500]}"
        )
    return result

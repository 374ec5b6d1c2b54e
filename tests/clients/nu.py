"""HTML checked by the Nu HTML checker (vnu, the W3C validator's engine), run with Java.

The checker is the npm package vnu-jar, pinned in package.json/package-lock.json and installed
into node_modules/ by `make test` (`npm ci --ignore-scripts`: its install script would fetch a
Java runtime, Debian's is used instead). A JVM start costs ~2 s with C1 only
(-XX:TieredStopAtLevel=1, 6 s without), then a page ~10 ms: check many documents in one run.
"""

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import ClientFailed, ClientMissing, require, run

PROJECT = Path(__file__).resolve().parents[2]
NU_JAR = Path(os.environ.get("VNU_JAR", PROJECT / "node_modules/vnu-jar/build/dist/vnu.jar"))
# -Xss2m: the checker's parser recurses deeply; C1 alone starts the JVM three times faster and
# the checker's run is too short for C2 to pay off.
JAVA_OPTIONS = ("-Xss2m", "-XX:TieredStopAtLevel=1")


@dataclass(frozen=True)
class Message:
    type: str  # "error", "info" (with sub_type "warning" for a warning)
    sub_type: str | None
    message: str
    first_line: int | None
    last_line: int | None
    first_column: int | None
    last_column: int | None
    extract: str | None

    def __str__(self) -> str:
        return f"line {self.last_line}: {self.message}"


@dataclass(frozen=True)
class Result:
    messages: list[Message] = field(default_factory=list)

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.type == "error"]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.type == "info" and m.sub_type == "warning"]


class NuChecker:
    """The Nu checker over many documents in one JVM: `check({name: html})`."""

    def __init__(self, *, jar: Path = NU_JAR, java: str | None = None, timeout: float = 300):
        if not jar.exists():
            raise ClientMissing(
                f"{jar} is missing: `make test` installs it (npm ci --ignore-scripts)"
            )
        self.jar = jar
        self.java = java or require("java", package="default-jre-headless")
        self.timeout = timeout

    def check(self, documents: Mapping[str, str | bytes]) -> dict[str, Result]:
        """name → the checker's messages on that document; every document gets a Result."""
        if not documents:
            return {}
        with tempfile.TemporaryDirectory(prefix="nu-") as folder:
            names = {}
            for number, (name, html) in enumerate(documents.items(), 1):
                path = Path(folder) / f"{number:04d}.html"
                path.write_bytes(html if isinstance(html, bytes) else html.encode("utf-8"))
                names[path.resolve()] = name
            result = run(
                [
                    self.java,
                    *JAVA_OPTIONS,
                    "-jar",
                    str(self.jar),
                    "--format",
                    "json",
                    "--stdout",
                    "--exit-zero-always",
                    # The names of the files it checked go to stderr: proof that it read each.
                    "--verbose",
                    *map(str, names),
                ],
                timeout=self.timeout,
            )
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise ClientFailed(f"the Nu checker wrote no JSON: {result.stdout[:300]!r}") from error
        checked = {Path(line.strip()).resolve() for line in result.stderr.splitlines() if line}
        if unchecked := [names[p] for p in names if p not in checked]:
            raise ClientFailed(f"the Nu checker did not check {unchecked}: {result.stderr[:300]}")
        results = {name: Result() for name in documents}
        for raw in report.get("messages", []):
            if raw.get("type") == "non-document-error" or raw.get("message") == "File not found.":
                raise ClientFailed(f"the Nu checker could not check a document: {raw}")
            path = Path(raw["url"].removeprefix("file:")).resolve()
            results[names[path]].messages.append(
                Message(
                    type=raw["type"],
                    sub_type=raw.get("subType"),
                    message=raw["message"],
                    first_line=raw.get("firstLine", raw.get("lastLine")),
                    last_line=raw.get("lastLine"),
                    first_column=raw.get("firstColumn"),
                    last_column=raw.get("lastColumn"),
                    extract=raw.get("extract"),
                )
            )
        return results

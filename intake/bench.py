"""Figures of the intake for ``make bench``: the morphology's load time and memory, and how
long a 20-item and a 200-item set of minutes take from text (and .docx) to a matched draft.

``run()`` returns the figures; ``make bench`` prints them (operations/benchmark.py). The load
is measured in a fresh Python process, since this one may have loaded the dictionaries already.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The target: a 20-item set in under 0.5 s once the dictionaries are loaded.
TARGET_20_ITEMS_S = 0.5


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: str = ""
    note: str = ""


def _rss_mb() -> float:
    """Resident memory of this process (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load_in_this_process() -> None:
    """Run in a fresh process: print the load time and memory of the morphology as JSON."""
    before = _rss_mb()
    started = time.perf_counter()
    from intake import russian

    russian.analyzer()
    loaded = time.perf_counter()
    russian._petrovich_maker()
    russian.find_people("Ввести в состав Клуба Девятых Ирину Анатольевну.", russian.ACCUSATIVE)
    first_name = time.perf_counter()
    print(
        json.dumps(
            {
                "load_s": loaded - started,
                "first_name_s": first_name - loaded,
                "rss_before_mb": before,
                "rss_after_mb": _rss_mb(),
            }
        )
    )


def measure_load() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", "from intake.bench import _load_in_this_process as f; f()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _clear_caches() -> None:
    from intake import items, russian

    for cached in (
        russian._parses,
        russian.word_lemmas,
        russian.lemma,
        russian.phrase_nominative,
        russian.person_nominative,
        russian.org_key,
        items.mention,
    ):
        cached.cache_clear()


def measure_intake(items: int, organisations, *, repeat: int = 5) -> dict:
    """Seconds from text to a matched draft: the first run with empty word caches (a set
    of minutes no one has read before), and the median of ``repeat`` more."""
    from intake.matching import OrgCatalogue, match_draft
    from intake.parsing import parse_minutes
    from intake.reading import read_upload
    from intake.samples import minutes_docx, minutes_text

    text = minutes_text(items)
    data = text.encode("utf-8")
    document = minutes_docx(text)
    catalogue = OrgCatalogue(organisations)

    def once(raw: bytes) -> float:
        started = time.perf_counter()
        draft = parse_minutes(read_upload(raw))
        match_draft(draft, catalogue)
        return time.perf_counter() - started

    _clear_caches()
    first = once(data)
    warm = statistics.median(once(data) for _ in range(repeat))
    docx = statistics.median(once(document) for _ in range(repeat))
    return {"items": items, "first_s": first, "warm_s": warm, "docx_s": docx, "chars": len(text)}


def run(organisations, *, sizes=(20, 200), repeat: int = 5) -> list[Figure]:
    """The intake's figures. ``organisations`` is the catalogue to match against (rows as
    ``matching.OrgCatalogue`` takes them: ``make bench`` passes the demo's)."""
    from intake.russian import analyzer

    load = measure_load()
    figures = [
        Figure("intake: morphology load (pymorphy3)", load["load_s"] * 1000, "ms"),
        Figure(
            "intake: morphology resident memory",
            load["rss_after_mb"] - load["rss_before_mb"],
            "MB",
            note=f"{load['rss_before_mb']:.0f} → {load['rss_after_mb']:.0f} MB",
        ),
    ]
    analyzer()
    for size in sizes:
        result = measure_intake(size, organisations, repeat=repeat)
        target = f"< {TARGET_20_ITEMS_S:g} s" if size == 20 else ""
        figures += [
            Figure(
                f"intake: {size} items, text to matched draft",
                result["warm_s"] * 1000,
                "ms",
                target,
                note=f"first run {result['first_s'] * 1000:.0f} ms, {result['chars']:,} chars",
            ),
            Figure(f"intake: {size} items, .docx to matched draft", result["docx_s"] * 1000, "ms"),
        ]
    return figures

"""Charts of the dashboard, drawn on the server by matplotlib as SVG for the page and the PDF.

The SVG is made ready to stand inline in an HTML page under the portal's Content Security
Policy (no inline styles): matplotlib's style attributes become SVG presentation attributes,
its <style> and metadata go, the size follows the page, and a <title> and <desc> say what
it shows. Output is deterministic (fixed hash salt, no date), so it is cached by the data it
draws and the PDF built around it keeps the same cache key.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import matplotlib
from django.core.cache import cache
from django.utils import formats, translation
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Bump when the drawing code changes: cached charts of the old look are then ignored.
CHART_VERSION = "1"
CACHE_SECONDS = 24 * 60 * 60
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# The portal's accent and a contrasting orange; both readable on white for colour-blind eyes.
BAR_COLOUR = "#1d4e89"
BAR_LIGHT = "#9fb7d6"
LINE_COLOUR = "#c45a00"
TEXT_COLOUR = "#1f2d3d"
GRID_COLOUR = "#d5dbe3"
# The day of a decision: apart from the line of attendance it stands beside.
MARK_COLOUR = "#5b2a86"

RC = {
    # Text stays text (readable by screen readers and search, small); DejaVu Sans ships with
    # matplotlib and has Cyrillic, so the layout is measured with it whatever the system has.
    "svg.fonttype": "none",
    "svg.hashsalt": "clubportal-stats",
    "font.family": ["DejaVu Sans"],
    "font.size": 10,
    "axes.edgecolor": "#6c757d",
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "text.color": TEXT_COLOUR,
}

# matplotlib keeps global state (rcParams); one chart is drawn at a time.
_lock = threading.Lock()

# CSS properties matplotlib writes into style="" that SVG also takes as attributes.
_PRESENTATION = frozenset(
    {
        "clip-path",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "dominant-baseline",
    }
)


def _number(value: float, _position=None) -> str:
    """12 345, as Russian texts group thousands."""
    return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)


def _cache_key(kind: str, data: object) -> str:
    digest = hashlib.sha256(
        repr(
            (kind, data, CHART_VERSION, matplotlib.__version__, translation.get_language())
        ).encode()
    ).hexdigest()
    return f"stats-chart:{digest}"


def _cached(kind: str, data: object, draw) -> str:
    key = _cache_key(kind, data)
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _none_as_nan(values: Sequence[int | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _style_axes(axes) -> None:
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.yaxis.set_major_formatter(FuncFormatter(_number))
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))


def seasons_chart(
    years: Sequence[int],
    events: Sequence[int | None],
    attendance: Sequence[int | None],
    *,
    chart_id: str = "chart-seasons",
    marks: Sequence[tuple[int, str]] = (),
) -> str:
    """Outdoor events (bars) and their attendance (line) of each summer season, as SVG;
    each mark (the first summer a decision can have moved, its day) a dashed line."""
    marks = tuple(
        (first, text) for first, text in marks if years and years[0] <= first <= years[-1] + 1
    )
    data = (tuple(years), tuple(events), tuple(attendance), chart_id, marks)
    title = _("Summer seasons %(first)s–%(last)s: outdoor events and their attendance") % {
        "first": years[0] if years else "",
        "last": years[-1] if years else "",
    }
    description = "; ".join(
        _("%(year)s: %(events)s events, %(attendance)s visits")
        % {"year": y, "events": _text(e), "attendance": _text(a)}
        for y, e, a in zip(years, events, attendance, strict=True)
    )
    if marks:
        description += "; " + "; ".join(
            _("decision of %(date)s") % {"date": text} for _first, text in marks
        )

    def draw() -> str:
        with _lock, matplotlib.rc_context(RC):
            figure = Figure(figsize=(8, 3.6), layout="constrained")
            axes = figure.subplots()
            labels = [str(y) for y in years]
            axes.bar(labels, _none_as_nan(events), color=BAR_COLOUR, width=0.6)
            axes.set_ylabel(_("Outdoor events"))
            _style_axes(axes)
            right = axes.twinx()
            right.plot(
                labels,
                _none_as_nan(attendance),
                color=LINE_COLOUR,
                marker="o",
                linewidth=2,
            )
            right.set_ylabel(_("Their attendance"), color=LINE_COLOUR)
            right.spines[["top", "left"]].set_visible(False)
            right.yaxis.set_major_formatter(FuncFormatter(_number))
            right.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            right.set_ylim(bottom=0)
            axes.set_ylim(bottom=0)
            for first, text in marks:
                _draw_mark(axes, _mark_position(years, first), text)
            if years:
                axes.legend(
                    handles=[axes.containers[0], right.lines[0]],
                    labels=[_("Outdoor events"), _("Their attendance")],
                    loc="lower left",
                    bbox_to_anchor=(0, 1.02),
                    ncols=2,
                    frameon=False,
                )
            return inline_svg(_svg(figure), chart_id=chart_id, title=title, description=description)

    return _cached("seasons", data, draw)


def months_chart(
    year: int,
    month_names: Sequence[str],
    events: Sequence[int | None],
    outdoor: Sequence[int | None],
    *,
    chart_id: str = "chart-months",
) -> str:
    """Off-site events and, of them, outdoor events in each month of a year, as SVG."""
    data = (year, tuple(month_names), tuple(events), tuple(outdoor), chart_id)
    title = _("Off-site events by month, %(year)s") % {"year": year}
    description = "; ".join(
        _("%(month)s: %(events)s events, of them %(outdoor)s outdoors")
        % {"month": m, "events": _text(e), "outdoor": _text(o)}
        for m, e, o in zip(month_names, events, outdoor, strict=True)
    )

    def draw() -> str:
        with _lock, matplotlib.rc_context(RC):
            figure = Figure(figsize=(8, 3.6), layout="constrained")
            axes = figure.subplots()
            positions = list(range(len(month_names)))
            width = 0.4
            axes.bar(
                [p - width / 2 for p in positions],
                _none_as_nan(events),
                width=width,
                color=BAR_LIGHT,
                label=_("Off-site events"),
            )
            axes.bar(
                [p + width / 2 for p in positions],
                _none_as_nan(outdoor),
                width=width,
                color=BAR_COLOUR,
                label=_("of them outdoors"),
            )
            axes.set_xticks(positions, [name[:3] for name in month_names])
            axes.set_ylim(bottom=0)
            _style_axes(axes)
            axes.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2, frameon=False)
            return inline_svg(_svg(figure), chart_id=chart_id, title=title, description=description)

    return _cached("months", data, draw)


def _mark_position(years: Sequence[int], first_since: int) -> float:
    """Where a day falls between the bars of the summers: before the first summer it can
    have moved (a category axis puts the bars at 0, 1, 2…)."""
    since = [index for index, year in enumerate(years) if year >= first_since]
    return (since[0] if since else len(years)) - 0.5


def _draw_mark(axes, position: float, text: str) -> None:
    axes.axvline(position, color=MARK_COLOUR, linestyle="--", linewidth=1.5)
    axes.annotate(
        text,
        xy=(position, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -2),
        textcoords="offset points",
        va="top",
        color=MARK_COLOUR,
        fontsize=9,
    )


def decision_chart(
    years: Sequence[int],
    values: Sequence[int | None],
    *,
    first_since: int,
    mark: str,
    label: str,
    chart_id: str,
) -> str:
    """One indicator's summers for the region as bars (light before a decision, dark since)
    with the decision's day as a dashed line and its date, as SVG."""
    data = (tuple(years), tuple(values), first_since, mark, label, chart_id)
    title = _("%(indicator)s: summer seasons %(first)s–%(last)s and the decision") % {
        "indicator": label,
        "first": years[0] if years else "",
        "last": years[-1] if years else "",
    }
    description = "; ".join(
        [
            *(
                _("%(year)s: %(value)s") % {"year": y, "value": _text(v)}
                for y, v in zip(years, values, strict=True)
            ),
            mark,
        ]
    )

    def draw() -> str:
        with _lock, matplotlib.rc_context(RC):
            figure = Figure(figsize=(8, 3.2), layout="constrained")
            axes = figure.subplots()
            labels = [str(y) for y in years]
            colours = [BAR_COLOUR if y >= first_since else BAR_LIGHT for y in years]
            axes.bar(labels, _none_as_nan(values), color=colours, width=0.6)
            axes.set_ylim(bottom=0, top=max([v or 0 for v in values] + [1]) * 1.18)
            axes.set_xlim(-0.6, len(years) - 0.4)
            _style_axes(axes)
            _draw_mark(axes, _mark_position(years, first_since), mark)
            return inline_svg(_svg(figure), chart_id=chart_id, title=title, description=description)

    return _cached("decision", data, draw)


def _text(value: int | None) -> str:
    return "—" if value is None else _number(value)


def inline_svg(svg: str, *, chart_id: str, title: str, description: str) -> str:
    """matplotlib's SVG made fit to stand inside an HTML page: no XML declaration or
    DOCTYPE, no metadata or <style>, presentation attributes instead of style="",
    no fixed size, ids prefixed with chart_id, and an accessible <title> and <desc>."""
    root = ET.fromstring(svg.encode("utf-8"))
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        for declaration in (style or "").split(";"):
            name, _sep, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name in _PRESENTATION and value:
                element.set(name, value)
    referenced = _referenced_ids(root)
    for element in root.iter():
        element_id = element.get("id")
        if element_id is not None:
            if element_id in referenced:
                element.set("id", f"{chart_id}-{element_id}")
            else:
                del element.attrib["id"]  # matplotlib's labels (figure_1…) would repeat
        for name, value in list(element.attrib.items()):
            if "url(#" in value:
                element.set(name, value.replace("url(#", f"url(#{chart_id}-"))
            elif name in (f"{{{XLINK_NS}}}href", "href") and value.startswith("#"):
                # SVG 2's plain href: browsers and WeasyPrint read it, and the page needs
                # no xlink namespace.
                del element.attrib[name]
                element.set("href", f"#{chart_id}-{value[1:]}")
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("id", chart_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_element = ET.Element(f"{{{SVG_NS}}}title", id=f"{chart_id}-title")
    title_element.text = title
    desc_element = ET.Element(f"{{{SVG_NS}}}desc", id=f"{chart_id}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    # Empty <defs> left after removing the <style>.
    for child in list(root):
        if child.tag == f"{{{SVG_NS}}}defs" and len(child) == 0:
            root.remove(child)
    # Plain tag names and an explicit xmlns: ElementTree's prefix registry is global, and
    # WeasyPrint registers its own prefixes in it, so it cannot be trusted to name ours.
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def _referenced_ids(root: ET.Element) -> set[str]:
    found = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            if "url(#" in value:
                found.add(value.split("url(#", 1)[1].split(")", 1)[0])
            elif name in (f"{{{XLINK_NS}}}href", "href") and value.startswith("#"):
                found.add(value[1:])
    return found

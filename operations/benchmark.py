"""The scale benchmark behind `make bench`: builds a large data set and measures the portal.

Run through `manage.py bench`, which creates a database of its own (PostgreSQL when
DATABASE_URL is set, else a temporary SQLite file), runs this module against it in a
child process, and drops it afterwards. Figures are medians of several runs; the suite
never asserts timings, it only keeps the query counts.
"""

import datetime
import gc
import io
import json
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from chronicle.annual import annual_report
from chronicle.exporters.annual_docx import annual_docx
from chronicle.exporters.annual_pdf import annual_pdf_html
from chronicle.exporters.annual_xlsx import annual_xlsx
from chronicle.progress import open_items
from demo.catalogue import intake_catalogue
from intake import bench
from intake.samples import minutes_text
from kernel import pdf
from kernel.roles import CENTRE_METHODIST, LIBRARY_OPERATOR
from kernel.xlsx import hostile as hostile_xlsx
from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Member, Municipality, OperatorAccount, Organization
from minutes.exporters.docx import minutes_docx
from minutes.exporters.pdf import minutes_pdf, minutes_pdf_html
from minutes.search import site_search
from minutes.selectors import minutes_for
from minutes.services import minutes_plan, minutes_read, minutes_save
from notices.announcements import announce
from notices.models import Subscription
from resolutions.exporters.xlsx import export_columns, resolutions_xlsx
from resolutions.models import Admission, Resolution
from stats import region_figures, services
from stats.exporters import form_mark, period_mark, sheet_title
from stats.importer import REPORTS_PER_BATCH, bulk_values_import, report_import
from stats.models import (
    DecisionTarget,
    DecisionTargetSystem,
    FormTemplate,
    Indicator,
    Report,
    ReportingPeriod,
    Value,
)

MEETINGS = 1000
RESOLUTIONS_EACH = 20
MEMBERS = 300
LIBRARY_SYSTEMS = 40
STATS_YEARS = 10
SMALL_MEETINGS = 10
# The long minutes of the PDF figure, and the size of the statistics import.
BIG_MEETING_ITEMS = 200
IMPORT_VALUES = 5000
RUNS = 15
# The intake's sets of minutes (items each) and how many warm runs give each median.
INTAKE_SIZES = (20, 200)
INTAKE_REPEAT = 5
SUBSCRIBERS = 1000


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str
    ok: bool | None = None
    queries: int | None = None
    note: str = ""
    # What the note says, as data: the suite's toy run asserts on these, never on the text.
    facts: dict = field(default_factory=dict)


@dataclass
class BenchReport:
    database: str
    figures: list[Figure] = field(default_factory=list)
    sizes: dict = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def table(self) -> str:
        head = f"{'figure':58} {'value':>12} {'queries':>8}  {'target':28} ok"
        lines = [head, "-" * len(head)]
        for f in self.figures:
            mark = {True: "yes", False: "NO", None: "-"}[f.ok]
            queries = "" if f.queries is None else str(f.queries)
            lines.append(
                f"{f.name:58} {f.value:>9.1f} {f.unit:<3}{queries:>7}  {f.target:28} {mark}"
                + (f"  ({f.note})" if f.note else "")
            )
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps(
            {
                "database": self.database,
                "sizes": self.sizes,
                "figures": [asdict(f) for f in self.figures],
            },
            ensure_ascii=False,
            indent=2,
        )


def median_ms(action: Callable[[], object], runs: int = RUNS, warmup: int = 2) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def count_queries(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


# ---------------------------------------------------------------- data


def build_organisations(rng: random.Random):

    municipalities = [
        Municipality.objects.get_or_create(name=f"Бенч-округ {i:02d}")[0] for i in range(20)
    ]
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                short_name=f"Бенч-ЦБС {i:02d}",
                full_name=f"Централизованная библиотечная система № {i}",
                kind=Organization.Kind.CBS if i % 3 else Organization.Kind.MIBS,
                municipality=municipalities[i % len(municipalities)],
            )
            for i in range(LIBRARY_SYSTEMS)
        ]
    )
    members = Member.objects.bulk_create(
        [
            _searchable(Member)(
                last_name=f"Методистова{i}",
                first_name=rng.choice(["Анна", "Ирина", "Елена", "Наталья", "Ольга"]),
                patronymic=rng.choice(["Ивановна", "Петровна", "Сергеевна"]),
                position="методист",
                organization=organizations[i % len(organizations)],
                email=f"m{i}@example.ru",
                # Public without minutes; the first hundred are admitted by them.
                is_founder=i % 3 == 0,
            )
            for i in range(MEMBERS)
        ]
    )
    return organizations, members


def _searchable(model):
    """The model's constructor with its search column filled, as save() fills it (bulk_create
    does not call save())."""

    def build(**fields):
        row = model(**fields)
        row.refresh_search_lemmas()
        return row

    return build


# One item in SKY_EVERY of the first section says it, for the search's rare phrase.
SKY_SENTENCE = "Провести мероприятия под открытым небом."
SKY_EVERY = 10

WORDS = [
    "обеспечить",
    "продолжить",
    "работу",
    "по",
    "развитию",
    "библиотечного",
    "обслуживания",
    "населения",
    "летний",
    "период",
    "внестационарных",
    "мероприятий",
    "статистического",
    "учета",
    "конкурсов",
    "методистов",
    "ЦБС",
]


def build_meetings(rng, count, organizations, members, *, start=0, resolutions_each=None):

    resolutions_each = resolutions_each or RESOLUTIONS_EACH

    now = datetime.datetime.now(datetime.UTC)
    meetings = Meeting.objects.bulk_create(
        [
            _searchable(Meeting)(
                slug=f"bench-{start + i}",
                title="Заседание Клуба деловых встреч методистов Кузбасса",
                topic=" ".join(rng.sample(WORDS, 4)),
                date=datetime.date(1990, 1, 1) + datetime.timedelta(days=13 * (start + i)),
                kind=rng.choice(["annual", "regular", "visiting"]),
                format=rng.choice(["online", "offline", "hybrid"]),
                venue=organizations[(start + i) % len(organizations)],
                preamble=" ".join(rng.choices(WORDS, k=120)),
                status="published",
                published_at=now,
            )
            for i in range(count)
        ]
    )
    AgendaItem.objects.bulk_create(
        [
            _searchable(AgendaItem)(meeting=m, order=n, title=" ".join(rng.sample(WORDS, 5)))
            for m in meetings
            for n in (1, 2, 3)
        ]
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=m, member=rng.choice(members)) for m in meetings for _ in range(1)],
        ignore_conflicts=True,
    )
    rows = []
    for i, m in enumerate(meetings, start=start):
        for n in range(1, resolutions_each + 1):
            decision = n > resolutions_each // 2
            text = " ".join(rng.choices(WORDS, k=40)).capitalize() + "."
            if n == 1 and i % SKY_EVERY == 0:
                text = f"{text} {SKY_SENTENCE}"
            rows.append(
                _searchable(Resolution)(
                    meeting=m,
                    section=2 if decision else 1,
                    number=n - resolutions_each // 2 if decision else n,
                    kind="decision" if decision else rng.choice(["note", "gratitude", "other"]),
                    text=text,
                    due_date=m.date + datetime.timedelta(days=180) if decision else None,
                    status=rng.choice(["adopted", "in_progress", "done"])
                    if decision
                    else "adopted",
                )
            )
    resolutions = Resolution.objects.bulk_create(rows, batch_size=2000)
    through = Resolution.responsible_organizations.through
    through.objects.bulk_create(
        [
            through(resolution_id=r.pk, organization_id=rng.choice(organizations).pk)
            for r in resolutions
            if r.kind == "decision"
        ],
        batch_size=2000,
    )
    admitted = [m for m in members if not hasattr(m, "_bench_admitted")][: max(0, min(count, 50))]
    admission_items = [r for r in resolutions if r.kind == "other"][: len(admitted)]
    for member in admitted:
        member._bench_admitted = True
    Admission.objects.bulk_create(
        [
            Admission(resolution=r, member=m)
            for r, m in zip(admission_items, admitted, strict=False)
        ],
        ignore_conflicts=True,
    )
    return meetings


SUBMITTED_AT = datetime.datetime(2024, 1, 9, 11, tzinfo=datetime.UTC)


def build_statistics(rng, organizations, *, last_year: int):

    form = FormTemplate.objects.get(code="VS", version=1)
    items = list(form.items.select_related("indicator").order_by("order"))
    periods = [
        ReportingPeriod.objects.get_or_create(year=y, month=m)[0]
        for y in range(last_year - STATS_YEARS + 1, last_year + 1)
        for m in range(1, 13)
    ]
    # Every month accepted but the last, which awaits review: the centre's queue holds one
    # report per library system.
    last = periods[-1]
    reports = Report.objects.bulk_create(
        [
            Report(
                organization=o,
                form=form,
                period=p,
                status="submitted" if p == last else "accepted",
                submitted_at=SUBMITTED_AT,
            )
            for o in organizations
            for p in periods
        ],
        batch_size=2000,
    )
    values = []
    for report in reports:
        whole = {}
        for item in items:
            code = item.indicator.code
            parent = item.indicator.parent.code if item.indicator.parent_id else None
            ceiling = whole.get(parent, 400) if parent else 400
            number = rng.randint(0, max(0, ceiling // (3 if parent else 1)))
            whole[code] = number
            values.append(Value(report=report, indicator=item.indicator, value=number))
    Value.objects.bulk_create(values, batch_size=5000)
    return len(values)


# ---------------------------------------------------------------- measures


# The member's record (chronicle): its address names a member the data set holds.
RECORD = object()
PAGES = [
    ("archive page /meetings/", "/meetings/"),
    ("meeting page /meetings/<slug>/", None),
    ("resolutions page /resolutions/", "/resolutions/"),
    ("members page /members/", "/members/"),
    ("member's record /members/<pk>/", RECORD),
    ("stats dashboard /stats/", "/stats/"),
    # Its item that aims at the outdoor figures (link_decision_targets), with their summers.
    ("decision page /resolutions/<pk>/ with its figures", "/resolutions/{decision}/"),
]
# What the decision page follows: two indicators, for the region and three library systems.
TARGET_CODES = ("VS.EVENTS.OUTDOOR", "VS.EVENT_ATT.OUTDOOR")
TARGET_SYSTEMS = 3


def page_url(url, meeting):
    if url is RECORD:
        # The first founder (public, with her meetings): the same member at both sizes.
        member = Member.objects.filter(is_founder=True).order_by("pk").first()
        return f"/members/{member.pk}/"
    if url and "{decision}" in url:
        decision = meeting.resolutions.filter(targets__isnull=False).order_by("pk").first()
        return url.format(decision=decision.pk)
    return url or f"/meetings/{meeting.slug}/"


def link_decision_targets(meeting) -> None:
    """The meeting's first item aims at the outdoor figures, as the demo's note of 2021 does."""
    item = meeting.resolutions.order_by("section", "number").first()
    DecisionTarget.objects.bulk_create(
        [
            DecisionTarget(resolution=item, indicator=indicator)
            for indicator in Indicator.objects.filter(code__in=TARGET_CODES)
        ]
    )
    DecisionTargetSystem.objects.bulk_create(
        [
            DecisionTargetSystem(resolution=item, organization=organization)
            for organization in Organization.objects.library_systems().order_by("pk")[
                :TARGET_SYSTEMS
            ]
        ]
    )


def cold_ms(url: str, client: Client, runs: int = 7) -> float:
    """Median time of a page rendered from scratch: every cache emptied before each run."""
    from django.core.cache import cache

    client.get(url)
    times = []
    for _ in range(runs):
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cold_queries(url: str, client: Client) -> int:
    from django.core.cache import cache

    cache.clear()
    return count_queries(lambda: client.get(url))


def measure_pages(report: BenchReport, client: Client, meeting, small_counts: dict):
    """Each public page as visitors get it (from the page cache, which any saved change
    empties) and rendered from scratch, as the first visitor after a change gets it."""
    for name, url in PAGES:
        target_url = page_url(url, meeting)
        queries = cold_queries(target_url, client)
        cold = cold_ms(target_url, client)
        client.get(target_url)
        served = median_ms(lambda u=target_url: client.get(u))
        served_queries = count_queries(lambda u=target_url: client.get(u))
        same = small_counts.get(name) == queries
        report.add(
            Figure(
                f"{name}: server time",
                served,
                "ms",
                "median < 50 ms, same queries",
                served < 50 and same,
                served_queries,
                note=f"rendered from scratch: {cold:.0f} ms, {queries} queries "
                f"({small_counts.get(name)} at {SMALL_MEETINGS} meetings)",
                facts={"queries_from_scratch": queries, "queries_small": small_counts.get(name)},
            )
        )


def measure_pdf(report: BenchReport, meeting_20, meeting_200):
    from django.core.files.storage import storages

    cache = storages["pdf_cache"]

    def first_render(meeting):
        minutes = minutes_for(meeting)
        key = pdf.pdf_cache_key(minutes_pdf_html(minutes))
        name = f"{pdf.PDF_CACHE_DIR}/{key}.pdf"
        if cache.exists(name):
            cache.delete(name)
        return minutes_pdf(minutes)

    first = median_ms(lambda: first_render(meeting_20), runs=5, warmup=1)
    report.add(
        Figure(
            f"minutes PDF, {RESOLUTIONS_EACH} items, first render",
            first,
            "ms",
            "median < 1000 ms",
            first < 1000,
        )
    )
    # Again: what a visitor downloading it a second time waits for, through the view.
    url = f"/meetings/{meeting_20.slug}/minutes.pdf"
    client = Client()
    assert client.get(url)["Content-Type"] == "application/pdf"
    cached = median_ms(lambda: client.get(url), runs=30)
    speedup = first / cached
    report.add(
        Figure(
            f"minutes PDF, {RESOLUTIONS_EACH} items, cached",
            cached,
            "ms",
            ">= 50x faster than first",
            speedup >= 50,
            count_queries(lambda: client.get(url)),
            note=f"{speedup:.0f}x faster, through the view",
        )
    )
    big = median_ms(lambda: first_render(meeting_200), runs=3, warmup=1)
    ratio = big / first
    report.add(
        Figure(
            f"minutes PDF, {BIG_MEETING_ITEMS} items, first render",
            big,
            "ms",
            f"<= 10x the {RESOLUTIONS_EACH}-item time",
            ratio <= 10,
            note=f"{ratio:.1f}x",
        )
    )
    for meeting, items in ((meeting_20, RESOLUTIONS_EACH), (meeting_200, BIG_MEETING_ITEMS)):
        measure_pdf_tags(report, meeting, items)


def measure_pdf_tags(report: BenchReport, meeting, items: int):
    """What the tags (PDF/A-2a against the same file untagged, PDF/A-2b) cost one render."""
    html = minutes_pdf_html(minutes_for(meeting))
    runs = 5 if items <= RESOLUTIONS_EACH else 3
    tagged = median_ms(lambda: pdf.render_pdf(html), runs=runs, warmup=1)
    untagged = median_ms(lambda: pdf.render_pdf(html, tagged=False), runs=runs, warmup=1)
    ratio = tagged / untagged
    report.add(
        Figure(
            f"minutes PDF, {items} items, tagged render against untagged",
            tagged,
            "ms",
            "tagged <= 1.5x untagged",
            ratio <= 1.5,
            note=f"untagged {untagged:.0f} ms, {ratio:.2f}x",
            facts={"untagged_ms": round(untagged, 1), "ratio": round(ratio, 2)},
        )
    )


def measure_docx(report: BenchReport, meeting_20, meeting_200):
    """The minutes as a Word file: python-docx writing minutes already read (the view adds
    the queries of the minutes, the same as the PDF's, and remembers the file after)."""
    small = None
    for meeting, items in ((meeting_20, RESOLUTIONS_EACH), (meeting_200, BIG_MEETING_ITEMS)):
        minutes = minutes_for(meeting)
        content, _key = minutes_docx(minutes)
        elapsed = median_ms(lambda minutes=minutes: minutes_docx(minutes), runs=5, warmup=1)
        if small is None:
            small, target, ok = elapsed, "median < 200 ms", elapsed < 200
        else:
            target, ok = f"<= 10x the {RESOLUTIONS_EACH}-item time", elapsed <= 10 * small
        report.add(
            Figure(
                f"minutes .docx, {items} items, render",
                elapsed,
                "ms",
                target,
                ok,
                note=f"{len(content) // 1024} KiB",
                facts={"items": len(minutes.resolutions), "bytes": len(content)},
            )
        )


def measure_export(report: BenchReport):

    queryset = Resolution.objects.order_by("meeting__date", "section", "number")
    rows = queryset.count()
    cells = rows * len(export_columns())
    content = resolutions_xlsx(queryset)  # warm-up: URL resolver, translations, caches
    times = []
    for _ in range(5):
        gc.collect()
        start = time.perf_counter()
        resolutions_xlsx(queryset)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    # Memory in a run of its own: tracemalloc slows Python down several times over.
    gc.collect()
    tracemalloc.start()
    resolutions_xlsx(queryset)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rate = cells / seconds
    report.add(
        Figure(
            f"resolutions export, {rows} rows",
            rate,
            "c/s",
            ">= 100,000 cells/s",
            rate >= 100_000,
            note=f"median {seconds:.2f} s of 5, {len(content) / 1e6:.1f} MB file",
        )
    )
    report.add(
        Figure(
            "resolutions export, peak memory growth",
            peak / 2**20,
            "MB",
            "< 50 MB",
            peak < 50 * 2**20,
        )
    )


def bulk_workbook(organizations, year: int, count: int) -> bytes:
    """A bulk statistics workbook of `count` values (organisation, year, month, code, value):
    every organisation's months of `year`, then of the next year, until there are enough."""
    from openpyxl import Workbook

    codes = [
        i.indicator.code
        for i in FormTemplate.objects.get(code="VS", version=1).items.select_related("indicator")
        if i.indicator.parent_id is None
    ]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Значения")
    ws.append(["Организация", "Год", "Месяц", "Код", "Значение"])
    rows = (
        [organization.short_name, y, month, code, 10 + n % 50]
        for y in (year, year + 1)
        for organization in organizations
        for month in range(1, 13)
        for n, code in enumerate(codes)
    )
    for _ in range(count):
        ws.append(next(rows))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def measure_import(report: BenchReport, organizations, year: int):

    content = bulk_workbook(organizations, year, IMPORT_VALUES)

    def run_import():
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            with transaction.atomic():
                result = bulk_values_import(fileobj=io.BytesIO(content), filename="bench.xlsx")
                seconds = time.perf_counter() - start
                transaction.set_rollback(True)
        return result, seconds, len(ctx.captured_queries)

    runs = [run_import() for _ in range(3)]
    result, _seconds, queries = runs[0]
    seconds = statistics.median(r[1] for r in runs)
    reports = len(result.reports)
    batches = -(-reports // REPORTS_PER_BATCH)
    report.add(
        Figure(
            f"statistics import, {IMPORT_VALUES:,} values",
            seconds * 1000,
            "ms",
            "< 5,000 ms, fixed queries/batch",
            seconds < 5 and result.ok and result.values_count == IMPORT_VALUES,
            queries,
            note=f"{result.values_count} values, {reports} reports in {batches} batches "
            f"of {REPORTS_PER_BATCH}; the queries per batch are asserted by the suite",
            facts={"values": result.values_count, "reports": reports, "batches": batches},
        )
    )


def measure_hostile_workbooks(report: BenchReport, organization, year: int):
    """The three workbooks an outside probe took the portal down with, through both roads in
    (a report's template, the bulk import): the time and peak memory of the worst refusal."""

    form = FormTemplate.objects.get(code="VS", version=1)
    with transaction.atomic():
        target = services.report_get_or_create(
            organization=organization,
            form=form,
            period=services.period_for(year=year, month=1),
        )
        marks = {
            "PORTAL_FORM": form_mark(form),
            "PORTAL_ORGANIZATION": str(organization.pk),
            "PORTAL_PERIOD": period_mark(target.period),
        }
        codes = [item.indicator.code for item in form.items.select_related("indicator")]
        probes = hostile_xlsx.probes(marks, dict.fromkeys(codes, 1), title=sheet_title(form.name))
        roads = {
            "template": lambda data: report_import(
                report=target, fileobj=io.BytesIO(data), filename="probe.xlsx", user=None
            ),
            "bulk": lambda data: bulk_values_import(fileobj=io.BytesIO(data), filename="p.xlsx"),
        }
        runs = []
        for probe in probes:
            for road, run in roads.items():
                refused = not run(probe.content).ok
                ms = median_ms(lambda r=run, d=probe.content: r(d), runs=3, warmup=0)
                # Memory in a run of its own: tracemalloc slows Python down several times over.
                tracemalloc.start()
                run(probe.content)
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                runs.append((ms, peak, f"{probe.name} via the {road}", refused))
        transaction.set_rollback(True)
    ms, peak, worst, _refused = max(runs)
    every = all(r[3] for r in runs)
    note = f"{worst}; {len(runs)} refusals, {'all' if every else 'NOT all'} refused"
    facts = {"attempts": len(runs), "refused": sum(1 for r in runs if r[3])}
    report.add(
        Figure(
            "hostile workbook refused, the worst: time",
            ms,
            "ms",
            "< 1,000 ms",
            ms < 1000 and every,
            note=note,
            facts=facts,
        )
    )
    report.add(
        Figure(
            "hostile workbook refused, the worst: peak memory",
            peak / 2**20,
            "MB",
            "< 50 MB",
            peak < 50 * 2**20 and every,
            note=note,
            facts=facts,
        )
    )


def measure_dynamics(report: BenchReport):
    from django.core.cache import cache

    def run():
        cache.clear()
        return region_figures.region_figures()

    queries = count_queries(run)
    ms = median_ms(run, runs=7)
    target_ok = ms < 300 if connection.vendor == "postgresql" else None
    report.add(
        Figure(
            "summer dynamics over all data", ms, "ms", "< 300 ms on PostgreSQL", target_ok, queries
        )
    )


def measure_small_counts(client: Client, meeting) -> dict:
    pages = {name: cold_queries(page_url(url, meeting), client) for name, url in PAGES}
    progress = {PROGRESS_PAGE[0]: cold_queries(PROGRESS_PAGE[1], client)}
    with override_settings(OPENDATA_RATE_LIMIT=(0, 60)):
        api = {API_RESOLUTIONS: cold_queries(API_RESOLUTIONS_URL, client)}
    annual = {ANNUAL_PAGE: cold_queries(f"/annual/{meeting.date.year}/", client)}
    return (
        pages
        | progress
        | api
        | annual
        | {name: cold_queries(url, client) for name, url in SEARCHES}
    )


# The report on open decisions: every decision of the archive adopted or in progress (two
# in three of the bench's), on one page.
PROGRESS_PAGE = ("open decisions report /resolutions/progress/", "/resolutions/progress/")


def measure_progress(report: BenchReport, client: Client, small_counts: dict):
    """As visitors get it (the page cache keeps the day's copy: its overdue flags change at
    midnight as well as with an edit) and rendered from scratch, with as many queries at the
    large archive as at the small one."""
    name, url = PROGRESS_PAGE
    queries = cold_queries(url, client)
    cold = cold_ms(url, client, runs=3)
    client.get(url)
    served = median_ms(lambda: client.get(url))
    decisions = open_items().filter(meeting__status=Meeting.Status.PUBLISHED).count()
    small = small_counts.get(name)
    same = small == queries
    report.add(
        Figure(
            f"{name}: server time",
            served,
            "ms",
            "median < 50 ms, same queries",
            served < 50 and same,
            1,
            note=f"rendered from scratch: {cold:.0f} ms, {decisions} open decisions on one page; "
            f"{queries} queries ({small} at {SMALL_MEETINGS} meetings)",
            facts={
                "queries_large": queries,
                "queries_small": small,
                "decisions": decisions,
                "from_scratch_ms": cold,
            },
        )
    )


# The open-data API (opendata/): a page of 50 decisions over all of them, as a library's site
# pulls it, from scratch (the cache emptied before each run) and as the cache serves it; and a
# year's accepted figures as the CSV download of /stats/ (made on each request).
API_RESOLUTIONS = "API resolutions list /api/resolutions/?limit=50"
API_RESOLUTIONS_URL = "/api/resolutions/?limit=50"


def measure_api(report: BenchReport, client: Client, year: int, small_counts: dict):
    # The rate limit would stop the bench's own client: it is one address asking hundreds
    # of times a minute.
    with override_settings(OPENDATA_RATE_LIMIT=(0, 60)):
        queries = cold_queries(API_RESOLUTIONS_URL, client)
        cold = cold_ms(API_RESOLUTIONS_URL, client, runs=RUNS)
        client.get(API_RESOLUTIONS_URL)
        served = median_ms(lambda: client.get(API_RESOLUTIONS_URL))
        body = json.loads(client.get(API_RESOLUTIONS_URL).content)
    small = small_counts.get(API_RESOLUTIONS)
    report.add(
        Figure(
            f"{API_RESOLUTIONS}: from scratch",
            cold,
            "ms",
            "median < 50 ms, same queries",
            cold < 50 and queries == small,
            queries,
            note=f"{len(body['items'])} of {body['count']} items; from the cache {served:.1f} ms; "
            f"{queries} queries ({small} at {SMALL_MEETINGS} meetings)",
            facts={
                "queries_from_scratch": queries,
                "queries_small": small,
                "items": len(body["items"]),
                "count": body["count"],
            },
        )
    )
    url = f"/stats/export/accepted-{year}.csv"
    response = client.get(url)
    rows = response.content.count(b"\r\n") - 6  # the preamble, the blank line, the header
    queries = count_queries(lambda: client.get(url))
    csv_ms = median_ms(lambda: client.get(url), runs=5, warmup=1)
    json_ms = median_ms(lambda: client.get(url.replace(".csv", ".json")), runs=5, warmup=1)
    report.add(
        Figure(
            "statistics download /stats/export/accepted-<year>.csv",
            csv_ms,
            "ms",
            "median < 500 ms",
            csv_ms < 500,
            queries,
            note=f"{rows} figures of {year}, {len(response.content) / 1e6:.1f} MB; "
            f"the .json: {json_ms:.0f} ms",
            facts={"status": response.status_code, "rows": rows},
        )
    )


ANNUAL_PAGE = "annual report /annual/<year>/"


def fullest_year() -> tuple[int, int]:
    """The year the club's report is measured on, with its number of published meetings: the
    one with the most meetings among the years with summer figures (else among all)."""
    counts = {}
    for meeting_date in Meeting.objects.published().values_list("date", flat=True):
        counts[meeting_date.year] = counts.get(meeting_date.year, 0) + 1
    summers = set(region_figures.seasons())
    year = max(counts, key=lambda y: (y in summers, counts[y], y))
    return year, counts[year]


def measure_annual(report: BenchReport, client: Client, small_counts: dict):
    """The club's year (chronicle.annual) over the whole archive: its page from scratch at
    both sizes, and its PDF (the first render: read, laid out, stored), .docx and .xlsx."""
    from django.core.files.storage import storages

    year, meetings = fullest_year()
    url = f"/annual/{year}/"
    queries = cold_queries(url, client)
    cold = cold_ms(url, client)
    small = small_counts.get(ANNUAL_PAGE)
    data = annual_report(year)
    facts = {
        "queries_large": queries,
        "queries_small": small,
        "meetings": meetings,
        "decisions": data.decisions_count,
        "overdue": len(data.overdue),
    }
    described = f"{year}: {meetings} meetings, {data.decisions_count} decisions, " + (
        f"{len(data.overdue)} overdue named, of {Meeting.objects.count()} meetings in all"
    )
    report.add(
        Figure(
            f"{ANNUAL_PAGE}: rendered from scratch",
            cold,
            "ms",
            "same queries at both sizes",
            queries == small,
            queries,
            note=f"{described}; {small} queries at {SMALL_MEETINGS} meetings",
            facts=facts,
        )
    )
    cache = storages["pdf_cache"]

    def first_pdf():
        # What the view does when nobody has asked for the file yet: read, lay out, store.
        html = annual_pdf_html(annual_report(year))
        name = f"{pdf.PDF_CACHE_DIR}/{pdf.pdf_cache_key(html)}.pdf"
        if cache.exists(name):
            cache.delete(name)
        return pdf.cached_pdf(html)

    content, _key = first_pdf()
    ms = median_ms(first_pdf, runs=3, warmup=1)
    report.add(
        Figure(
            "annual report PDF: read and first render",
            ms,
            "ms",
            "< 2,000 ms",
            ms < 2000,
            note=f"{described}; {len(content) // 1024} KiB",
            facts=facts,
        )
    )
    for name, write in (("docx", annual_docx), ("xlsx", annual_xlsx)):
        ms = median_ms(lambda w=write: w(annual_report(year)), runs=5, warmup=1)
        report.add(
            Figure(
                f"annual report .{name}: read and render",
                ms,
                "ms",
                "(reference)",
                note=described,
                facts=facts,
            )
        )


# The site's search over every resolution, rendered from scratch (the page cache emptied
# before each run): a rare phrase in another form than the stored one, and two words that
# nearly every item holds, which the ranking and the counts must read through.
SEARCHES = [
    ("search /search/, a rare phrase", "/search/?q=открытое+небо"),
    ("search /search/, two common words", "/search/?q=статистический+учёт"),
]


def measure_search(report: BenchReport, client: Client, small_counts: dict):
    resolutions = Resolution.objects.count()
    for name, url in SEARCHES:
        queries = cold_queries(url, client)
        cold = cold_ms(url, client, runs=RUNS)
        found = site_search(url.split("q=", 1)[1].replace("+", " "))
        report.add(
            Figure(
                f"{name}: server time",
                cold,
                "ms",
                "median < 50 ms, same queries",
                cold < 50 and small_counts.get(name) == queries,
                queries,
                note=f"{found.resolutions.total} of {resolutions} items found, "
                f"{found.meetings.total} meetings; {queries} queries "
                f"({small_counts.get(name)} at {SMALL_MEETINGS} meetings); {connection.vendor}",
                facts={
                    "queries_from_scratch": queries,
                    "queries_small": small_counts.get(name),
                    "resolutions_found": found.resolutions.total,
                    "resolutions": resolutions,
                },
            )
        )


# The statistics pages whose query counts must not grow with the library systems: the
# centre's board and review queue, the operator's to-do (its library system has no report at
# the small size, ten years of them at the large one) and /stats/, rendered from scratch.
STATS_PAGES = [
    ("statistics board /stats/review/", "/stats/review/?year={year}", "centre"),
    ("review queue /stats/review/queue/", "/stats/review/queue/", "centre"),
    ("operator's to-do /stats/reports/", "/stats/reports/", "operator"),
    ("stats dashboard /stats/", "/stats/", "centre"),
]
# Library systems with statistics when the small counts are taken.
SMALL_LIBRARY_SYSTEMS = 2


def centre_client() -> Client:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("bench-centre", is_staff=True)
    user.groups.add(Group.objects.get(name=CENTRE_METHODIST))
    client = Client()
    client.force_login(user)
    return client


def operator_client(organization) -> Client:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("bench-operator")
    user.groups.add(Group.objects.get(name=LIBRARY_OPERATOR))
    OperatorAccount.objects.create(user=user, organization=organization)
    client = Client()
    client.force_login(user)
    return client


def stats_counts(clients: dict, year: int) -> dict:
    return {
        name: cold_queries(url.format(year=year), clients[who]) for name, url, who in STATS_PAGES
    }


def measure_stats_pages(report: BenchReport, clients: dict, year: int, small_counts: dict):
    for name, url, who in STATS_PAGES:
        queries = cold_queries(url.format(year=year), clients[who])
        small = small_counts[name]
        report.add(
            Figure(
                f"{name}: queries from scratch",
                queries,
                "q",
                "same at both sizes",
                queries == small,
                queries,
                note=f"{queries} at {LIBRARY_SYSTEMS} library systems, "
                f"{small} at {SMALL_LIBRARY_SYSTEMS}",
                facts={"queries_large": queries, "queries_small": small},
            )
        )


def measure_intake(report: BenchReport):
    """The intake's figures (intake/bench.py): morphology load, text and .docx to a draft,
    matched against the demo's organisations."""

    for figure in bench.run(intake_catalogue(), sizes=INTAKE_SIZES, repeat=INTAKE_REPEAT):
        # The one target: 20 items, text to a matched draft, in under TARGET_20_ITEMS_S.
        ok = figure.value < bench.TARGET_20_ITEMS_S * 1000 if figure.target else None
        report.add(
            Figure(figure.name, figure.value, figure.unit, figure.target, ok, note=figure.note)
        )


def measure_intake_save(report: BenchReport):
    """A set of minutes read against the database's catalogue and saved as a draft meeting
    (minutes.services, the path of the admin's screen and of import_minutes); each save is
    rolled back, so the data set is left as it was."""
    for size in INTAKE_SIZES:
        draft, matches = minutes_read(minutes_text(size).encode("utf-8"))
        plan = minutes_plan(draft, matches)
        # The samples' people are fictional: some share a name with a member the data set
        # admitted already, whom the intake would offer. Here each is saved as new.
        # A 200-item sample names its people more than once; a member is admitted once.
        named = set()
        for item in plan.items:
            for person in item.admitted:
                person.member_id = None
            item.admitted = [p for p in item.admitted if (p.last_name, p.first_name) not in named]
            named.update((p.last_name, p.first_name) for p in item.admitted)
        timings, queries, created = [], 0, 0
        for _ in range(INTAKE_REPEAT):
            with transaction.atomic():
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    result = minutes_save(plan=plan)
                    timings.append(time.perf_counter() - started)
                queries, created = len(captured), len(result.resolutions)
                transaction.set_rollback(True)
        report.add(
            Figure(
                f"intake: {size} items, saved as a draft meeting",
                statistics.median(timings) * 1000,
                "ms",
                "(reference)",
                queries=queries,
                note=f"{created} items, {queries} queries in one transaction",
                facts={"items": created, "queries": queries},
            )
        )


def measure_notices(report: BenchReport, meeting):
    """The letters of published minutes to SUBSCRIBERS confirmed subscribers, composed and
    handed to Django's local-memory outbox (nothing leaves the machine), then the same
    announcement again, which the sent-log turns into no letter; all rolled back."""
    now = timezone.now()
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(EMAIL_BACKEND=locmem), transaction.atomic():
        Subscription.objects.bulk_create(
            Subscription(email=f"bench{n}@example.ru", minutes=True, confirmed_at=now)
            for n in range(SUBSCRIBERS)
        )
        mail.outbox = []
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            sent = announce(meeting.pk)
            first = (time.perf_counter() - started) * 1000
        letters, queries = len(mail.outbox), len(captured)
        started = time.perf_counter()
        again = announce(meeting.pk)
        second = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    report.add(
        Figure(
            f"letters of new minutes to {SUBSCRIBERS} subscribers",
            first,
            "ms",
            "(reference)",
            queries=queries,
            note=f"{sent} letters, {queries / max(sent, 1):.1f} queries a letter (its log row)",
            facts={"sent": sent, "letters": letters, "queries": queries},
        )
    )
    report.add(
        Figure(
            "letters of the same minutes again (sent-log)",
            second,
            "ms",
            "(reference)",
            note=f"{again} letters",
            facts={"sent": again},
        )
    )


def run(*, database: str) -> BenchReport:
    """Build the data in stages and measure; the caller chose and emptied the database."""
    from django.core.cache import cache

    rng = random.Random(2021)
    report = BenchReport(database=database)
    client = Client()
    organizations, members = build_organisations(rng)
    last_year = datetime.date.today().year - 1
    values = build_statistics(rng, organizations[:SMALL_LIBRARY_SYSTEMS], last_year=last_year)
    stats_clients = {
        "centre": centre_client(),
        # Bound to a library system whose reports come with the large size.
        "operator": operator_client(organizations[-1]),
    }
    cache.clear()
    small_stats_counts = stats_counts(stats_clients, last_year)
    values += build_statistics(rng, organizations[SMALL_LIBRARY_SYSTEMS:], last_year=last_year)
    small = build_meetings(rng, SMALL_MEETINGS, organizations, members)
    link_decision_targets(small[-1])
    cache.clear()
    small_counts = measure_small_counts(client, small[-1])
    build_meetings(rng, MEETINGS - SMALL_MEETINGS, organizations, members, start=SMALL_MEETINGS)
    big = build_meetings(
        rng, 1, organizations, members, start=MEETINGS, resolutions_each=BIG_MEETING_ITEMS
    )[0]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cache.clear()
    report.sizes = {
        "meetings": MEETINGS + 1,
        "resolutions": MEETINGS * RESOLUTIONS_EACH + BIG_MEETING_ITEMS,
        "members": MEMBERS,
        "library_systems": LIBRARY_SYSTEMS,
        "statistics_values": values,
    }

    meeting = Meeting.objects.get(slug=f"bench-{MEETINGS - 1}")
    link_decision_targets(meeting)
    cache.clear()
    measure_pages(report, client, meeting, small_counts)
    measure_search(report, client, small_counts)
    measure_progress(report, client, small_counts)
    measure_stats_pages(report, stats_clients, last_year, small_stats_counts)
    measure_api(report, client, last_year, small_counts)
    measure_pdf(report, meeting, big)
    measure_docx(report, meeting, big)
    measure_export(report)
    measure_import(
        report, list(Organization.objects.filter(short_name__startswith="Бенч")), last_year + 1
    )
    measure_hostile_workbooks(
        report, Organization.objects.filter(short_name__startswith="Бенч").first(), last_year + 3
    )
    measure_dynamics(report)
    measure_annual(report, client, small_counts)
    measure_intake(report)
    measure_intake_save(report)
    measure_notices(report, meeting)
    return report

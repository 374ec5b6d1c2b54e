"""The intake's benchmark at toy size: it measures and returns every figure (never asserted
against a time: the machines are shared and noisy)."""

from demo.catalogue import intake_catalogue
from intake import bench


def test_the_intake_benchmark_returns_its_timings():
    result = bench.measure_intake(20, intake_catalogue(), repeat=1)
    assert result["items"] == 20
    assert all(result[k] > 0 for k in ("first_s", "warm_s", "docx_s"))


def test_the_morphology_load_is_measured_in_a_fresh_process():
    load = bench.measure_load()
    assert load["load_s"] > 0
    assert load["rss_after_mb"] > load["rss_before_mb"]


def test_run_gives_the_figures_make_bench_prints():
    names = [f.name for f in bench.run(intake_catalogue(), sizes=(4,), repeat=1)]
    assert names == [
        "intake: morphology load (pymorphy3)",
        "intake: morphology resident memory",
        "intake: 4 items, text to matched draft",
        "intake: 4 items, .docx to matched draft",
    ]

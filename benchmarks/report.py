#!/usr/bin/env python3
"""Turns a benchmarks/run.sh results directory into markdown tables with ratios and targets.

usage: report.py RESULTS_DIR
Ratios are "this / rxprom" on time per op: 3.0x means three times slower than rxprom.
"""
import json
import os
import re
import sys

THREADED = ["CounterBenchmark", "HistogramBenchmark", "SummaryBenchmark", "TimerBenchmark",
            "LabelsLookupBenchmark"]
# The rxprom method a peer is compared with when no rxprom_<case> method matches its case.
DEFAULT_REF = {
    "CounterBenchmark": "rxprom_cachedChild",
    "HistogramBenchmark": "rxprom",
    "SummaryBenchmark": "rxprom_quantiles",
    "TimerBenchmark": "rxprom_histogram",
}


def load(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return json.load(f)


def alloc(entry):
    sec = entry.get("secondaryMetrics", {})
    for key in ("gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm"):
        if key in sec:
            return sec[key]["score"]
    return None


def best_of(metric):
    """The best (lowest) measurement iteration: on a shared, loaded machine the least disturbed."""
    if metric is None:
        return None
    raw = [x for fork in metric.get("rawData", []) for x in fork]
    return min(raw) if raw else metric["score"]


def best(entry):
    return best_of(entry["primaryMetric"])


def method(entry):
    return entry["benchmark"].rsplit(".", 1)[1]


def fmt_time(x):
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def fmt_bytes(x):
    if x is None:
        return "-"
    if x < 0.5:
        return "0"
    if x >= 10_000:
        return f"{x:,.0f}"
    return f"{x:.0f}"


def fmt_ratio(x):
    return "-" if x is None else f"{x:.2f}x"


def ref_for(cls, m, names):
    case = m.split("_", 1)[1] if "_" in m else None
    if case and f"rxprom_{case}" in names:
        return f"rxprom_{case}"
    if "rxprom" in names:
        return "rxprom"
    return DEFAULT_REF.get(cls)


def threaded_table(d, cls, results):
    by = {}
    for t in (1, 2):
        for e in load(os.path.join(d, f"{cls}-t{t}.json")):
            by.setdefault(method(e), {})[t] = (best(e),
                                              e["primaryMetric"]["scoreError"],
                                              e["primaryMetric"]["scoreUnit"], alloc(e))
    if not by:
        return []
    results[cls] = by
    unit = next(iter(next(iter(by.values())).values()))[2]
    lines = [f"### {cls} ({unit})", "",
             "| benchmark | 1 thread | B/op | / rxprom | 2 threads | B/op | / rxprom |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for m in sorted(by, key=lambda k: (not k.startswith(("rxprom", "bare")), k)):
        ref = ref_for(cls, m, by)
        row = [m]
        for t in (1, 2):
            v = by[m].get(t)
            r = by.get(ref, {}).get(t) if ref else None
            row += [fmt_time(v[0]) if v else "-", fmt_bytes(v[3]) if v else "-",
                    fmt_ratio(v[0] / r[0]) if v and r else "-"]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    return lines


def scrape_table(d, results):
    entries = load(os.path.join(d, "ScrapeBenchmark.json"))
    if not entries:
        return []
    out_bytes = {}
    log = os.path.join(d, "ScrapeBenchmark.log")
    if os.path.exists(log):
        for m in re.finditer(r"# bytes-out (\S+) (\S+) (\d+) (\d+)", open(log).read()):
            out_bytes[(m.group(1), m.group(2), int(m.group(3)))] = int(m.group(4))
    rows = {}
    for e in entries:
        p = e["params"]
        rows[(int(p["series"]), p["format"], method(e))] = (best(e), alloc(e))
    results["ScrapeBenchmark"] = rows
    lib_name = {"rxprom": "rxprom", "clientJava": "client_java", "micrometer": "micrometer"}
    lines = ["### ScrapeBenchmark (one whole scrape, single thread)", "",
             "| series | format | library | time (ms) | allocated per scrape | bytes out | / rxprom |",
             "|---:|---|---|---:|---:|---:|---:|"]
    for key in sorted(rows, key=lambda k: (k[0], k[1], k[2] != "rxprom", k[2])):
        series, fmt, m = key
        t, a = rows[key]
        ref = rows.get((series, fmt, "rxprom"))
        b = out_bytes.get((lib_name.get(m, m), fmt, series))
        lines.append(f"| {series:,} | {fmt} | {lib_name.get(m, m)} | {t / 1000:.2f} | "
                     f"{a / 1e6:.2f} MB | {b:,} | {fmt_ratio(t / ref[0]) if ref else '-'} |"
                     if a is not None and b is not None else
                     f"| {series:,} | {fmt} | {m} | {t / 1000:.2f} | - | - | - |")
    lines.append("")
    return lines


def writers_table(d, results):
    entries = load(os.path.join(d, "WritersVsScraperBenchmark.json"))
    if not entries:
        return []
    alone, busy, scraped = {}, {}, {}
    for e in entries:
        m = method(e)
        sec = e.get("secondaryMetrics", {})
        if m.endswith("_alone"):
            alone[m[:-len("_alone")]] = best(e)
        elif m.endswith("_memoryBusy"):
            lib = m[:-len("_memoryBusy")]
            results.setdefault("memoryBusy", {})[lib] = best_of(sec.get(f"{lib}_memoryBusy_write"))
        elif m.endswith("_busy"):
            lib = m[:-len("_busy")]
            busy[lib] = best_of(sec.get(f"{lib}_busy_write"))
        elif m.endswith("_scraped"):
            lib = m[:-len("_scraped")]
            scraped[lib] = (best_of(sec.get(f"{lib}_scraped_write")),
                            best_of(sec.get(f"{lib}_scraped_scrape")))
    results["WritersVsScraperBenchmark"] = (alone, busy, scraped)
    lines = ["### WritersVsScraperBenchmark (ns per write: a histogram observe and a counter inc)", "",
             "| library | write alone | beside a CPU-burning thread | while scraped back to back | "
             "scraped / busy | scraped / alone | one scrape meanwhile (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for lib in sorted(alone, key=lambda k: (k != "rxprom", k)):
        a = alone[lib]
        b = busy.get(lib)
        w, sc = scraped.get(lib, (None, None))
        lines.append(f"| {lib} | {fmt_time(a)} | {fmt_time(b)} | {fmt_time(w)} | "
                     f"{fmt_ratio(w / b) if w and b else '-'} | {fmt_ratio(w / a) if w and a else '-'} | "
                     f"{sc / 1e6:.2f} |" if sc else
                     f"| {lib} | {fmt_time(a)} | {fmt_time(b)} | {fmt_time(w)} | - | - | - |")
    mem = results.get("memoryBusy", {})
    for lib, v in mem.items():
        lines.append(f"Control: {lib}'s writer beside a thread that reads and writes a scrape's worth "
                     f"of memory without touching any metric: {fmt_time(v)} ns per write.")
    lines.append("")
    return lines


def reactor_table(d, results):
    by = {}
    for t in (1, 2):
        for e in load(os.path.join(d, f"ReactorBenchmark-t{t}.json")):
            by.setdefault(method(e), {})[t] = (best(e), alloc(e))
    if not by:
        return []
    results["ReactorBenchmark"] = {m: {t: (v[0], None, "ns/op", v[1]) for t, v in ts.items()}
                                   for m, ts in by.items()}
    lines = ["### ReactorBenchmark (ns per subscription, assembly included; B/op)", "",
             "| pipeline | threads | bare | rxprom `transform(Metrics.timed)` | added | "
             "Micrometer `tap(Micrometer.metrics)` | added | tap overhead / rxprom overhead |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for p in ("mono", "flux"):
        for t in (1, 2):
            b, r, m = (by.get(f"{p}_{k}", {}).get(t) for k in ("bare", "rxprom", "micrometerTap"))
            if not b:
                continue

            def cell(x):
                return f"{fmt_time(x[0])} ({fmt_bytes(x[1])} B)" if x else "-"

            def added(x):
                return f"+{fmt_time(x[0] - b[0])} (+{fmt_bytes(x[1] - b[1])} B)" if x else "-"

            ratio = f"{(m[0] - b[0]) / (r[0] - b[0]):.1f}x" if r and m and r[0] > b[0] else "-"
            lines.append(f"| {p} | {t} | {cell(b)} | {cell(r)} | {added(r)} | {cell(m)} | {added(m)} | {ratio} |")
    fake = by.get("mono_rxpromFakeClock", {})
    for t, v in sorted(fake.items()):
        b = by.get("mono_bare", {}).get(t)
        if b:
            lines.append(f"\nWith a clock that reads no time (`mono_rxpromFakeClock`), {t} thread(s): "
                         f"{fmt_time(v[0])} ns, +{fmt_time(v[0] - b[0])} ns over bare: the operator without "
                         f"its two clock reads.")
    lines.append("")
    return lines


def get(results, cls, m, t):
    v = results.get(cls, {}).get(m, {}).get(t)
    return v[0] if v else None


def targets(results):
    lines = ["### Targets", "", "| target | measured | met |", "|---|---|---|"]

    def add(name, value, ok, text):
        if value is None:
            lines.append(f"| {name} | not measured | - |")
        else:
            lines.append(f"| {name} | {text} | {'yes' if ok else '**no**'} |")

    for t in (1, 2):
        for m in ("rxprom_cachedChild", "rxprom_noLabels"):
            a, b = get(results, "CounterBenchmark", m, t), get(results, "CounterBenchmark", "bare_longAdder", t)
            r = a / b if a and b else None
            add(f"counter {m[7:]} within 1.2x of LongAdder, {t} thread(s)", r,
                r is not None and r <= 1.2, f"{r:.2f}x" if r else "")
    for t in (1, 2):
        a, b = get(results, "HistogramBenchmark", "rxprom", t), get(results, "HistogramBenchmark", "clientJava_classicOnly", t)
        r = b / a if a and b else None
        add(f"histogram observe >= 2x client_java classic, {t} thread(s)", r,
            r is not None and r >= 2, f"{r:.2f}x faster" if r else "")
    for t in (1, 2):
        a, b = get(results, "SummaryBenchmark", "rxprom_quantiles", t), get(results, "SummaryBenchmark", "clientJava_quantiles", t)
        r = b / a if a and b else None
        add(f"summary with quantiles >= 5x client_java, {t} thread(s)" + (" (the target)" if t == 2 else " (info)"),
            r, r is not None and (r >= 5 or t == 1), f"{r:.2f}x faster" if r else "")
    lk = results.get("LabelsLookupBenchmark", {})
    worst = None
    for m in ("rxprom_1", "rxprom_2", "rxprom_3"):
        for t in (1, 2):
            v = lk.get(m, {}).get(t)
            if v and v[3] is not None:
                worst = max(worst or 0, v[3])
    add("labels lookup (1 to 3 values) 0 B/op", worst, worst is not None and worst < 0.5,
        f"max {worst:.3f} B/op" if worst is not None else "")
    sc = results.get("ScrapeBenchmark", {})
    for series in (1000, 50000):
        a, b = sc.get((series, "text", "rxprom")), sc.get((series, "text", "clientJava"))
        r = b[0] / a[0] if a and b else None
        add(f"scrape {series:,} series text >= 2x client_java", r, r is not None and r >= 2,
            f"{r:.2f}x faster" if r else "")
    rx = results.get("ReactorBenchmark", {})
    for t in (1, 2):
        bare, timed, tap = (get(results, "ReactorBenchmark", m, t)
                            for m in ("mono_bare", "mono_rxprom", "mono_micrometerTap"))
        added = timed - bare if bare and timed else None
        add(f"Mono.just: at most 60 ns added by Metrics.timed, {t} thread(s)", added,
            added is not None and added <= 60, f"{added:.1f} ns" if added is not None else "")
        r = (tap - bare) / added if added and tap else None
        add(f"Mono.just: overhead >= 5x smaller than the Micrometer tap, {t} thread(s)", r,
            r is not None and r >= 5, f"{r:.1f}x smaller" if r else "")
    lines.append("")
    return lines


def main():
    d = sys.argv[1]
    results = {}
    out = ["# rxprom benchmark report", ""]
    mp = os.path.join(d, "machine.txt")
    if os.path.exists(mp):
        out += ["```", open(mp).read().rstrip(), "```", ""]
    out += ["Times are the best measurement iteration (the least disturbed on a shared machine; "
            "the JSON files keep every iteration). Ratios are this / rxprom in time per op "
            "(2.00x: twice as slow as rxprom). B/op from -prof gc (gc.alloc.rate.norm).", ""]
    for cls in THREADED:
        out += threaded_table(d, cls, results)
    out += reactor_table(d, results)
    out += scrape_table(d, results)
    out += writers_table(d, results)
    out += targets(results)
    print("\n".join(out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Draws the scale curve that bench/scale-curve.sh measured as one SVG: six panels (sampling CPU, heap, RSS, scrape size,
scrape time, page times) against the number of pools, one line per database spread. Standard library only.

    python3 bench/scale-plot.py target/bench/scale-curve.tsv docs/images/scale-curve.svg
"""
import csv
import math
import sys
from xml.sax.saxutils import escape

PANELS = [
    ("CPU per 5 s interval, no requests (ms)", lambda r: float(r["cpu_ms_per_interval"])),
    ("Heap after full GC (MiB)", lambda r: int(r["heap_kib"]) / 1024),
    ("RSS (MiB)", lambda r: int(r["rss_kib"]) / 1024),
    ("Scrape size (KB)", lambda r: int(r["scrape_bytes"]) / 1000),
    ("Scrape render p50 (ms)", lambda r: float(r["scrape_p50_ms"])),
    ("GET / and /api/v1/pools p50 (ms)", None),
]
COLOURS = {"1": "#1f77b4", "10": "#d62728"}
W, H = 330, 230          # one panel
ML, MR, MT, MB = 56, 14, 30, 40


def nice_max(v):
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least v: a round top for the axis."""
    if v <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= v:
            return m * magnitude
    return 10 * magnitude


def panel(x0, y0, title, series, xmax):
    """series: list of (label, colour, dash, [(pools, value)])."""
    out = [f'<g transform="translate({x0},{y0})">',
           f'<text x="{ML}" y="18" font-size="13" font-weight="bold">{escape(title)}</text>']
    pw, ph = W - ML - MR, H - MT - MB
    ymax = nice_max(max([v for _, _, _, pts in series for _, v in pts] + [0]) * 1.05)
    sx = lambda p: ML + p / xmax * pw
    sy = lambda v: MT + ph - v / ymax * ph
    for i in range(5):
        v = ymax * i / 4
        y = sy(v)
        out.append(f'<line x1="{ML}" x2="{ML + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{ML - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{v:g}</text>')
    for p in (4, 25, 100, 200, 300, 400):
        if p <= xmax:
            x = sx(p)
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{MT + ph}" y2="{MT + ph + 4}" stroke="#333"/>')
            out.append(f'<text x="{x:.1f}" y="{MT + ph + 16}" font-size="10" text-anchor="middle">{p}</text>')
    out.append(f'<text x="{ML + pw / 2}" y="{H - 6}" font-size="11" text-anchor="middle">pools</text>')
    out.append(f'<rect x="{ML}" y="{MT}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    for label, colour, dash, pts in series:
        pts = sorted(pts)
        if not pts:
            continue
        d = " ".join(f"{sx(p):.1f},{sy(v):.1f}" for p, v in pts)
        out.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>')
        for p, v in pts:
            out.append(f'<circle cx="{sx(p):.1f}" cy="{sy(v):.1f}" r="3" fill="{colour}"/>')
    out.append("</g>")
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scale-plot.py <scale-curve.tsv> <out.svg>")
    with open(sys.argv[1], newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if not rows:
        sys.exit(f"{sys.argv[1]}: no rows")
    spreads = sorted({r["databases"] for r in rows}, key=int)
    xmax = max(int(r["pools"]) for r in rows)
    body = []
    for i, (title, value) in enumerate(PANELS):
        x0, y0 = (i % 3) * W, 40 + (i // 3) * H
        series = []
        for db in spreads:
            mine = [r for r in rows if r["databases"] == db]
            colour = COLOURS.get(db, "#2ca02c")
            if value is None:
                series.append((f"/ on {db}", colour, "", [(int(r["pools"]), float(r["overview_p50_ms"])) for r in mine]))
                series.append((f"API on {db}", colour, "5,3", [(int(r["pools"]), float(r["api_p50_ms"])) for r in mine]))
            else:
                series.append((f"{db} db", colour, "", [(int(r["pools"]), value(r)) for r in mine]))
        body += panel(x0, y0, title, series, xmax)
    legend = []
    x = 10
    for db in spreads:
        colour = COLOURS.get(db, "#2ca02c")
        text = f"{db} database{'s' if db != '1' else ''}"
        legend.append(f'<line x1="{x}" x2="{x + 24}" y1="26" y2="26" stroke="{colour}" stroke-width="2"/>')
        legend.append(f'<text x="{x + 30}" y="30" font-size="12">{escape(text)}</text>')
        x += 150
    legend.append(f'<text x="{x}" y="30" font-size="12">(last panel: solid GET /, dashed GET /api/v1/pools)</text>')
    loads = ", ".join(sorted({r["load"].split("/")[0] for r in rows}, key=float))
    title = f"poolwatch scale curve: 4 to {xmax} pools (bench/scale-curve.sh; 2-core machine, 1-min load {loads})"
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{3 * W}" height="{40 + 2 * H}" font-family="sans-serif">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="12" font-size="12">{escape(title)}</text>'] + legend + body + ["</svg>"]
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(svg) + "\n")
    print_costs(rows, spreads)


FIGURES = [("cpu_ms_per_interval", "CPU ms/interval", 1), ("heap_kib", "heap KiB", 1), ("rss_kib", "RSS KiB", 1),
           ("scrape_bytes", "scrape bytes", 1), ("scrape_p50_ms", "scrape p50 ms", 1), ("overview_p50_ms", "/ p50 ms", 1),
           ("api_p50_ms", "/api/v1/pools p50 ms", 1)]


def print_costs(rows, spreads):
    """The cost per pool of each figure: the least-squares slope over every row of a spread, and the slopes of the
    first and last steps (4 to 100 pools, 100 to 400), whose ratio says whether the growth is linear (1) or faster."""
    for db in spreads:
        mine = sorted((r for r in rows if r["databases"] == db), key=lambda r: int(r["pools"]))
        if len(mine) < 2:
            continue
        xs = [int(r["pools"]) for r in mine]
        for key, label, _ in FIGURES:
            ys = [float(r[key]) for r in mine]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
            steps = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]
            print(f"{db} db\t{label}\tper pool {slope:.4g}\tsteps {' '.join(f'{s:.4g}' for s in steps)}")
        if all(r.get("sampling_us_per_pool") for r in mine):
            # Measured per pool already (the sampler's own CPU per snapshot): linear when it stays flat.
            print(f"{db} db\tpool sampling µs/pool/interval\t{' '.join(r['sampling_us_per_pool'] for r in mine)}")


if __name__ == "__main__":
    main()

"""Benchmark the build against a floor book and start-up against bare Python; write
``_build/bench.json``.

    python scripts/bench.py [--jobs N] [--repeat N] [--baseline] [--startup-only]

Measures, on this machine: what ``make book`` does from clean (the site: no ``_build``, no
execution cache; then the PDF, scripts/pdf.py), a no-op rebuild of the site, a rebuild after
touching one page, and each page's execution time; each is the median of
``--repeat`` runs (default 3), the floor's runs alternating with ours. It then builds the floor
book the same way: the same pages and configuration with every code cell emptied, every glue
reference replaced by a constant, and a placeholder of the same name for every numbered table
that a code cell made, so that it still builds strictly. The floor costs what Sphinx and the
kernels' start-up cost alone; the report gives our times as ratios to it, and the goal is
``make book`` (site and PDF) at most 1.5x the floor's. A page's execution time includes, for the
first page of each worker, the imports that the later pages reuse.

Start-up: ``import nbformat`` and a first ``validate`` in a fresh interpreter, which every process
that reads a notebook pays (tests/test_startup.py checks that the venv leaves out the optional
format checkers that make it slow), as the median of several runs against a bare ``python -c
pass`` run alternately with it, as a ratio.

``--baseline`` also times the clean build as Jupyter Book alone does it (each page in a kernel
of its own, one after another), for comparison. The benchmark is not part of ``make test``:
timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = [sys.executable, str(ROOT / "scripts" / "build.py")]
PDF = [sys.executable, str(ROOT / "scripts" / "pdf.py")]
TOUCHED = "book/efficacy.md"
#: Goals, as ratios: ``book`` is the site and the PDF from clean against the floor's.
TARGETS = {"book": 1.5, "noop": 1.3, "startup": 15.0}  # start-up: 0.3 s / 0.02 s
STARTUP = "import nbformat; nbformat.validate(nbformat.v4.new_notebook())"
STARTUP_RUNS = 11

CODE_CELL = re.compile(r"^(?P<fence>`{3,})\{code-cell\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                       re.M | re.S)
GLUE_ROLE = re.compile(r"\{glue(?::[a-z]+)?\}`[^`]*`")
GLUE_FIGURE = re.compile(r"^(`{3,}|:{3,})\{glue:figure\}[^\n]*$", re.M)
#: A glued output placed by a directive (``{glue:} name``): a constant paragraph in the floor.
GLUE_BLOCK = re.compile(r"^(`{3,}|:{3,})\{glue(?::(?:any|md)?)?\}[^\n]*\n\1[ \t]*$", re.M)
NAME = re.compile(r"^:name:\s*(\S+)", re.M)
NUMREF = re.compile(r"\{numref\}`(?:[^`<]*<)?([^`>]+)>?`")
PLACEHOLDER_IMAGE = "/book/_static/favicon.svg"


def timed(cmd: list[str], quiet: bool = False) -> float:
    """Seconds the command took; its failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL if quiet else None)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed with status {done.returncode}")
    return round(time.perf_counter() - start, 2)


def startup(runs: int = STARTUP_RUNS) -> dict:
    """Median seconds of the start-up command and of a bare ``python -c pass``, alternated."""
    ours, bare = [], []
    for _ in range(runs):
        ours.append(timed([sys.executable, "-c", STARTUP]))
        bare.append(timed([sys.executable, "-c", "pass"]))
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    return {"command": STARTUP, "runs": runs, "median_s": ours_s, "bare_python_s": bare_s,
            "ratio": round(ours_s / max(bare_s, 0.005), 1)}


def page_seconds(root: Path) -> dict[str, float]:
    """Execution seconds per page, as the execution cache recorded them."""
    from jupyter_cache import get_cache

    cache = get_cache(str(root / "_build" / ".jupyter_cache"))
    out = {}
    for record in cache.list_cache_records():
        name = str(Path(record.uri).resolve().relative_to(root))
        out[name] = round(float(record.data.get("execution_seconds") or 0.0), 2)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def floor_page(text: str, undefined: list[str]) -> str:
    """The page with empty code cells, constant glue and placeholder tables for ``undefined``."""
    def empty_cell(m: re.Match) -> str:
        options = [line for line in m["body"].splitlines() if line.startswith(":")]
        head = m.group(0).splitlines()[0]
        return "\n".join([head, *options, "", m["fence"]])

    text = CODE_CELL.sub(empty_cell, text)
    text = GLUE_ROLE.sub("0", text)
    text = GLUE_BLOCK.sub("0", text)
    text = GLUE_FIGURE.sub(lambda m: f"{m[1]}{{figure}} {PLACEHOLDER_IMAGE}", text)
    for name in undefined:
        text += (f"\n\n:::{{list-table}} Placeholder\n:name: {name}\n:header-rows: 1\n\n"
                 "* - placeholder\n* - 0\n:::\n")
    return text


def make_floor(dest: Path) -> None:
    """Write the floor book into ``dest`` (same configuration, table of contents and assets)."""
    for name in ("_config.yml", "_toc.yml", "pyproject.toml", "requirements.txt"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "_vendor").symlink_to(ROOT / "_vendor")
    shutil.copytree(ROOT / "book", dest / "book")
    pages = sorted((dest / "book").rglob("*.md"))
    texts = {p: p.read_text() for p in pages}
    defined = {n for t in texts.values() for n in NAME.findall(CODE_CELL.sub("", t))}
    wanted = {n for t in texts.values() for n in NUMREF.findall(t)} - defined
    homes: dict[Path, list[str]] = {p: [] for p in pages}
    for name in sorted(wanted):
        made_by = [p for p, t in texts.items()
                   if any(name in m["body"] for m in CODE_CELL.finditer(t))]
        cited_by = [p for p, t in texts.items() if name in t]
        homes[(made_by or cited_by)[0]].append(name)
    for page, text in texts.items():
        page.write_text(floor_page(text, homes[page]))


def measure(root: Path, jobs: int, touch: str | None) -> dict:
    """Clean build of the site, then the PDF, a no-op rebuild and (optionally) a rebuild after
    touching one page. The clean build starts with an empty disk cache (``$VAH_CACHE_DIR``), as
    on a fresh machine: it computes the reconstruction and the ledger once."""
    shutil.rmtree(root / "_build", ignore_errors=True)
    cmd = [*BUILD, str(root), "--jobs", str(jobs), "--quiet"]
    with tempfile.TemporaryDirectory(prefix="vah-cache-") as kept:
        os.environ["VAH_CACHE_DIR"] = kept
        try:
            out = {"clean_s": timed(cmd), "pdf_s": timed([*PDF, str(root), "--jobs", str(jobs)])}
        finally:
            del os.environ["VAH_CACHE_DIR"]
    out["book_s"] = round(out["clean_s"] + out["pdf_s"], 2)
    out["noop_s"] = timed(cmd)
    if touch:
        os.utime(root / touch)
        out["touched_s"] = timed(cmd)
    return out


def median_of(runs: list[dict]) -> dict:
    """The median of each timing over the runs, and the runs themselves."""
    keys = runs[0].keys()
    return {k: round(statistics.median(r[k] for r in runs), 2) for k in keys} | {"runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement; the report gives their median")
    parser.add_argument("--baseline", action="store_true",
                        help="also time Jupyter Book alone (one kernel per page, serial)")
    parser.add_argument("--startup-only", action="store_true",
                        help="measure the start-up alone (no builds)")
    args = parser.parse_args()

    report: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                                "platform": platform.platform()},
                    "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT,
                                             capture_output=True, text=True).stdout.strip(),
                    "uncommitted_changes": bool(subprocess.run(
                        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                        text=True).stdout.strip()),
                    "jobs": args.jobs, "repeat": args.repeat, "targets": TARGETS,
                    "startup": startup()}
    (ROOT / "_build").mkdir(exist_ok=True)
    if args.startup_only:
        ok = report["startup"]["ratio"] <= TARGETS["startup"]
        (ROOT / "_build" / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
        print_startup(report["startup"])
        print("written to _build/bench.json")
        sys.exit(0 if ok else 1)
    if shutil.which("chromium") is None:  # the PDF needs it: install it as `make book` does
        if subprocess.run(["bash", str(ROOT / "scripts" / "chromium.sh")]).returncode != 0:
            sys.exit("bench: the PDF needs chromium (see the line above)")
    if args.baseline:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        report["baseline"] = {"clean_s": timed([*BUILD, str(ROOT), "--jobs", "0", "--quiet"])}
    book_runs, floor_runs = [], []
    with tempfile.TemporaryDirectory(prefix="vah-floor-") as tmp:
        make_floor(Path(tmp))
        for _ in range(args.repeat):  # alternate, so that a slow spell hits both books
            floor_runs.append(measure(Path(tmp), args.jobs, None))
            book_runs.append(measure(ROOT, args.jobs, TOUCHED))
    report["floor"] = median_of(floor_runs)
    report["book"] = median_of(book_runs) | {"touched_page": TOUCHED,
                                             "pages_s": page_seconds(ROOT)}
    book, floor = report["book"], report["floor"]
    report["ratios"] = {key: round(book[f"{key}_s"] / floor[f"{key}_s"], 2)
                        for key in ("book", "clean", "pdf", "noop")}
    report["ratios"]["startup"] = report["startup"]["ratio"]
    if "baseline" in report:
        report["ratios"]["baseline_clean"] = round(
            report["baseline"]["clean_s"] / floor["clean_s"], 2)
    report["meets_targets"] = all(report["ratios"][k] <= v for k, v in TARGETS.items())
    (ROOT / "_build" / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)
    sys.exit(0 if report["meets_targets"] else 1)


def print_report(r: dict) -> None:
    book, floor, ratios = r["book"], r["floor"], r["ratios"]
    print(f"bench on {r['machine']['cores']} cores, {r['jobs']} pages at once, median of "
          f"{r['repeat']} runs (commit {r['commit'][:10]})")
    print(f"{'':24}{'book':>9}{'floor':>9}{'ratio':>8}{'goal':>8}")
    for key, label in (("book", "make book, clean"), ("clean", "  site"), ("pdf", "  PDF"),
                       ("noop", "no-op rebuild")):
        goal = f"{TARGETS[key]:>8.1f}" if key in TARGETS else ""
        print(f"{label:24}{book[key + '_s']:>8.1f}s{floor[key + '_s']:>8.1f}s"
              f"{ratios[key]:>8.2f}{goal}")
    print(f"{'touched ' + book['touched_page']:24}{book['touched_s']:>8.1f}s")
    if "baseline" in r:
        print(f"{'clean, Jupyter Book alone':24}{r['baseline']['clean_s']:>8.1f}s"
              f"{'':>9}{ratios['baseline_clean']:>8.2f}")
    print("page execution (s): " + ", ".join(f"{p.removeprefix('book/')} {s:.1f}"
                                             for p, s in book["pages_s"].items()))
    print_startup(r["startup"])
    print("targets met" if r["meets_targets"] else "targets MISSED")
    print("written to _build/bench.json")


def print_startup(s: dict) -> None:
    print(f"start-up (import nbformat + validate): {s['median_s']:.2f} s against bare python "
          f"{s['bare_python_s']:.2f} s, ratio {s['ratio']:.1f} (goal <= {TARGETS['startup']:.0f}),"
          f" median of {s['runs']}")


if __name__ == "__main__":
    main()

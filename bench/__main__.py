"""Run every benchmark module and print one markdown table; write the rows as JSON.

Usage: python -m bench [--quick] [--only AREA ...] [--sessions N] [--json PATH] [--markdown PATH]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
import traceback
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
SKIP = {"__main__", "stats", "compare", "wsclient"}  # helpers, not areas


def machine() -> str:
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, {gpu}, "
            f"torch {torch.__version__}, Python {platform.python_version()}")


def fmt(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def table(rows: list[dict]) -> str:
    cols = ["area", "measure", "value", "unit", "anchor", "anchor_value", "ratio", "goal", "note"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(fmt(r.get(c)).replace("|", "/") for c in cols) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="a smoke run (about 1.5 minutes on 2 cores), no timing goals")
    ap.add_argument("--sessions", type=int, help="sessions of the load test (default 30 protocol sessions plus one Chromium tab; --quick skips the load test unless this is given)")
    ap.add_argument("--only", nargs="*", help="areas (module names) to run")
    ap.add_argument("--json", default="build/bench.json", help="where to write the rows")
    ap.add_argument("--markdown", help="also write the machine line and the table to this Markdown file")
    args = ap.parse_args(argv)
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name not in SKIP)
    if args.only:
        names = [n for n in names if n in args.only]
    if args.sessions:
        os.environ["GENLAB_BENCH_SESSIONS"] = str(args.sessions)
    rows, failures = [], 0
    t0 = time.perf_counter()

    def write_json(partial: bool) -> dict:
        out = {"machine": machine(), "quick": args.quick, "seconds": time.perf_counter() - t0, "rows": rows}
        if partial:
            out["partial"] = True
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))
        return out
    for name in names:
        t_mod = time.perf_counter()
        try:
            mod = importlib.import_module(f"bench.{name}")
            rows.extend(mod.rows(args.quick))
        except Exception as exc:  # noqa: BLE001 - one broken area must not hide the others
            failures += 1
            traceback.print_exc()
            rows.append({"area": name, "measure": "(failed)", "value": None, "unit": "",
                         "note": f"{type(exc).__name__}: {exc}"[:200]})
        print(f"[bench] {name}: {time.perf_counter() - t_mod:.1f} s", file=sys.stderr, flush=True)
        write_json(partial=True)  # after every area: a run stopped part-way keeps what it measured
    out = write_json(partial=False)
    text = f"Machine: {out['machine']}\n\n{table(rows)}\n"
    print(text)
    if args.markdown:
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(args.markdown).write_text(
            f"# Benchmark ({'quick' if args.quick else 'full'} run, {time.strftime('%Y-%m-%d')})\n\n"
            f"Written by `python -m bench{' --quick' if args.quick else ''}`; {len(rows)} rows in "
            f"{out['seconds']:.0f} s. Each value is a median over repeats (min and max in the note).\n\n{text}")
    print(f"\n{len(rows)} rows in {out['seconds']:.0f} s; JSON in {args.json}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

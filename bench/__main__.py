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

from . import stats
from .stats import merge_rounds

HERE = Path(__file__).resolve().parent
SKIP = {"__main__", "stats", "compare", "wsclient"}  # helpers, not areas
BUDGET_S = 560.0  # a full run's time limit (issue 10: 10 minutes), with 40 s to spare
ROUNDS = 3  # a full run's rounds of the whole suite (expensive repeats are spread over them: stats.per_round)


def cpu_name() -> str:
    """The CPU's model name, family and model numbers (Linux), and the vector instructions PyTorch uses.

    Two machines both called "AMD EPYC" differed five-fold on the U-Net here (AVX2 against AVX-512),
    so the table names what it ran on."""
    info: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    name = info.get("model name") or platform.processor() or platform.machine()
    if "cpu family" in info:
        name += f" (family {info['cpu family']}, model {info.get('model', '?')})"
    try:
        name += f", {torch.backends.cpu.get_cpu_capability()}"
    except Exception:  # noqa: BLE001 - older torch
        pass
    return name


def machine() -> str:
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return (f"{platform.machine()}, {cpu_name()}, {os.cpu_count()} CPU cores, {gpu}, "
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
    ap.add_argument("--rounds", type=int, help="times to run the whole suite, minutes apart, merged into one "
                    f"table (default {ROUNDS} for a full run, fewer when the next would end past "
                    f"{BUDGET_S / 60:.1f} minutes; 1 with --quick)")
    ap.add_argument("--json", default="build/bench.json", help="where to write the rows")
    ap.add_argument("--markdown", help="also write the machine line and the table to this Markdown file")
    args = ap.parse_args(argv)
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name not in SKIP)
    if args.only:
        names = [n for n in names if n in args.only]
    if args.sessions:
        os.environ["GENLAB_BENCH_SESSIONS"] = str(args.sessions)
    threads = torch.get_num_threads()  # each area starts from the process default (some set 1 thread)
    rounds = args.rounds or (1 if args.quick else ROUNDS)
    stats.RUN.rounds = rounds
    stats.RUN.named = frozenset(args.only or ())
    failures, done_rounds = 0, []
    t0 = time.perf_counter()

    def write_json(current: list[dict] | None = None) -> dict:
        """Write the rounds so far merged (with ``current``, the round in progress: a partial file)."""
        measured = done_rounds + ([current] if current else [])
        out = {"machine": machine(), "quick": args.quick, "seconds": time.perf_counter() - t0,
               "rounds": len(measured), "rows": merge_rounds(measured)}
        if current is not None:
            out["partial"] = True
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))
        return out
    for k in range(rounds):
        elapsed = time.perf_counter() - t0
        if k and not args.rounds and elapsed + elapsed / k > BUDGET_S:  # the next round would not fit
            print(f"[bench] {k} round{'s' if k > 1 else ''} took {elapsed:.0f} s: no further rounds "
                  f"(the full run stays within {BUDGET_S / 60:.1f} minutes)", file=sys.stderr)
            break
        stats.RUN.round = k
        rows = []
        for name in names:
            t_mod = time.perf_counter()
            torch.set_num_threads(threads)  # else an area's setting leaks into the next (and the next round)
            try:
                mod = importlib.import_module(f"bench.{name}")
                rows.extend(mod.rows(args.quick))
            except Exception as exc:  # noqa: BLE001 - one broken area must not hide the others
                failures += 1
                traceback.print_exc()
                rows.append({"area": name, "measure": "(failed)", "value": None, "unit": "",
                             "note": f"{type(exc).__name__}: {exc}"[:200]})
            print(f"[bench] round {k + 1}, {name}: {time.perf_counter() - t_mod:.1f} s", file=sys.stderr,
                  flush=True)
            write_json(rows)  # after every area: a run stopped part-way keeps what it measured
        done_rounds.append(rows)
    out = write_json()
    rows = out["rows"]
    text = f"Machine: {out['machine']}\n\n{table(rows)}\n"
    print(text)
    if args.markdown:
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(args.markdown).write_text(
            f"# Benchmark ({'quick' if args.quick else 'full'} run, {time.strftime('%Y-%m-%d')})\n\n"
            f"Written by `python -m bench{' --quick' if args.quick else ''}`; {len(rows)} rows in "
            f"{out['seconds']:.0f} s, {out['rounds']} round{'s' if out['rounds'] > 1 else ''} of the whole suite. "
            f"Each value is a median over repeats and over the rounds; the note leads with its range over all "
            f"rounds (min and max over the repeats, or for a percentile its 95% confidence interval), which "
            f"`python -m bench.compare` reads.\n\n{text}")
    print(f"\n{len(rows)} rows in {out['seconds']:.0f} s; JSON in {args.json}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Run every notebook top to bottom the way Jupyter's "Run All" does, on the CPU, and time it.

Usage: python .ci/run_all.py [GLOB ...] [--timeout 120] [--budget 60]

- Each notebook runs in a fresh kernel, in its own folder, every cell in order: `#| slow`, `#| cuda` and
  `#| notest` cells run like any other, because that is what a learner's Run All does.
- No flags: MEANSHIFT_FULL_RUN and NUMBA_ENABLE_CUDASIM are removed from the kernel's environment, and
  CUDA_VISIBLE_DEVICES is emptied, so a machine with a GPU behaves like a CPU-only laptop.
- The notebooks are never written back: outputs go nowhere, the files on disk are untouched.
- A notebook fails when a cell raises, when it runs past --timeout seconds (its process group, kernel
  included, is killed), or when it takes longer than --budget seconds (the course promises Run All in under
  a minute on 2 cores).
Prints one line per notebook with its time, and exits 1 if any failed.
"""
import argparse, glob, json, os, re, signal, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_one(path: Path) -> str:
    "Execute `path` in a fresh kernel (this process); return '' or the error, one line."
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=None, kernel_name='python3', allow_errors=False,
                            resources={'metadata': {'path': str(path.parent)}})
    try: client.execute()
    except CellExecutionError as e:
        lines = [l for l in str(e).strip().splitlines() if l.strip()]
        return re.sub(r'\x1b\[[0-9;]*m', '', lines[-1] if lines else 'a cell raised')   # no terminal colours
    except Exception as e: return f"{type(e).__name__}: {e}"
    return ''


def run_isolated(path: Path, timeout: float):
    "Run `path` in a child process (its own process group); kill the group at `timeout`. Returns (seconds, error)."
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, __file__, '--one', str(path)], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try: out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL); p.communicate()
        return time.perf_counter() - t0, f"stopped after {timeout:.0f} s (time limit)"
    dt = time.perf_counter() - t0
    try: return dt, json.loads(out.strip().splitlines()[-1])['error']
    except (IndexError, ValueError, KeyError): return dt, f"the runner crashed (exit status {p.returncode})"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('globs', nargs='*', help='notebook globs (default: nbs/*.ipynb)')
    p.add_argument('--timeout', type=float, default=120., help='stop a notebook after this many seconds (default 120)')
    p.add_argument('--budget', type=float, default=60., help='report a notebook that takes longer than this as SLOW (default 60)')
    p.add_argument('--fail-over', type=float, default=None, help='fail a notebook that takes longer than this (default: the budget)')
    p.add_argument('--one', help=argparse.SUPPRESS)   # internal: run one notebook, print {"error": ...}
    a = p.parse_args(argv)
    for k in ('MEANSHIFT_FULL_RUN', 'NUMBA_ENABLE_CUDASIM'): os.environ.pop(k, None)
    os.environ['CUDA_VISIBLE_DEVICES'] = ''
    os.environ.pop('MPLBACKEND', None)   # the kernel picks Jupyter's inline backend, as in a notebook server
    if a.one: print(json.dumps({'error': run_one(Path(a.one))})); return 0
    paths = sorted({Path(q).resolve() for g in (a.globs or [str(ROOT / 'nbs' / '*.ipynb')]) for q in glob.glob(g)})
    paths = [q for q in paths if not q.name.startswith(('_', '.'))]
    if not paths: print('no notebooks matched', a.globs); return 1
    failed, total, slow_ones = [], 0., []
    print(f"Run All on {len(paths)} notebook(s), CPU only, no flags; time limit {a.timeout:.0f} s, budget {a.budget:.0f} s")
    for q in paths:
        dt, err = run_isolated(q, a.timeout)
        if err.startswith('stopped after'):   # a kernel that never answered (seen once, with other kernels starting
            dt, err = run_isolated(q, a.timeout)  # beside it): run it once more, and say so
            err = err and err + ' (twice)'
            if not err: print(f"  note: {q.name} hung once at start-up and ran the second time")
        total += dt
        limit = a.budget if a.fail_over is None else a.fail_over
        if not err and dt > limit: err = f"took {dt:.1f} s, over the {limit:.0f} s limit"
        slow = not err and dt > a.budget
        if slow: slow_ones.append(f"{q.name} ({dt:.1f} s)")
        print(f"  {'FAIL' if err else 'SLOW' if slow else 'ok  '}  {dt:7.1f} s  {q.name}" + (f"  -- {err}" if err else f"  -- over the {a.budget:.0f} s budget" if slow else ''), flush=True)
        if err: failed.append(q.name)
    if slow_ones: print(f"over the {a.budget:.0f} s budget (a missed goal, not a failure): {', '.join(slow_ones)}")
    print(f"{len(paths) - len(failed)} passed, {len(failed)} failed, {total:.1f} s in all")
    return 1 if failed else 0


if __name__ == '__main__': sys.exit(main())

#!/usr/bin/env python
"""Run every notebook's tests one after another in ONE process, as `nbdev_test --n_workers 1` would but in the
order asked for, and fail on any notebook that leaves the process changed for the next one.

Usage: python .ci/test_isolated.py [--reverse] [GLOB ...]

Each notebook runs through nbdev's own `test_nb`, with the flags of settings.ini, exactly as `nbdev_test` runs
it. Around each one this script takes a snapshot of what a notebook could leave behind and compares:
- the process: environment variables, working directory, torch's and Numba's thread counts, torch's default dtype
  and TF32 switches, numpy's error settings, scikit-learn's config, every `numba.config` setting;
- the library: every module-level name of each `meanshift_nbdev` module (a rebound function or a changed constant)
  and every attribute of each class it defines (a method patched in or out);
- what runs: child processes (a pool or cluster left open; joblib's and multiprocessing's resource trackers,
  which live as long as this process by design, are not counted) and Python threads (tqdm's monitor, distributed's offload thread and dask's default thread pool, per-process singletons too, are not counted), given a few seconds to end;
- modules built by hand and put in `sys.modules`, and files created or changed in the repository.
Prints one line per notebook with its time, then every leak found, and ends with 'N passed, N failed'.
"""
import argparse, glob, os, subprocess, sys, threading, time, types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACKERS = ('resource_tracker',)   # per-process singletons of joblib/loky and multiprocessing
SINGLETON_THREADS = ('tqdm_monitor', 'Dask-Offload_0')   # tqdm's monitor and distributed's offload thread: one per process


def _singleton_threads()->set:
    "Threads of per-process pools that their libraries keep for the process's life: dask's default threaded scheduler."
    out = set(SINGLETON_THREADS)
    dt = sys.modules.get('dask.threaded')
    pool = getattr(dt, 'default_pool', None) if dt else None
    out |= {t.name for t in getattr(pool, '_threads', ())}
    return out


def _children():
    import psutil
    out = []
    for p in psutil.Process().children(recursive=True):
        try: cmd = ' '.join(p.cmdline())
        except psutil.Error: continue
        if not any(t in cmd for t in TRACKERS): out.append(f"pid {p.pid}: {cmd[:120]}")
    return out


def _threads():
    keep = _singleton_threads()
    return sorted(t.name for t in threading.enumerate() if t.is_alive() and t.name not in keep)


def _plain(v):
    "A comparable stand-in for a module-level value: the value for plain data, the identity for anything else."
    if isinstance(v, (int, float, str, bytes, bool, type(None))): return ('v', v)
    if isinstance(v, (tuple, frozenset)):
        try: hash(v); return ('v', v)
        except TypeError: pass
    if isinstance(v, (list, dict, set)):
        try: return ('r', repr(v)[:2000])
        except Exception: pass
    return ('id', id(v))


def _library():
    snap = {}
    for name, m in list(sys.modules.items()):
        if not (name == 'meanshift_nbdev' or name.startswith('meanshift_nbdev.')) or m is None: continue
        for k, v in list(vars(m).items()):
            if k.startswith('__'): continue
            snap[f"{name}.{k}"] = _plain(v)
            if isinstance(v, type) and getattr(v, '__module__', '') == name:
                for a, w in list(vars(v).items()):
                    if not (a.startswith('__') and a.endswith('__')): snap[f"{name}.{k}.{a}"] = _plain(w)
    return snap


def _process():
    import torch, numpy as np, numba
    s = dict(env=dict(os.environ), cwd=os.getcwd(), torch_threads=torch.get_num_threads(),
             default_dtype=str(torch.get_default_dtype()),
             tf32=(torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32),
             np_err=np.geterr(), numba_threads=numba.get_num_threads(),
             numba_config={k: repr(getattr(numba.config, k)) for k in dir(numba.config) if k.isupper()})
    if 'sklearn' in sys.modules:
        import sklearn; s['sklearn'] = sklearn.get_config()
    return s


def _handmade(m)->bool:
    return isinstance(m, types.ModuleType) and getattr(m, '__spec__', None) is None and getattr(m, '__file__', None) is None

def _handmade_modules():
    "Modules in sys.modules that no importer made, inside no real package (a package's own internals are its business)."
    return sorted(k for k, m in sys.modules.items()
                  if _handmade(m) and k not in sys.builtin_module_names and k not in ('__main__', '__mp_main__')
                  and not k.startswith('_cython_') and ('.' not in k or _handmade(sys.modules.get(k.split('.')[0]))))


def _files():
    r = subprocess.run(['git', 'status', '--porcelain', '--ignored', '--untracked-files=all'], cwd=ROOT,
                       capture_output=True, text=True)
    return {l for l in r.stdout.splitlines() if '__pycache__' not in l and '.ipynb_checkpoints' not in l}


def snapshot():
    return dict(process=_process(), library=_library(), modules=_handmade_modules(), files=_files())


def _diff(a:dict, b:dict, prefix='')->list:
    out = []
    for k in sorted(set(a) | set(b), key=str):
        va, vb = a.get(k, '<unset>'), b.get(k, '<unset>')
        if isinstance(va, dict) and isinstance(vb, dict): out += _diff(va, vb, f"{prefix}{k}.")
        elif va != vb: out.append(f"{prefix}{k}: {str(va)[:80]} -> {str(vb)[:80]}")
    return out


def leaks(before:dict, after:dict, new_lib:set)->list:
    out = _diff(before['process'], after['process'])
    lib_b, lib_a = before['library'], after['library']
    out += [f"library global changed: {k}" for k in sorted(set(lib_b) & set(lib_a)) if lib_b[k] != lib_a[k]]
    out += [f"library global added: {k}" for k in sorted(set(lib_a) - set(lib_b))
            if k.split('.')[1] not in new_lib and not k.startswith(tuple(f"meanshift_nbdev.{m}." for m in new_lib))]
    out += [f"library global removed: {k}" for k in sorted(set(lib_b) - set(lib_a))]
    out += [f"module made by hand left in sys.modules: {m}" for m in sorted(set(after['modules']) - set(before['modules']))]
    out += [f"file left in the repository: {f}" for f in sorted(after['files'] - before['files'])]
    return out


def settle(check, seconds=10.):
    "Poll `check()` until it returns nothing or `seconds` pass; return its last answer."
    t0 = time.time()
    while True:
        left = check()
        if not left or time.time() - t0 > seconds: return left
        time.sleep(0.25)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('globs', nargs='*')
    p.add_argument('--reverse', action='store_true', help='run the notebooks in reverse order')
    a = p.parse_args(argv)
    from nbdev.config import get_config
    from nbdev.test import test_nb
    cfg = get_config()
    paths = sorted({Path(q).resolve() for g in (a.globs or [str(ROOT / 'nbs' / '*.ipynb')]) for q in glob.glob(g)})
    paths = [q for q in paths if not q.name.startswith(('_', '.'))]
    if a.reverse: paths = paths[::-1]
    print(f"{len(paths)} notebooks in one process, {'reverse' if a.reverse else 'course'} order")
    os.chdir(cfg.nbs_path)   # where nbdev_test runs them from
    # What importing third-party libraries does is theirs, not a notebook's: import the whole library (and with it
    # torch, Numba, scikit-learn, Dask, ...) and start one notebook shell before the first snapshot.
    import importlib, pkgutil, meanshift_nbdev
    from execnb.shell import CaptureShell
    for m in pkgutil.iter_modules(meanshift_nbdev.__path__): importlib.import_module(f"meanshift_nbdev.{m.name}")
    import matplotlib.pyplot, sklearn.cluster, sklearn.datasets, dask.array, distributed, IPython.display  # noqa: F401
    CaptureShell().run_cell('import numpy')
    os.environ['IN_TEST'] = '1'   # nbdev's test_nb sets it
    failed, report, total = [], [], 0.
    before = snapshot(); base_threads = set(_threads())
    for nb in paths:
        lib_mods = {k for k in sys.modules if k.startswith('meanshift_nbdev.')}
        ok, dt = test_nb(nb, skip_flags=cfg.tst_flags.split(), force_flags=[], basepath=cfg.config_path, do_print=False)
        total += dt
        found = [] if ok else ['its tests failed']
        kids = settle(_children)
        found += [f"child process still running: {c}" for c in kids]
        threads = settle(lambda: sorted(set(_threads()) - base_threads))
        found += [f"thread still running: {t}" for t in threads]
        after = snapshot()
        new_lib = {k.split('.', 1)[1] for k in sys.modules if k.startswith('meanshift_nbdev.')} - {m.split('.', 1)[1] for m in lib_mods}
        found += leaks(before, after, new_lib)
        print(f"  {'FAIL' if found else 'ok  '}  {dt:6.1f} s  {nb.name}", flush=True)
        for f in found: print(f"        {f}", flush=True)
        if found: failed.append(nb.name); report += [f"{nb.name}: {f}" for f in found]
        before = after   # charge each change to the notebook that made it, once
        base_threads |= set(threads)
    if report: print('What the failing notebooks left behind or broke:'); print(*('  ' + l for l in report), sep='\n')
    print(f"{len(paths) - len(failed)} passed, {len(failed)} failed ({total:.0f} s of tests)")
    return 1 if failed else 0


if __name__ == '__main__': sys.exit(main())

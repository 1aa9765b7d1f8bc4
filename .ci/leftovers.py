#!/usr/bin/env python
"""Fail when a test run left a process of this project's Python running.

Usage: python .ci/leftovers.py --before > procs.json      (the processes alive before the run)
       python .ci/leftovers.py --after procs.json         (after it: exit 1 if a new one is still alive)

A process counts when it runs this virtual environment's Python (`sys.executable`, resolved) and was not alive
before: a notebook's kernel or test worker, a joblib/loky worker, a Dask scheduler, nanny or worker, a resource
tracker. Each gets a few seconds to exit on its own after the run, as processes do when their parent is gone.
"""
import json, os, sys, time
import psutil

EXE = os.path.realpath(sys.executable)

def ours()->dict:
    out = {}
    for p in psutil.process_iter(['pid', 'exe', 'cmdline', 'create_time']):
        try:
            if p.pid != os.getpid() and p.info['exe'] and os.path.realpath(p.info['exe']) == EXE:
                out[f"{p.pid}:{p.info['create_time']}"] = ' '.join(p.info['cmdline'] or [])[:160]
        except (psutil.Error, OSError): pass
    return out

if __name__ == '__main__':
    if sys.argv[1:2] == ['--before']: print(json.dumps(ours())); sys.exit(0)
    before = json.load(open(sys.argv[2]))
    t0 = time.time()
    while True:
        left = {k: v for k, v in ours().items() if k not in before}
        if not left or time.time() - t0 > 15: break
        time.sleep(0.5)
    for k, v in left.items(): print(f"left running: pid {k.split(':')[0]}: {v}")
    print(f"{len(left)} process(es) of {EXE} left running" if left else "no process left running")
    sys.exit(1 if left else 0)

#!/usr/bin/env python
"""The library's imports point only down the course order: no module imports one that a later notebook exports.

Usage: python .ci/check_layers.py

Each module's layer is the position of the notebook that exports it (`#| default_exp NAME`) in the sorted course
order. Every import of a sibling module counts, at the top or inside a function (`from .x import`, `import
meanshift_nbdev.x`, `from meanshift_nbdev import x`), and so does a module named in a string given to
`importlib.import_module`. Prints the graph, and exits 1 on an import that points up (which is also the only way
to make a cycle) or on a module that no notebook exports."""
import ast, glob, os, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def layers()->dict:
    order = {}
    for i, nb in enumerate(sorted(glob.glob(str(ROOT / 'nbs' / '[0-9]*.ipynb')))):
        m = re.search(r'default_exp\s+([\w.]+)', open(nb, encoding='utf-8').read())
        if m: order[m.group(1)] = (i, os.path.basename(nb))
    return order

def imports(path:Path)->set:
    src = path.read_text(encoding='utf-8'); deps = set()
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, ast.ImportFrom):
            if n.level == 1 and n.module: deps.add(n.module.split('.')[0])
            elif n.level == 1: deps.update(a.name for a in n.names)
            elif n.module and n.module.startswith('meanshift_nbdev.'): deps.add(n.module.split('.')[1])
            elif n.module == 'meanshift_nbdev': deps.update(a.name for a in n.names)
        elif isinstance(n, ast.Import):
            deps.update(a.name.split('.')[1] for a in n.names if a.name.startswith('meanshift_nbdev.'))
    deps.update(re.findall(r"""['"]meanshift_nbdev\.(\w+)['"]""", src))
    return deps - {'__version__', '_modidx'}

if __name__ == '__main__':
    order, bad = layers(), []
    for f in sorted((ROOT / 'meanshift_nbdev').glob('*.py')):
        mod = f.stem
        if mod.startswith('_'): continue
        if mod not in order: bad.append(f"{mod}: no notebook exports it"); continue
        deps = sorted(d for d in imports(f) if d != mod)
        up = [d for d in deps if d in order and order[d][0] > order[mod][0]]
        print(f"  {order[mod][1]:28s} {mod:12s} -> {', '.join(deps) or '-'}")
        bad += [f"{mod} ({order[mod][1]}) imports {d} ({order[d][1]}), which comes later: imports must point down" for d in up]
    for b in bad: print('LAYERS:', b)
    print(f"{'no upward import' if not bad else f'{len(bad)} problem(s)'} in {len(order)} modules")
    sys.exit(1 if bad else 0)

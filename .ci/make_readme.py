"""Write README.md from nbs/index.ipynb, or with --check fail if README.md is out of step with it.

nbdev_readme needs Quarto, which our CI machines lack, so the README is made here: markdown cells as they are,
code cells that are not hidden as ```python blocks, and their text output as an indented block."""
import json, sys, re

def cell_text(c): return ''.join(c['source'])

def readme_from(nb) -> str:
    parts = []
    for c in nb['cells']:
        src = cell_text(c).strip()
        if not src: continue
        if c['cell_type'] == 'markdown':
            parts.append(src)
            continue
        if re.search(r'^#\|\s*(hide|export)', src, re.M): continue
        parts.append('```python\n' + src + '\n```')
        out = ''.join(''.join(o.get('text', '')) for o in c.get('outputs', []) if o.get('output_type') == 'stream')
        for o in c.get('outputs', []):
            if o.get('output_type') in ('execute_result', 'display_data') and 'text/plain' in o.get('data', {}):
                out += ''.join(o['data']['text/plain']) + '\n'
        if out.strip(): parts.append('\n'.join('    ' + l for l in out.rstrip().splitlines()))
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    want = readme_from(json.load(open('nbs/index.ipynb', encoding='utf-8')))
    if '--check' in sys.argv:
        have = open('README.md', encoding='utf-8').read()
        if have != want:
            import difflib
            sys.stdout.writelines(difflib.unified_diff(have.splitlines(True), want.splitlines(True), 'README.md', 'from nbs/index.ipynb'))
            print('README.md is out of step with nbs/index.ipynb: run python .ci/make_readme.py and commit')
            sys.exit(1)
        import glob, os
        missing = [p for p in sorted(glob.glob('nbs/[0-9]*.ipynb')) if os.path.basename(p)[:-6] not in have]
        if missing: print('notebooks missing from the course table in nbs/index.ipynb:', missing); sys.exit(1)
        print('README.md is in step with nbs/index.ipynb')
    else:
        open('README.md', 'w', encoding='utf-8').write(want)
        print('wrote README.md')

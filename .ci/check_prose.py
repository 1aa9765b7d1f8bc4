#!/usr/bin/env python
"""Prose speaks about the subject, never about how the project was made.

Scans the markdown cells of nbs/*.ipynb (and README.md) for phrases about the project's own process: its issues,
sessions, commits, CI internals, hand tuning on one machine, "the old ..." versions. Exit 1 with one line per hit
(notebook, 0-based cell index, phrase); exit 0 when the prose is clean.
Usage: python .ci/check_prose.py [NOTEBOOK ...]   (default: nbs/*.ipynb and README.md)
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Word-bounded, case-insensitive. "issue" alone is also a subject word (a warp *issues* an instruction, a core
# issues two FMAs per cycle), so only the process senses are matched: "the issue", "this issue", "issue #12", ...
PATTERNS = [
    # the project's issue tracker ("issue" alone is a subject word too: a warp scheduler *issues* instructions)
    r"\b(?:the|this|that|our|an?|open|github)\s+issues?\b(?!\s+(?:an?|one|two|the|rate|slots?|width)\b)",
    r"\bissues?\s*#\d+", r"\bfiled\s+by\b",
    # the working session that produced a notebook (not the learner's Python session: "made in this session")
    r"\b(?:this|the|our|a|each|every)\s+session\s+(?:has|had|ran|runs|did|could|found|was|is|lent|drew)\b",
    r"\bsessions?\s+(?:has|had|ran)\s+no\b", r"\bno\s+GPU\s+(?:is|was)\s+(?:lent|available\s+when)\b",
    # commits and the stored outputs as an artefact of the process
    r"\bcommit(?:s|ted|ting)?\b", r"\bexecuted\s+and\s+committed\b",
    # CI internals
    r"\.ci/", r"\bcontinuous\s+integration\b", r"\bour\s+CI\b", r"\bCI(?:'s)?\s+(?:machines?|runs?|job|jobs|step|log|checks?)\b",
    r"\b(?:in|fails?|for)\s+CI\b",
    # how the numbers were found, and earlier states of the project
    r"\btuned\s+on\b", r"\bthis\s+notebook\s+was\s+tuned\b",
    r"\bthe\s+old\s+(?:grid|version|code|rule|kernel|notebook|chapter|implementation|approach|design|api|benchmark|dense|table|timings?|numbers|default|method|loop|test)s?\b",
    r"\b(?:a|the|our)\s+first\s+version\s+of\s+(?:this|the|our)\b", r"\bprevious\s+version\s+of\s+(?:this|the)\b",
    r"\bthe\s+lead\b", r"\bhelper\s+engineer\b", r"\bpull\s+request\b", r"\bgit\s+(?:commit|push|stash)\b",
    r"\bthe\s+committed\b", r"\bthis\s+(?:notebook|chapter)\s+was\s+(?:re-?)?(?:run|executed)\b",
]
# The README and its source, the index, tell contributors how to test: CI and `.ci/` are the subject there.
CONTRIBUTOR_PAGES = {'index.ipynb', 'README.md'}
CONTRIBUTOR_OK = re.compile(r"\.ci/|\bCI\b|\bcommit\b|\bcommitted\b|\bcontinuous\s+integration\b", re.I)
RX = re.compile("|".join(f"(?:{p})" for p in PATTERNS), re.I)

def hits_in(text:str, page:str=''):
    "Every phrase of process talk in `text` (links' targets left out; contributor words allowed on the README pages)."
    text = re.sub(r"\]\([^)]*\)", "]", text)            # link targets are addresses, not prose
    hits = [m.group(0) for m in RX.finditer(text)]
    if page in CONTRIBUTOR_PAGES: hits = [h for h in hits if not CONTRIBUTOR_OK.search(h)]
    return hits

def check_notebook(path:Path):
    nb = json.loads(path.read_text())
    for i, c in enumerate(nb['cells']):
        if c['cell_type'] != 'markdown': continue
        for h in hits_in(''.join(c['source']), path.name): yield f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: cell {i}: {h!r}"

def main(args):
    paths = [Path(a).resolve() for a in args] or sorted((ROOT/'nbs').glob('*.ipynb')) + [ROOT/'README.md']
    bad = []
    for p in paths:
        if p.name.startswith(('_', '.')): continue
        if p.suffix == '.ipynb': bad += list(check_notebook(p))
        elif p.exists(): bad += [f"{p.name}: line {n}: {h!r}" for n, line in enumerate(p.read_text().splitlines(), 1) for h in hits_in(line, p.name)]
    for b in bad: print(b)
    print(f"check_prose: {len(bad)} phrase(s) about the project's process in {len(paths)} file(s)" if bad else
          f"check_prose: the prose of {len(paths)} file(s) speaks about the subject")
    return 1 if bad else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))

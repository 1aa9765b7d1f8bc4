"""The part of `nbdev_docs` that comes before Quarto, without its attempt to install Quarto: refresh
`_quarto.yml`/`nbdev.yml`, build the doc-link index, and process every notebook for the site into `_proc/`.

With `--html DIR`, every processed notebook is then rendered to HTML with nbconvert, in this one process (a
stand-in for Quarto's render, to catch notebooks that cannot be rendered). Prints the notebooks that failed
and exits 1 if any did."""
import sys
from pathlib import Path
from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
from nbdev.serve import proc_nbs
import nbdev.doclinks


def render_html(out:Path)->list:
    "Render every `_proc/*.ipynb` to `out`; return the names that failed, each with its error."
    import nbformat
    from nbconvert import HTMLExporter
    out.mkdir(parents=True, exist_ok=True)
    exporter, failed = HTMLExporter(), []
    for nb in sorted(Path('_proc').glob('*.ipynb')):
        try:
            body, _ = exporter.from_notebook_node(nbformat.read(nb, as_version=4))
            (out / nb.with_suffix('.html').name).write_text(body, encoding='utf-8')
        except Exception as e: failed.append(f"{nb.name}: {type(e).__name__}: {e}")
    return failed


if __name__ == '__main__':
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    nbdev_sidebar.__wrapped__()
    proc_nbs(force=True, n_workers=2)
    if '--html' in sys.argv:
        failed = render_html(Path(sys.argv[sys.argv.index('--html') + 1]))
        for f in failed: print('could not render', f)
        sys.exit(1 if failed else 0)

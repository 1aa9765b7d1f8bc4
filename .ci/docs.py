"""The part of `nbdev_docs` that comes before Quarto, without its attempt to install Quarto: refresh
`_quarto.yml`/`nbdev.yml`, build the doc-link index, and process every notebook for the site into `_proc/`."""
from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
from nbdev.serve import proc_nbs
import nbdev.doclinks

if __name__ == '__main__':
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    nbdev_sidebar.__wrapped__()
    proc_nbs(force=True, n_workers=2)

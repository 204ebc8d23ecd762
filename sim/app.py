"""The browser visualizer's entry point for ``solara run`` (``berdaya viz``), beside the model as in Mesa's examples.

Only declarations: which page answers which address. The pages themselves live in
``berdaya/viz/``: the classroom visualizer (``page.py``) at "/" and the strategist's
comparison page (``compare.py``) at "/compare"; no other module of ``sim`` imports presentation.
The comparison page (with the report's statistics) loads on its first visit, so the
server answers sooner.
"""

import solara

from berdaya.viz.page import Layout, Page


@solara.component
def ComparePage():
    from berdaya.viz import compare

    return compare.Page()


routes = [
    solara.Route(path="/", component=Page, label="berdaya", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="compare"),
]

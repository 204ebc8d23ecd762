"""Browser presentation (Solara and matplotlib), served through ``sim/app.py`` by ``berdaya viz``: the classroom
visualizer (``page``, ``draw``, ``controls``, ``cards``), the comparison page (``compare``) and the background
comparisons it starts (``jobs``)."""

"""Browser presentation (Solara and matplotlib), served through ``sim/app.py`` by ``berdaya viz``."""

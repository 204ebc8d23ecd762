"""The shipped scenarios: data (TOML), installed with the package as ``sim.scenarios`` and found with importlib.resources."""

"""The `berdaya` command line: the front door to the model, experiments and analysis."""

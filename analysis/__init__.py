"""Analysis of stored experiments: statistics, verdicts, figures and the comparison report.

Everything here outside ``analysis/studies`` reads the experiments engine's Parquet tables
and ``experiment.json``, never runs the model, so a report can be rebuilt from stored
results at any time. The studies in ``analysis/studies`` design work and run it through
the engine.
"""

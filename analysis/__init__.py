"""Analysis of stored experiments: statistics, verdicts, figures and the comparison report.

Everything here reads the experiments engine's Parquet tables and ``experiment.json``,
never the model, so a report can be rebuilt from stored results at any time.
"""

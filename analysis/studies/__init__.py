"""Studies that design work and run it through the experiments engine (sensitivity, robustness,
calibration, patterns); the rest of ``analysis`` only reads stored results."""

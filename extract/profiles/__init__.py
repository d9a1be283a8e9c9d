"""Site profiles as data: per-source selectors, in dated versions."""

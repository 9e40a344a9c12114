"""Statistical methods, independent of this trial: binomial intervals and tests, contingency
tests, survival estimators, and the paper's rounding."""

__all__: list[str] = []

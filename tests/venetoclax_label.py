"""Venetoclax doses expected with each inhibitor class, typed from the sources (not the code)."""

# The US venetoclax label for AML, day by day over the 14 VAH days (typed from the label's table of
# CYP3A and P-gp inhibitors, not from the code): strong inhibitors replace the ramp-up by 10, 20,
# 50 mg and then hold 100 mg (70 mg with posaconazole); moderate CYP3A and P-gp inhibitors halve
# every day (the largest dose that "at least 50 %" allows).
LABEL_VENETOCLAX = {
    "none": [100, 200] + [400] * 12,
    "moderate": [50, 100] + [200] * 12,
    "pgp": [50, 100] + [200] * 12,
    "strong": [10, 20, 50] + [100] * 11,
    "posaconazole": [10, 20, 50] + [70] * 11,
}
# The trial's rule (Methods / Procedures): at least 50 % less with a moderate or strong inhibitor;
# it says nothing about P-gp inhibitors.
PROTOCOL_VENETOCLAX = {
    "none": [100, 200] + [400] * 12,
    "moderate": [50, 100] + [200] * 12,
    "strong": [50, 100] + [200] * 12,
    "posaconazole": [50, 100] + [200] * 12,
    "pgp": [None] * 14,
}

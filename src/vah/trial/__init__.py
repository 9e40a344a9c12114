"""The trial's rules: units, body-surface area, the regimen and its dose rules, protocol
constants, response criteria and the comparators the paper cites."""

__all__: list[str] = []

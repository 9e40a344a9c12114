"""The ledger's words, in one place for the ledger and the command line (which must not import
the ledger to offer them): each entry's status and basis, and the ledger's columns."""

__all__ = ["BASES", "LEDGER_COLUMNS", "STATUSES"]

#: How a printed number compares with its recomputation.
STATUSES = ("match", "rounding", "mismatch", "not-recomputable")

#: What an entry's status rests on: ``counts`` (recomputed from other printed numbers, named in
#: ``inputs``, independently of the number itself), ``restated`` (the same value printed
#: elsewhere, or a protocol constant restated), ``calibrated`` (the reconstruction was fitted to
#: it), ``held-out`` (compared with the reconstruction, which was not fitted to it), ``none``.
BASES = ("counts", "restated", "calibrated", "held-out", "none")

#: The columns of ``vah ledger`` and of the ledger's frame.
LEDGER_COLUMNS = ("id", "where", "quantity", "published", "recomputed", "status", "basis",
                  "inputs", "note")

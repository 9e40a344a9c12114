"""vah: the computations behind the VAH trial book."""

__version__ = "0.1.0"

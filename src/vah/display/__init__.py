"""What the pages show, built from the layers below: journal-style tables and figures."""

__all__: list[str] = []

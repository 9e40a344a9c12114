"""The examples in the package's docstrings (shown on the API page) run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import vah

MODULES = sorted(m.name for m in pkgutil.walk_packages(vah.__path__, "vah."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"

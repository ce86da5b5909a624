"""The package's version: the one place it is written.

``pyproject.toml`` reads it (``[tool.setuptools.dynamic]``) when a wheel or an
sdist is built, and :mod:`scorecard` re-exports it as ``scorecard.__version__``.

Examples
--------
>>> from scorecard._version import __version__
>>> __version__.count(".") >= 2
True
"""

__version__ = "0.1.0"

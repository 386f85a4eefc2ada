"""GenLab's tests, a regular package: torch-fidelity installs a top-level package also named ``tests`` into
site-packages, which would otherwise shadow this folder's ``from tests.<x> import`` (a folder without
``__init__.py`` is only a namespace package, and a regular package anywhere on the path wins over it)."""

"""bonafide: verify strangers' claims against messy registries, protect everyone involved."""

from bonafide.heap import ordinary_pages

__all__ = ["__version__"]

__version__ = "0.1.0"

ordinary_pages()  # before any batch allocates its arrays (heap.py says why)

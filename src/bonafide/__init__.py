"""bonafide: verify strangers' claims against messy registries, protect everyone involved."""

__all__ = ["__version__"]

__version__ = "0.1.0"

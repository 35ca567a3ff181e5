"""newsattrib: who said this, and through whom did it reach us?

>>> import newsattrib
>>> nlp = newsattrib.load("outputs/train/joint/<run>/model")
>>> record = nlp.predict("According to Censor.NET, ...")   # corpus-format dict with scores
"""
__all__ = ["Pipeline", "load"]


def __getattr__(name: str):
    # imported on first use, so the command-line tools can check their arguments before torch loads
    if name in __all__:
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

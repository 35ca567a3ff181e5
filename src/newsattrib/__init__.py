"""newsattrib: who said this, and through whom did it reach us?

>>> import newsattrib
>>> nlp = newsattrib.load("outputs/train/joint/<run>/model")
>>> record = nlp.predict("According to Censor.NET, ...")   # corpus-format dict with scores
"""
from .pipeline import Pipeline, load

__all__ = ["Pipeline", "load"]

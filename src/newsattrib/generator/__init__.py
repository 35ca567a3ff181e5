"""Seeded generator of synthetic training articles whose annotations are correct by construction.

An article is composed sentence by sentence (``articles``) from the templates and gazetteers of its
language (``resources/LANG/templates.yaml`` and ``gazetteers.yaml``, read by ``tables``; people,
organizations and programs in ``cast``). Every template is plain text with slots in braces;
``fill`` writes it into a ``Builder``, which records the offsets of every entity and claim
while the text is concatenated, so spans never have to be searched for afterwards.

Slots (``KEY`` is a source of the sentence: ``P`` a person, ``O`` an organization, ``A``/``B``
media outlets, ``X`` a person who is only mentioned, never a source):

- ``{P}``, ``{P:gen}``: a mention of a source in a case (nom gen dat acc ins loc); a person is named
  in full (with a role, sometimes) the first time and mostly by surname later; ``{O:in}``
  is the organization after "in" (``у/в``, ``в/во``); ``{P.last}``: the surname only (headlines);
  ``{P.he}``, ``{P.his}``, ``{P.him}``, ``{P.role}``: a pronoun or role noun that refers back to
  the nearest earlier mention of P (the chain points at that mention);
- ``{заявив@P}``: the verb in the form that agrees with KEY (or with the last ``org``/``country``);
  ``{age@X}``: an age adjective agreeing with X;
- ``{C}``: reported content (a claim), ``{Q}``, ``{Q2}``: quoted content (claims);
- ``{n:KIND}``, ``{n:KIND:any}``, ``{n:KIND:exact}``: a QUANTITY (see ``quantities``);
- ``{org}``, ``{prog}`` (with a case): an ORG or PROGRAM that is not a source;
- ``{city}`` (``{city:gen}``, ``{city:in}``, ``{city:from}``, ``{city:to}``: with the preposition),
  ``{country}``, ``{dir}``, ``{date}``, ``{dur}``, ``{time}``: untagged hard negatives.

A sentence's chain lists its keys, outermost relay first; its class follows from the chain's length
and from whether the claims are quoted. Narration sentences have no claims.

In the templates, « and » stand for the article's quotation marks (English ones too).
Ukrainian and Russian forms come from pymorphy3: words marked with ``*`` in a gazetteer entry
inflect (adjectives agree with the last marked noun), the rest of the entry stays as it is
(``morphology``). Counted nouns, cities and countries are small hand-written tables.
"""
from .articles import SOURCE, generate
from .builder import Builder, Sentence, fill
from .cast import Cast, Named, Person
from .morphology import feminine_surname

__all__ = ["SOURCE", "Builder", "Cast", "Named", "Person", "Sentence", "feminine_surname", "fill", "generate"]

"""A German named-entity model we train ourselves: a CRF over token features (python-crfsuite).

* :mod:`.features` — fast token features (shape, affixes, neighbours, KB gazetteer);
* :mod:`.model` — :class:`NerModel`, the packaged model ``data/de.crfsuite``;
* :mod:`.train` — training and cross-validation (``make model`` retrains from ../shared).

Trained on GermEval 2014 dev (outer level), tags PER, ORG, LOC, OTH in BIO form.
Choices, by 5-fold CV F1 on GermEval dev (4 classes): ``deriv``/``part`` folded
into their class (50.8 vs 49.8 kept apart); c1 = c2 = 0.01 and feature.minfreq 1
(54.2 vs 50.8 at c1 0.05, c2 0.01, minfreq 2; model file ~1.9 MB); lemmatiser
dictionary features (57.0 vs 54.2).  The Legal Entity Recognition dev set
(../shared/data/ner_extra/legal_ler, mapped where clean) lowered CV F1 (48.5
vs 50.8), so ``make model`` does not use it (``train --extra`` still can).
"""

from __future__ import annotations

from .model import DEFAULT_MODEL, NerModel, tags_to_spans

__all__ = ["NerModel", "DEFAULT_MODEL", "tags_to_spans"]

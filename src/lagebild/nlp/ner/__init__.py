"""A German named-entity model we train ourselves: a CRF over token features (python-crfsuite).

* :mod:`.features` — fast token features (shape, affixes, neighbours ±2, KB
  gazetteer, cue words of ``extract/entities/data/cues_de.toml``, given names
  of ``data/first_names.txt``, clause-initial vs. medial capitals);
* :mod:`.model` — :class:`NerModel`, the packaged model ``data/de.crfsuite``;
* :mod:`.train` — training and cross-validation (``make model`` retrains from ../shared
  plus the team's annotated sentences in ``annotations/``, and the stand-off
  annotations of Wikinews and 10kGNAD articles in ``annotations/wikinews/`` and
  ``annotations/gnad/`` over the texts in ../shared, read by :mod:`._wikinews`);
* :mod:`._clusters` / :mod:`.clusters_build` — distributional word clusters
  (PPMI context vectors over unlabeled German text, k-means at 64/256/1024),
  ``data/clusters_de.txt``, built by ``make model``; features ``c64=…`` for a
  word and its neighbours when the file is present.

Trained on GermEval 2014 dev (outer level) and ``annotations/*.txt``; tags PER,
ORG, LOC, OTH in BIO form.  Choices, by 5-fold CV F1 of the CRF alone on
GermEval dev (4 classes; extra sentences only ever in the training part):
``deriv``/``part`` folded into their class (50.8 vs 49.8 kept apart);
feature.minfreq 1; lemmatiser dictionary features (57.0 vs 54.2); cue-word,
capital-position and neighbour-KB features (56.7 at c1 = c2 = 0.01, 57.1 at
c1 = c2 = 0.05 against 56.0 at c1 0.1, c2 0.01); given names (58.8); the team's
272 annotated sentences (59.5; c1 = c2 = 0.1 gave 59.2).  The Legal Entity
Recognition dev set (../shared/data/ner_extra/legal_ler, mapped where clean)
lowered CV F1 when it was tried (48.5 vs 50.8), so ``make model`` does not use
it (``train --extra`` still can).  Word-frequency features (the ``wordfreq``
package) were not used: its data is CC BY-SA, and a share-alike list baked into
a packaged model was not worth the doubt; the lemmatiser's dictionary serves.
Session 5 (5-fold CV, CRF alone / KB + rules + CRF): baseline 59.5 / 58.3;
+ word clusters 61.4 / 59.5; + 288 annotated Wikinews articles (3,059 sentences)
63.4 / 60.0; both 64.5 / 60.6.
"""

from __future__ import annotations

from .model import DEFAULT_MODEL, NerModel, tags_to_spans

__all__ = ["NerModel", "DEFAULT_MODEL", "tags_to_spans"]

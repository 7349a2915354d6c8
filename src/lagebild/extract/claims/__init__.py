"""The ``claims`` stage: who says what, and how firmly.

Each sentence of the article body that states something becomes at least one
claim ``{start, end, text, speaker, source, cue, status, form, quantities,
entities}`` (sorted by ``start``; offsets into ``Article.text``):

* ``start/end/text`` — the message: for an attributed sentence the part
  outside the frame ("Ein Sprecher sagte, **dass …**"; "**…**, berichtete die
  Agentur X"); when the frame sits in the middle of the sentence ("So soll X
  laut Y …") the whole sentence.  Headlines, labels and other fragments without
  final punctuation, questions and sentences of fewer than three words are
  skipped.
  Further messages: a quotation after a colon that runs to the end of the
  sentence ("X sieht das anders: „…“", "Zitat von X: „…“") is the message of
  the opening noun phrase; "Das bestätigte X." makes the sentence before (up to
  the pronoun standing for it, lexicon ``anaphors``) X's message instead of an
  asserted claim; a subject and a verb outside the lexicon followed by a "dass"
  clause or a clause in Konjunktiv I ("Die Experten kamen zu dem Ergebnis,
  dass … habe") make that clause the subject's message; a sentence opening with
  "Demnach" (lexicon ``relay_adverbs``) continues the speaker before it.  A
  quotation inside the message of an attributed claim ("Er nannte den Plan
  „fahrlässig“") becomes an extra claim of its own (form ``direct``, status
  ``quoted``, same speaker, source and cue) — the only claims that lie inside
  another one besides the relayed inner message.
* ``speaker`` — ``{id, text, start, end}``: the speaker phrase ("Beobachter aus
  den USA", "Angaben der Polizei", "Berichten") with the id of the entity it
  names: a person/organisation name wins over an adjective or compound mention
  ("der französische Finanzminister" → France when no person or office is
  named); an entity after "aus"/"from" is an origin, not the speaker ("Beobachter
  aus Frankreich": id None).  A pronoun speaker takes the id of the last speaker.
  None for claims of the outlet itself.
* ``source`` — the relay when a news agency or other medium (lexicon ``[media]``
  words, or a KB organisation of kind ``agency``/``outlet``) reports what someone
  else said ("Y habe … geäußert, dass …, berichtete die Agentur X": an
  extra claim for the inner message with speaker Y and source X), and when
  "demnach" points back to the relay of the previous claim.
* ``cue`` — the attribution cue word (verb, "laut", "zufolge", "nach", "so",
  "heißt"); None for free indirect speech and asserted claims.
* ``status`` — precedence denied > hedged > speculated > quoted > reported >
  asserted.  ``denied`` marks the denial statement itself (the sentence with
  "weist … zurück", "dementiert", "bestreitet"; the denier is the speaker); the
  accusation it denies keeps its own status.  Hedges: lexicon words
  (mutmaßlich/mutmasslich, angeblich, offenbar …), "soll/sollen + infinitive",
  "nicht verifizierbar", "Berichten zufolge".  A hedged or speculative sentence
  right after an attributed one in the same paragraph keeps that speaker.
* ``form`` — ``direct`` (the message is a quotation of at least four words),
  ``indirect`` (a frame with a complement clause, laut/zufolge/nach Angaben),
  ``reported`` (a speech act without a clause: "Paris bestätigte die
  Entsendung …"), ``free_indirect`` (Konjunktiv I without a cue, inheriting the
  speaker of an attributed claim at most three sentences back in the same or the
  previous paragraph), None for asserted claims.
* ``quantities`` / ``entities`` — indices into ``Article.quantities`` and ids of
  entities with a mention inside the message (plus the speaker's and source's).

"nach …" frames accept a cue noun as the head of a compound ("Nach
Polizeiangaben"), and the postposition ("Dem Vernehmen nach").  An apposition
belongs to the speaker ("…, sagte X, die Leiterin der Y"; "X, der Minister des
Landes, sagte, …").

Speed: a sentence is tokenised and searched for frames only when one of its
words is a cue, status or Konjunktiv word of the lexicon (one set look-up per
sentence, plus a cached suffix rule); all other sentences become asserted
claims directly.

Cue words live in ``lexicon/<lang>.toml``; articles in languages not listed in
``stages.claims.languages`` get no claims.
"""

from __future__ import annotations

from typing import Any, Mapping

from ...model import Article
from ...pipeline import stage
from ._claims import STATUS_ORDER, claims_of_text
from ._lexicon import LANGUAGES, ClaimLexicon, claim_lexicon

__all__ = ["claims", "claims_of_text", "claim_lexicon", "ClaimLexicon", "STATUS_ORDER", "LANGUAGES"]


@stage("claims", requires=("text", "language", "sentences", "entities", "quantities"), sets=("claims",))
def claims(article: Article, settings: Mapping[str, Any]) -> Article:
    """Split the article into claims with speaker, source, cue, status and form."""
    lang = (article.language or "").split("-")[0].lower()
    langs = tuple(settings.get("languages", ("de", "en")))
    if lang not in langs or lang not in LANGUAGES or not article.text:
        return article.replace(claims=[])
    sentences = article.sentences
    if not sentences:
        from ...nlp import split_sentences

        sentences = [list(s) for s in split_sentences(article.text, lang)]
    found = claims_of_text(article.text, sentences, article.entities, article.quantities, claim_lexicon(lang))
    return article.replace(claims=found)

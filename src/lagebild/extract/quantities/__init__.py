"""The ``quantities`` stage: amounts with their qualifier, unit and counted thing.

Each article gets ``quantities``: ``[{start, end, text, value, low, high, mod,
unit, object, object_lemma, object_start, object_end, measure}]`` sorted by
``start``; offsets point into ``Article.text``; the span covers the qualifier.

* ``value`` — the amount (``int`` when integral, else ``float``) of a point
  value (negative after "minus" or a minus sign glued to the number: "-5 °C";
  a fraction "zwei Drittel"/"two thirds" is 0.666… with unit ``fraction``); ``None`` for a range ("zwei bis vier Millionen", "10–15 %", "zwischen
  10 und 20") or a vague amount ("Hunderte", "mehrere tausend", "thousands of").
* ``low``/``high`` — the bounds of a range or of a vague amount (its order of
  magnitude, e.g. "Hunderte" = 200…999; table ``[vague]`` in the lexicon).
* ``mod`` — ``None`` or one of ``APPROX`` (etwa, rund, circa, um die, about;
  also every vague amount), ``MORE_THAN`` (mehr als, über, gut, more than,
  over), ``LESS_THAN`` (weniger als, unter, less than, under), ``AT_LEAST``
  (mindestens, at least), ``AT_MOST`` (höchstens, maximal, at most), ``UP_TO``
  (bis zu, up to), ``NEARLY`` (fast, knapp, beinahe, nahezu, nearly, almost).
  The words are data: ``[qualifiers]`` in ``lexicon/<lang>.toml``.
* ``unit`` — ``None`` for a count, else a normalised key: ``%``, ``pp``, ISO
  currency codes (``EUR``, ``USD`` … — a bare "Won" is ``KRW``, the North
  Korean won only when named so), ``km``, ``m``, ``t``, ``kg``, ``km2``,
  ``ha``, ``l``, ``barrel``, ``km/h``, ``MW``, ``°C`` …, ``fraction``, and durations
  (``year``, ``decade``, ``month``, ``week``, ``day``, ``hour``, ``minute``,
  ``second``).
* ``object`` — the counted thing: the head noun after the number or unit
  ("2,5 Millionen Schutzmasken", "drei Jahre Haft", "fünf Milliarden
  Euro Hilfe" → "Hilfe" with unit EUR); German: the first capitalised word
  after at most three lower-case adjectives; English: the last word of a run
  of up to four content words ("more than 10,000 North Korean troops" →
  "troops"); ``object_lemma`` its lemma (a German compound stays whole).
* ``measure`` — ``"<unit or 'count'>:<concept>"``, where the concept comes
  from ``lexicon/measures.toml`` (German compounds by their longest listed final
  part: "Artilleriegeschoss" → ``shell``) or is the lower-cased lemma;
  ``"EUR:"`` without an object.

Not quantities: ordinals ("70. Jahrestag" — a number followed by a dot that does
not end the sentence), anything inside a DATE/TIME/SET time expression of the
``times`` layer, years (a bare 4-digit number 1000–2100 without unit,
qualifier or object), numbers glued to a word or sign ("KN-23", "Covid-19",
"G7", "70th"), clock times, phone numbers, ISBNs, numeric dates, scores
("2:1"), version numbers ("1.2.3"), numbers after reference words ("Artikel 5",
"Platz 3", "Seite 12"), numbers that are part of a name ("Windows 7", "PlayStation
4", "Android 6.0"; in German only after a word with an inner capital, or a small
or dotted number after a capitalised word, since all nouns are capitalised),
ranks in lists ("(87. Huber)", "Weiter: 27. Meier"), in German text a dotted
"H.MM" without unit ("20.15", "Ubuntu 15.10": German decimals take a comma), a bare "ein"/"one"/"a" (only with a scale word or a
non-duration unit: "eine Million", "ein Prozent"), a capitalised number word
inside a German sentence ("die Elf"), "die Hälfte"/"half" without a number.

Coordinated numbers share what the last one has: "400 oder 500 Kilometer",
"69 bzw. 159 Euro", "zwei oder drei Millionen Menschen" give the first number
the unit, scale and object of the second (words in ``[coordination]``).

Durations: a number with a duration unit ("drei Jahre Haft", "weniger als drei
Monaten") is reported with that unit even where the time tagger has tagged the
same words as a DURATION (the claims layer wants the amount); without an
explicit number ("seit Monaten", "zweitägig") there is no quantity.  Setting
``durations = false`` drops them.

Settings (``[stages.quantities]``): ``languages`` (articles in other languages
get no quantities; a language needs ``lexicon/<lang>.toml``) and
``durations``.
"""

from __future__ import annotations

from typing import Any, Mapping

from ...errors import ConfigError
from ...model import Article
from ...pipeline import stage
from ._find import DURATION_UNITS, MODS, find_quantities, measure_key
from ._lexicon import available_languages, load_lexicon

__all__ = [
    "quantities",
    "find_quantities",
    "measure_key",
    "load_lexicon",
    "available_languages",
    "DURATION_UNITS",
    "MODS",
]

_DEFAULT_LANGUAGES = ("de", "en")


def _settings(settings: Mapping[str, Any]) -> tuple[tuple[str, ...], bool]:
    langs = settings.get("languages", list(_DEFAULT_LANGUAGES))
    if not isinstance(langs, (list, tuple)) or not all(isinstance(x, str) for x in langs):
        raise ConfigError(
            f"stages.quantities.languages must be a list of language codes, e.g. [\"de\", \"en\"], not {langs!r}"
        )
    unknown = sorted({x.lower() for x in langs} - set(available_languages()))
    if unknown:
        raise ConfigError(
            f"stages.quantities.languages lists {unknown}, which have no quantity lexicon — use some of "
            f"{available_languages()} or add src/lagebild/extract/quantities/lexicon/<lang>.toml"
        )
    durations = settings.get("durations", True)
    if not isinstance(durations, bool):
        raise ConfigError(f"stages.quantities.durations must be true or false, not {durations!r}")
    return tuple(x.lower() for x in langs), durations


@stage("quantities", requires=("text", "language", "sentences", "times"), sets=("quantities",))
def quantities(article: Article, settings: Mapping[str, Any]) -> Article:
    """Find amounts with qualifier, unit, counted object and measure key."""
    languages, durations = _settings(settings)
    lang = (article.language or "").lower().split("-")[0]
    if lang not in languages:
        return article.replace(quantities=[])
    found = find_quantities(
        article.text, lang, article.times, article.sentences or None, durations=durations
    )
    return article.replace(quantities=found)

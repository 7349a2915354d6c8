"""The runner checks stage contracts before and while running."""

from __future__ import annotations

import pickle

import pytest

from lagebild.errors import PipelineError, StageContractError
from lagebild.model import Article, Corpus
from lagebild.pipeline import Pipeline, Stage, get_stage, registry, stage


def upper(article: Article, settings: dict) -> Article:
    return article.replace(text=article.raw_text.upper())


def sneaky(article: Article, settings: dict) -> Article:
    return article.replace(text=article.raw_text, title="changed")


def mutating(article: Article, settings: dict) -> Article:
    article.metadata["x"] = 1
    return article.replace(text=article.raw_text)


def wrong_type(article: Article, settings: dict) -> str:
    return "nope"


def count_corpus(corpus: Corpus, settings: dict) -> Corpus:
    return corpus.replace(
        a.replace(duplicate_group=f"n{len(corpus)}") if a.text.startswith("B") else a for a in corpus
    )


def tag(article: Article, settings: dict) -> Article:
    return article.replace(outlet=settings.get("name", "x"))


S_UPPER = Stage("upper", upper, "article", frozenset({"raw_text"}), frozenset({"text"}))
S_SNEAKY = Stage("sneaky", sneaky, "article", frozenset({"raw_text"}), frozenset({"text"}))
S_MUT = Stage("mutating", mutating, "article", frozenset({"raw_text"}), frozenset({"text"}))
S_WRONG = Stage("wrong", wrong_type, "article", frozenset(), frozenset({"text"}))
S_COUNT = Stage("count", count_corpus, "corpus", frozenset({"text"}), frozenset({"duplicate_group"}))
S_TAG = Stage("tag", tag, "article", frozenset({"duplicate_group"}), frozenset({"outlet"}))


def test_requirements_checked_before_running():
    with pytest.raises(PipelineError, match="needs text, which no earlier stage sets"):
        Pipeline([S_COUNT, S_UPPER])


def test_duplicate_stage_refused():
    with pytest.raises(PipelineError, match="appears twice"):
        Pipeline([S_UPPER, S_UPPER])


def test_undeclared_change_is_caught():
    p = Pipeline([S_SNEAKY])
    with pytest.raises(StageContractError, match="changed 'title'"):
        p.run_article(Article(raw_text="a", title="t"))


def test_in_place_mutation_caught_in_strict_mode():
    art = Article(raw_text="a")
    with pytest.raises(StageContractError, match="mutated its input's 'metadata'"):
        Pipeline([S_MUT], strict=True).run_article(art)


def test_wrong_return_type():
    with pytest.raises(StageContractError, match="returned str"):
        Pipeline([S_WRONG]).run_article(Article())


def test_segments_and_corpus_rerun():
    p = Pipeline([S_UPPER, S_COUNT, S_TAG], {"tag": {"name": "T"}})
    assert [(lvl, [s.name for s in ss]) for lvl, ss in p.segments()] == [
        ("article", ["upper"]), ("corpus", ["count"]), ("article", ["tag"]),
    ]
    arts = [p.run_article(Article(id=i, raw_text=t)) for i, t in (("1", "a"), ("2", "b"))]
    assert [a.text for a in arts] == ["A", "B"]
    out = p.run_corpus(Corpus(arts), fresh={"2"})
    # only the fresh article (2) and articles a corpus stage replaced go through `tag`
    assert [(a.id, a.duplicate_group, a.outlet) for a in out] == [("1", None, None), ("2", "n2", "T")]
    assert out.articles[0] is arts[0]


def test_stages_and_pipeline_pickle():
    p = Pipeline([S_UPPER], {"upper": {"k": 1}})
    q = pickle.loads(pickle.dumps(p))
    assert q.names == ["upper"] and q.settings == {"upper": {"k": 1}}
    assert q.run_article(Article(raw_text="x")).text == "X"


def test_unknown_stage_names_known_ones():
    with pytest.raises(PipelineError, match="unknown stage 'nope'.*known stages: .*clean"):
        get_stage("nope")


def test_builtin_stages_declare_known_fields():
    names = set(registry())
    assert {"clean", "identify", "boilerplate", "dedup"} <= names


def test_decorator_rejects_unknown_fields():
    with pytest.raises(PipelineError, match="unknown article fields"):
        stage("bad", requires=("nonsense",), sets=())(upper)


def test_corpus_run_in_an_executor_matches_inline():
    from lagebild.executors import ProcessExecutor

    p = Pipeline([S_UPPER, S_COUNT, S_TAG], {"tag": {"name": "T"}})
    arts = [p.run_article(Article(id=str(i), raw_text=t)) for i, t in enumerate(["a", "b", "bb", "c"])]
    inline = p.run_corpus(Corpus(arts))
    with ProcessExecutor(workers=2) as ex:
        pooled = p.run_corpus(Corpus(arts), executor=ex)
    assert [a.to_dict() for a in pooled] == [a.to_dict() for a in inline]
    assert [a.outlet for a in inline] == ["T", "T", "T", "T"]


def sneaky_corpus(corpus: Corpus, settings: dict) -> Corpus:
    return corpus.replace(a.replace(title="changed") if a.text.startswith("B") else a for a in corpus)


def test_corpus_stage_contract_with_two_articles_of_one_id():
    # two inputs with the same text share an id: a corpus stage that keeps both is not charged with
    # the other one's fields (their sources differ), and an undeclared change is still caught
    p = Pipeline([S_UPPER, S_COUNT, S_TAG], {"tag": {"name": "T"}})
    arts = [p.run_article(Article(id=i, raw_text=t, outlet=o)) for i, t, o in (("1", "a", "x"), ("1", "a", "y"), ("2", "b", None))]
    out = p.run_corpus(Corpus(arts))
    assert [(a.id, a.outlet, a.duplicate_group) for a in out] == [("1", "T", None), ("1", "T", None), ("2", "T", "n3")]
    bad = Pipeline([S_UPPER, Stage("sneaky_corpus", sneaky_corpus, "corpus", frozenset({"text"}), frozenset({"duplicate_group"}))])
    with pytest.raises(StageContractError, match="changed 'title'"):
        bad.run_corpus(Corpus(arts))

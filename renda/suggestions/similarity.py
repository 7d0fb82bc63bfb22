"""Finding items that say the same thing (重复建议、相似意见): Chinese text
similarity without a network or a model.

A text becomes the set of its character bigrams (two adjacent characters:
"路灯", "灯坏"), which for Chinese catches shared words without a
dictionary; punctuation and spaces break a run, so no bigram spans "路。灯".
A very short text (a title-only opinion such as "路灯不亮") has too few
bigrams to compare, so when the query (or either text of a pair) is short,
single characters count as well. Each term weighs its smoothed inverse
document frequency (ln((1+N)/(1+df)) + 1) over the texts being compared, so
"建议" and "关于", found everywhere, weigh little; term counts within a text
are not used (binary weights: near-duplicates differ in wording, not in
repetition). The score is the cosine of the two weight vectors, in [0, 1];
identical texts score 1.0.

What counts as "similar" is configuration: rule
`suggestion.similarity_threshold` (0.3 when no rule is set).

Cost: one query reading the candidates' title and body, then time linear in
their total length: about 1 s for 3,000 items of 500 characters on one slow
core (bigram extraction dominates), memory for one set of terms per
candidate. Nothing is cached: the caller scopes the candidates (region,
session, not merged or withdrawn) before calling.
"""

import math
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import date
from itertools import chain

from renda.core.models import Region
from renda.core.rules import rule_value

DEFAULT_THRESHOLD = 0.3
# Below this many characters a text is "short": single characters count too.
SHORT_TEXT = 10

_BREAK = re.compile(r"[\W_]+")


def _runs(text: str) -> list[str]:
    """Runs of letters, digits and characters; full-width forms folded to
    half-width and Latin to lower case."""
    return [run for run in _BREAK.split(unicodedata.normalize("NFKC", text).lower()) if run]


def _length(runs: list[str]) -> int:
    return sum(map(len, runs))


def _terms(runs: list[str], *, unigrams: bool) -> frozenset[str]:
    terms = set()
    for run in runs:
        terms.update(map(operator.add, run, run[1:]))
        if unigrams or len(run) == 1:
            # A one-character run has no bigram: keep it as itself.
            terms.update(run)
    return frozenset(terms)


def _squared_idf(documents: list[frozenset[str]]) -> dict[str, float]:
    n = len(documents)
    df = Counter(chain.from_iterable(documents))
    return {term: (math.log((1 + n) / (1 + count)) + 1) ** 2 for term, count in df.items()}


def _norm(terms: frozenset[str], idf2: dict[str, float]) -> float:
    return math.sqrt(sum(map(idf2.__getitem__, terms)))


def _cosine(a: frozenset[str], b: frozenset[str], idf2: dict[str, float], norm_a, norm_b) -> float:
    if not norm_a or not norm_b:
        return 0.0
    return sum(map(idf2.__getitem__, a & b)) / (norm_a * norm_b)


def threshold_for(region: Region | None, on: date) -> float:
    """The jurisdiction's similarity threshold on a date."""
    value = rule_value("suggestion.similarity_threshold", region, on, default=DEFAULT_THRESHOLD)
    if isinstance(value, dict):
        value = value.get("value", DEFAULT_THRESHOLD)
    return float(value)


def similar_to(
    text: str,
    candidates,
    *,
    region: Region | None,
    on: date,
    limit: int = 5,
    exclude_pk=None,
    title: str = "",
) -> list[tuple[object, float]]:
    """The candidates (a Suggestion queryset the caller has already scoped)
    whose title and body read most like `text` (with `title`, if given),
    best first, scoring at or above the region's threshold on `on`, at most
    `limit`: [(suggestion, score), ...] with scores rounded to 4 places."""
    query_runs = _runs(f"{title}。{text}")
    if not query_runs or limit <= 0:
        return []
    threshold = threshold_for(region, on)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    items = list(
        candidates.select_related(None)
        .prefetch_related(None)
        .only("pk", "number", "title", "body", "status", "region", "submitted_at")
        .order_by()
    )
    if not items:
        return []
    unigrams = _length(query_runs) < SHORT_TEXT
    query = _terms(query_runs, unigrams=unigrams)
    documents = [_terms(_runs(f"{item.title}。{item.body}"), unigrams=unigrams) for item in items]
    idf2 = _squared_idf([query, *documents])
    query_norm = _norm(query, idf2)
    scored = []
    for item, terms in zip(items, documents, strict=True):
        score = _cosine(query, terms, idf2, query_norm, _norm(terms, idf2))
        if score >= threshold:
            scored.append((item, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]


def similarity(a: str, b: str) -> float:
    """Two texts compared with each other alone (to explain a score; with
    two documents every shared term weighs the same)."""
    runs_a, runs_b = _runs(a), _runs(b)
    unigrams = min(_length(runs_a), _length(runs_b)) < SHORT_TEXT
    terms_a, terms_b = _terms(runs_a, unigrams=unigrams), _terms(runs_b, unigrams=unigrams)
    idf2 = _squared_idf([terms_a, terms_b])
    return round(_cosine(terms_a, terms_b, idf2, _norm(terms_a, idf2), _norm(terms_b, idf2)), 4)


def group_similar(items: Sequence[str], threshold: float) -> list[list[int]]:
    """Single-link clusters of texts: two texts scoring at or above
    `threshold` share a group, and so does everything linked to either
    through a chain. Returns lists of indices into `items`, each sorted,
    groups ordered by their first index; a text like no other is a group of
    one.

    Identical texts (score 1.0) are one group from the start and compared
    once: a hundred people sending the same words cost one comparison, not
    ten thousand. Pairs of different texts are found through an inverted
    index of bigrams, so texts with no bigram in common cost nothing; a pair
    where either text is short is compared with single characters too. The
    worst case (every text sharing some bigram) is quadratic in the number
    of different texts: fine for a township's month of opinions."""
    first: dict[str, int] = {}
    copy_of = [first.setdefault(text, len(first)) for text in items]
    texts = list(first)
    runs = [_runs(text) for text in texts]
    short = [_length(r) < SHORT_TEXT for r in runs]
    bigrams = [_terms(r, unigrams=False) for r in runs]
    # Weights count every copy: a word in many opinions weighs little.
    idf2 = _squared_idf([bigrams[k] for k in copy_of])
    norms = [_norm(terms, idf2) for terms in bigrams]

    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    postings: dict[str, list[int]] = {}
    for i, terms in enumerate(bigrams):
        if short[i] or not norms[i]:
            continue
        shared: dict[int, float] = {}
        for term in terms:
            weight = idf2[term]
            for j in postings.get(term, ()):
                shared[j] = shared.get(j, 0.0) + weight
            postings.setdefault(term, []).append(i)
        for j, dot in shared.items():
            if dot / (norms[i] * norms[j]) >= threshold:
                link(i, j)

    if any(short):
        with_chars = [_terms(r, unigrams=True) for r in runs]
        idf2 = _squared_idf([with_chars[k] for k in copy_of])
        norms = [_norm(terms, idf2) for terms in with_chars]
        for i in (i for i, is_short in enumerate(short) if is_short):
            for j in range(len(texts)):
                # Each short-short pair once; every short-long pair.
                if j != i and (j > i or not short[j]):
                    score = _cosine(with_chars[i], with_chars[j], idf2, norms[i], norms[j])
                    if score >= threshold:
                        link(i, j)

    # Copies of a text with words in it score 1.0 with each other.
    same = threshold <= 1.0
    groups: dict[object, list[int]] = {}
    for i, k in enumerate(copy_of):
        key = find(k) if same and runs[k] else ("alone", i)
        groups.setdefault(key, []).append(i)
    return sorted(groups.values(), key=lambda group: group[0])

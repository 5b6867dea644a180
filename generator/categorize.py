"""Categories for releases whose dump gives none, inferred from their topics.

A category the dump gives is never changed.  For the others a naive Bayes classifier is
trained on the releases that do carry one, with each release's topics as its features,
weighted by their strength (``Vocabulary.strengths``).  A release is judged by the releases
published up to its day, as an editor on that day would have judged it: a later release
never changes the category of an earlier one, so publishing a new release leaves the pages
of the archive as they were (a model of the whole archive moved the borderline releases of
every year with each new one).  The taxonomy's topic → category
hints (``category:`` in ``data/taxonomy.yml``) enter as ``HINT_WEIGHT`` pseudo-releases
per topic, so they decide alone when no release carries a category and are outvoted once
the dumps show otherwise.  Topics rather than raw words: on the seeds, adding words as
features lowered leave-one-out accuracy (0.80 for words alone), because a few dozen
labelled releases cannot teach a vocabulary; figures in ``tests/test_classify_quality.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import Release

HINT_WEIGHT = 3.0  # pseudo-releases per taxonomy hint
SMOOTHING = 0.5  # additive smoothing of topic likelihoods


@dataclass(frozen=True)
class CategoryChoice:
    category: str
    inferred: bool  # True when the dump gave none and the classifier chose it


@dataclass(frozen=True)
class CategoryModel:
    """Log prior and per-topic log likelihoods for each category."""

    categories: tuple[str, ...]
    log_prior: Mapping[str, float]
    log_likelihood: Mapping[str, Mapping[str, float]]  # category -> topic -> log P(topic | category)
    log_unseen: Mapping[str, float]  # category -> log P(topic | category) for a topic never seen with it
    trained_on: int  # releases with a given category

    def predict(self, topics: Mapping[str, float]) -> str | None:
        """The most probable category for a release with ``topics`` (topic -> strength); None without evidence."""
        if not topics and not self.trained_on:
            return None

        def score(category: str) -> float:
            likelihood = self.log_likelihood[category]
            return self.log_prior[category] + sum(
                strength * likelihood.get(t, self.log_unseen[category]) for t, strength in topics.items()
            )

        return max(self.categories, key=lambda c: (score(c), -self.categories.index(c)))


class Training:
    """Examples added one at a time; ``model()`` is the model of those added so far."""

    def __init__(self, categories: Sequence[str], topic_names: Sequence[str], topic_categories: Mapping[str, str]) -> None:
        self._categories = list(categories)
        self._topic_names = topic_names
        self._topic_categories = topic_categories
        self._releases_in: Counter[str] = Counter()
        self._topic_counts: dict[str, Counter[str]] = {}
        self._model: CategoryModel | None = None

    def add(self, topics: Mapping[str, float], category: str) -> None:
        self._releases_in[category] += 1
        self._topic_counts.setdefault(category, Counter()).update(topics)
        self._model = None

    def model(self) -> CategoryModel:
        if self._model is None:
            self._model = self._made()
        return self._model

    def _made(self) -> CategoryModel:
        known = list(dict.fromkeys([*self._categories, *self._releases_in]))
        examples = sum(self._releases_in.values())
        topic_counts = {c: Counter(self._topic_counts.get(c, ())) for c in known}
        for topic, category in self._topic_categories.items():
            if category in topic_counts:
                topic_counts[category][topic] += HINT_WEIGHT
        vocabulary = set(self._topic_names).union(*topic_counts.values()) or {""}
        log_prior, log_likelihood, log_unseen = {}, {}, {}
        for category in known:
            log_prior[category] = math.log((self._releases_in[category] + 1) / (examples + len(known)))
            total = sum(topic_counts[category].values()) + SMOOTHING * len(vocabulary)
            log_likelihood[category] = {t: math.log((n + SMOOTHING) / total) for t, n in topic_counts[category].items()}
            log_unseen[category] = math.log(SMOOTHING / total)
        return CategoryModel(tuple(known), log_prior, log_likelihood, log_unseen, examples)


def train(
    examples: Iterable[tuple[Mapping[str, float], str]],
    categories: Sequence[str],
    topic_names: Sequence[str],
    topic_categories: Mapping[str, str],
) -> CategoryModel:
    """A model from (topic strengths, category) examples plus the taxonomy's hints; ``topic_names`` are all topics."""
    training = Training(categories, topic_names, topic_categories)
    for topics, category in examples:
        training.add(topics, category)
    return training.model()


def categories(
    releases: Sequence[Release],
    topics: Mapping[str, Mapping[str, float]],
    topic_names: Sequence[str],
    topic_categories: Mapping[str, str],
    configured: Sequence[str],
    default: str,
    infer: bool,
) -> dict[str, CategoryChoice]:
    """Release id -> its category: as given, else inferred (when ``infer``), else ``default``."""
    choices = {r.id: CategoryChoice(r.category, False) for r in releases if r.category_given}
    missing = [r for r in releases if not r.category_given]
    if not infer:
        return {**choices, **{r.id: CategoryChoice(default, False) for r in missing}}
    # Oldest first, each day's given categories learnt before that day's missing ones are judged.
    given = sorted((r for r in releases if r.category_given), key=lambda r: (r.date, r.id))
    training = Training(configured, topic_names, topic_categories)
    learnt = 0
    for release in sorted(missing, key=lambda r: (r.date, r.id)):
        while learnt < len(given) and given[learnt].date <= release.date:
            training.add(topics[given[learnt].id], given[learnt].category)
            learnt += 1
        predicted = training.model().predict(topics[release.id])
        choices[release.id] = CategoryChoice(predicted, True) if predicted else CategoryChoice(default, False)
    return choices

"""The near-duplicate audit: what ``press-archive duplicates`` prints, as text or JSON."""

from __future__ import annotations

import dataclasses

from .model import Text
from .neardup import Deduplicated, PairDecision


def _text_line(text: Text) -> str:
    return f"{text.sources[0]}  {text.date.isoformat()}  [{text.id}]  {text.title}"


def _scores(decision: PairDecision) -> str:
    m = decision.match
    return (
        f"containment {m.containment:.2f} · {m.length_ratio:.1f}× longer · "
        f"title similarity {m.title_similarity:.2f} · {m.days_apart} day{'' if m.days_apart == 1 else 's'} apart"
    )


def audit_text(result: Deduplicated, overrides_file: str) -> str:
    texts = sum(len(r.texts) for r in result.releases)
    lines = [
        f"{texts} distinct texts → {len(result.releases)} releases: "
        f"{len(result.merges)} near-duplicate merges, {len(result.near_misses)} near-misses."
    ]
    sections = (
        ("MERGED (shorter text → the fuller text it was merged with):", "No merges.", result.merges, "→", "wrong? add to never_merge"),
        ("NEAR-MISSES (not merged):", "No near-misses.", result.near_misses, "≠", "one release? add to always_merge"),
    )
    for heading, empty, decisions, arrow, fix in sections:
        lines += ["", heading if decisions else empty]
        for decision in decisions:
            lines += [
                "",
                f"  {_text_line(decision.shorter)}",
                f"  {arrow} {_text_line(decision.longer)}",
                f"    {_scores(decision)}",
                f"    {decision.reason}",
                f"    {fix} in {overrides_file}: [{decision.shorter.id}, {decision.longer.id}]",
            ]
    return "\n".join(lines)


def _decision_data(decision: PairDecision) -> dict:
    def text(t: Text) -> dict:
        return {
            "id": t.id,
            "title": t.title,
            "date": t.date.isoformat(),
            "sources": [s.as_dict() for s in t.sources],
        }

    return {
        "shorter": text(decision.shorter),
        "longer": text(decision.longer),
        "scores": dataclasses.asdict(decision.match),
        "merged": decision.merge,
        "reason": decision.reason,
    }


def audit_data(result: Deduplicated) -> dict:
    return {
        "releases": len(result.releases),
        "merges": [_decision_data(d) for d in result.merges],
        "near_misses": [_decision_data(d) for d in result.near_misses],
        "notices": [str(n) for n in result.notices],
    }

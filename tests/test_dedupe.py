import dataclasses
import datetime as dt
import random

from generator.dedupe import merge_exact_duplicates, normalise_text, text_id
from generator.model import Record, SourceRef


def record(title="Korea’s exports grow", body="Exports “grew” today.", file="a.txt", line=2, category=None):
    return Record(title, dt.date(2025, 5, 1), category or "Uncategorized", category is not None, body, SourceRef(file, line))


def test_seed_exact_copies_become_one_text_keeping_both_sources(seeds_collected):
    texts = merge_exact_duplicates(seeds_collected.read.records)
    merged = {t.title: [str(s) for s in t.sources] for t in texts if len(t.sources) > 1}
    assert merged == {
        "K-Humanoid Alliance driving new synergies across Korea’s robotics industry": [
            "000_ce7fcaf72f72fc76.txt:18",
            "001_b0f02343b4eeda64.txt:2",
        ],
        "Korea’s retail industry grows 9.2% in March": [
            "000_ce7fcaf72f72fc76.txt:22",
            "001_b0f02343b4eeda64.txt:10",
        ],
    }
    assert len(seeds_collected.read.records) == 46 and len(texts) == 44


def test_normalisation_of_quotes_whitespace_and_unicode_form():
    assert normalise_text("Korea’s  “big”\u00a0day\n") == normalise_text("Korea's \"big\" day") == 'Korea\'s "big" day'
    assert normalise_text("ﬁle") == "file"  # NFKC folds the ligature


def test_variants_merge_and_different_content_does_not():
    a = record()
    b = record(title="Korea's exports grow", body='Exports  "grew"\ttoday.', file="b.txt", line=9, category="Industry")
    c = record(body="Exports grew yesterday.", file="c.txt")
    texts = merge_exact_duplicates([a, b, c])
    assert len(texts) == 2
    merged = next(t for t in texts if len(t.sources) == 2)
    # the canonical record is the first that names a category
    assert merged.category == "Industry" and merged.title == "Korea's exports grow"
    assert [str(s) for s in merged.sources] == ["b.txt:9", "a.txt:2"]


def test_ids_and_canonical_choice_do_not_depend_on_input_order():
    records = [record(file=f"{n}.txt", line=n, category="Energy" if n == 3 else None) for n in range(1, 6)]
    records.append(record(title="Other", file="z.txt"))
    expected = sorted(merge_exact_duplicates(records), key=lambda r: r.id)
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(merge_exact_duplicates(shuffled), key=lambda r: r.id) == expected


def test_text_id_is_content_derived():
    assert text_id("x") == text_id("x") != text_id("y")
    assert len(text_id("x")) == 12
    moved = dataclasses.replace(record(), source=SourceRef("elsewhere.txt", 40))
    assert merge_exact_duplicates([moved])[0].id == merge_exact_duplicates([record()])[0].id

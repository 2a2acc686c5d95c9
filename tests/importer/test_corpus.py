"""The hand-filled corpus (tests/handfilled.py): every document imported, read back with openpyxl alone and
held against its truth file; and documents generated from random plans in random styles."""

from __future__ import annotations

import random
from collections import Counter

import corpus_score
import handfilled
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from odplan_xl.app.importing import import_docx
from odplan_xl.importer.placer import place
from odplan_xl.word.reading import document_wordings, read_document


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    out = []
    for filled in handfilled.build_corpus(folder):
        result = import_docx(filled.path, filled.path.with_name(f"{filled.path.stem}.xlsx"))
        out.append((filled, result, corpus_score.score(filled.path, result.output)))
    return out


def figures(scores) -> str:
    """Per document and per style: items, placed in their own section, in a wrong subsection, pieces lost."""
    lines = []
    by_style: dict[str, Counter] = {}
    for s in scores:
        lines.append(f"{s.name}: {s.items} items, {s.placed} placed, {s.wrong_sub} wrong subsection, "
                     f"{len(s.lost)}/{s.pieces} lost")
        by_style.setdefault(s.style, Counter()).update(items=s.items, placed=s.placed, wrong=s.wrong_sub,
                                                        lost=len(s.lost), pieces=s.pieces)
    for style, c in by_style.items():
        lines.append(f"[{style}] {c['items']} items, {100 * c['placed'] / c['items']:.1f}% placed, "
                     f"{c['wrong']} wrong subsection, {c['lost']}/{c['pieces']} lost")
    return "\n".join(lines)


def test_the_corpus_is_big_varied_and_each_document_has_its_truth(corpus):
    assert len(corpus) >= 15
    assert sum(s.items for _, _, s in corpus) >= 400
    assert len({s.style for _, _, s in corpus}) >= 10
    assert all(f.path.with_suffix(".truth.json").exists() for f, _, _ in corpus)
    print(figures([s for _, _, s in corpus]))


def test_nothing_an_officer_wrote_is_lost(corpus):
    lost = {s.name: s.lost for _, _, s in corpus if s.lost}
    assert lost == {}


def test_items_land_in_their_own_section_and_subsection(corpus):
    scores = [s for _, _, s in corpus]
    items = sum(s.items for s in scores)
    assert sum(s.placed for s in scores) >= 0.95 * items, {s.name: s.misplaced for s in scores if s.misplaced}
    assert sum(s.wrong_sub for s in scores) <= 0.02 * items, {s.name: s.wrong for s in scores if s.wrong}
    assert [e for s in scores for e in s.elsewhere] == []


def test_the_document_status_is_a_note_and_the_workbook_a_draft(corpus):
    for filled, result, s in corpus:
        assert s.status_noted, filled.path.name
        assert result.imported.data["cover"]["status"] == "مسودة"


_WORDINGS = document_wordings()


# a seed shrinks to nothing meaningful: a failing example is reported as drawn
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(seed=st.integers(0, 2**32 - 1), style=st.sampled_from(handfilled.STYLES), per_kind=st.integers(1, 3))
def test_generated_plans_in_any_style_lose_nothing_and_land_in_their_section(tmp_path_factory, seed, style,
                                                                             per_kind):
    """The self-audit's invariant (every piece of officer text is in what is written) and the placement
    (every item in its own section's table, none in another's)."""
    rng = random.Random(seed)
    filled = handfilled.render(tmp_path_factory.mktemp("generated"), "plan", style,
                               handfilled.random_plan(rng, per_kind=per_kind), rng)
    imported = place(read_document(filled.path).blocks, _WORDINGS)
    s = corpus_score.score(filled.path, corpus_score.from_data(imported.data))
    assert s.lost == []
    assert s.misplaced == [] and s.elsewhere == []

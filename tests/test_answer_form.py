"""The answer's form on a small in-memory snapshot (milliseconds, no ingest): one direct answer
with who and when, then the evidence per document in the document's own order, headings as
labels and never glued to a sentence, whole sentences with their citations."""

from __future__ import annotations

import re

import pytest

from assistant.answer import ANSWERED, UNCERTAIN
from assistant.choose import SentenceChooser
from assistant.compose_extractive import UNCERTAIN_INTRO, ExtractiveComposer
from assistant.confidence import measure
from tests.small_snapshot import passage, small_snapshot
from vectorstore.sentences import sentence_key

NOTE = [
    passage(
        "n0",
        "Opsamling på temamøde om integration: Nedenfor er en kort opsamling af pointer fra "
        "temamødet.\nOplæg fra sociolog Eva Steensig: Eva gav os et billede af den virkelighed, "
        "som integrationspolitikken skal virke i. Det gjorde hun gennem ni vigtige tendenser.\n"
        "Opsummering fra sidst: Det skal præciseres, hvad formålet med politikken er.",
        section="Opsamling på temamøde om integration / Oplæg fra sociolog Eva Steensig / "
        "Opsummering fra sidst",
        chunk_index=0,
    ),
    passage(
        "n1",
        "En stærk uddannelsesby: Fokus på sprog, så danskundskaber er alderssvarende.\n"
        "Beskæftigelse er det afgørende: En førende erhvervsby\n"
        "- Bedre til expat indsatser for ledige med ikke-vestlig baggrund.\n"
        "Forslag om mikroudlicitering til små virksomheder, fx rengøring.",
        section="En stærk uddannelsesby / Beskæftigelse er det afgørende",
        chunk_index=1,
    ),
]
CASE = [
    passage(
        "c0",
        "Godkendt.",
        doc="item4",
        title="Referat",
        section="Beslutning",
        committee="Byråd 2022-2025",
        day="2023-03-06",
        item_title="Blomster ved fødselsdage",
        case_number="23-001",
        item_number="4",
        chunk_index=2,
    ),
    passage(
        "c1",
        "Indstilling: at blomster til 90-års fødselsdage udgår fra 2024.\nat besparelsen på "
        "40.000 kr. årligt tilføres kassebeholdningen.",
        doc="item4",
        title="Referat",
        section="Indstilling",
        committee="Byråd 2022-2025",
        day="2023-03-06",
        item_title="Blomster ved fødselsdage",
        case_number="23-001",
        item_number="4",
        chunk_index=0,
    ),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return small_snapshot(tmp_path_factory.mktemp("snap") / "s", NOTE + CASE)


def meanings(**by_sentence: float) -> dict[str, float]:
    return {sentence_key(s): v for s, v in by_sentence.items()}


def compose(index, question, hits, meaning=None, confidence=ANSWERED):
    choice = SentenceChooser().choose(question, hits, index, meanings=meaning or {})
    return choice, ExtractiveComposer().compose(choice, confidence)


def test_a_heading_is_the_label_of_the_sentence_under_it_never_glued(index):
    heading = "Oplæg fra sociolog Eva Steensig"
    _, composed = compose(
        index, "Hvem holdt oplæg på temamødet om integration?", NOTE, meanings(**{heading: 0.93})
    )
    assert composed.direct == (
        "Af «Opsamling på temamøde om integration» den 5. december 2019, under «Oplæg fra "
        "sociolog Eva Steensig»: Eva gav os et billede af den virkelighed, som "
        "integrationspolitikken skal virke i. Det gjorde hun gennem ni vigtige tendenser. [1]"
    )
    for line in composed.text.splitlines():
        # a heading stands only as a label: «…» before a colon, never run into a sentence
        assert f"{heading} " not in line.replace(f"«{heading}»", "")


def test_evidence_is_per_document_in_its_own_order_with_one_lead_in(index):
    question = "Hvad kom der frem om sprog, beskæftigelse og ledige på temamødet om integration?"
    _, composed = compose(index, question, NOTE, confidence=UNCERTAIN)
    lines = composed.text.splitlines()
    assert lines[0] == UNCERTAIN_INTRO and composed.direct == ""
    assert lines.count("«Opsamling på temamøde om integration» (5. december 2019):") == 1
    quoted = [q.text for q in composed.evidence]
    in_note = "\n".join(h.text for h in NOTE)
    assert quoted == sorted(quoted, key=in_note.find), "the document's own order"
    assert len(quoted) >= 3
    # whole sentences with their citations; bullets without their mark; no cuts
    for quote in composed.evidence:
        assert " … " not in quote.text and not quote.text.startswith("- ")
        assert quote.text[-1] in ".!?" or quote.label, quote
        assert f"{quote.text} [{quote.n}]" in composed.text
    assert "Under «En førende erhvervsby»: Bedre til expat" in composed.text
    assert sorted({int(n) for n in re.findall(r"\[(\d+)\]", composed.text)}) == [
        c.n for c in composed.citations
    ]


def test_an_uncertain_answer_asserts_nothing_and_shows_the_nearest_evidence(index):
    question = "Hvem holdt oplæg på temamødet om integration?"
    choice, sure = compose(index, question, NOTE)
    _, unsure = compose(index, question, NOTE, confidence=UNCERTAIN)
    assert sure.direct and not unsure.direct
    assert unsure.text.startswith(UNCERTAIN_INTRO)
    best = choice.direct[0].sentence
    assert any(best.startswith(q.text[:40]) for q in unsure.evidence), "the best one is shown"


def test_a_bare_decision_is_quoted_with_what_it_approved_without_cuts(index):
    _, composed = compose(index, "Hvad besluttede byrådet om blomster ved fødselsdage?", CASE)
    assert composed.direct == (
        "Byrådet besluttede den 6. marts 2023: Godkendt. [1] I indstillingen til Byrådet den "
        "6. marts 2023: at blomster til 90-års fødselsdage udgår fra 2024. at besparelsen på "
        "40.000 kr. årligt tilføres kassebeholdningen. [2]"
    )
    assert " … " not in composed.text
    # the item's title stands once, above the evidence, not in the short answer's lead-in
    assert "«Blomster ved fødselsdage»" not in composed.direct


def test_the_signals_are_measured_outside_the_composer(index):
    question = "Hvad kostede blomsterne ved fødselsdage?"
    choice = SentenceChooser().choose(question, CASE, index)
    seen = measure(choice, CASE, question, index)
    assert seen.kind == "cost" and seen.direct and seen.has_value  # "40.000 kr."
    assert seen.years_found and seen.passages == len(index) and seen.meaning is None
    assert 0 < seen.coverage <= 1
    seen = measure(choice, CASE, "Hvad kostede blomsterne i 2019?", index)
    assert not seen.years_found


def test_an_earlier_decision_of_the_case_is_shown_as_earlier_never_as_the_state(tmp_path):
    """The committee's recommendation-decision before the council's decision: the direct
    answer is the council's, and the committee's shows as "Tidligere, den …"."""
    hits = [
        passage(
            "s1", "Anbefales over for Byrådet, at skolernes varme styres centralt.",
            doc="oku", title="Varmen i skolerne", section="Beslutning",
            committee="Økonomiudvalget", day="2025-03-17", item_title="Varmen i skolerne",
            case_number="24-018452", item_number="7", chunk_index=0,
        ),
        passage(
            "s2", "Byrådet godkendte, at skolernes varme styres centralt fra 2026.",
            doc="br", title="Varmen i skolerne", section="Beslutning",
            committee="Byråd 2022-2025", day="2025-03-24", item_title="Varmen i skolerne",
            case_number="24-018452", item_number="3", chunk_index=0,
        ),
    ]  # fmt: skip
    snapshot = small_snapshot(tmp_path / "s", hits)
    meanings = {sentence_key(h.text): 0.9 for h in hits}
    question = "Hvad blev der besluttet om varmen i skolerne?"
    choice = SentenceChooser().choose(question, hits, snapshot, meanings=meanings)
    composed = ExtractiveComposer().compose(choice, ANSWERED)
    assert composed.direct.startswith("Byrådet besluttede den 24. marts 2025")
    earlier = [q for q in composed.evidence if "Anbefales" in q.text]
    assert earlier and earlier[0].earlier == "den 17. marts 2025"
    assert "– Tidligere, den 17. marts 2025: Anbefales over for Byrådet" in composed.text
    assert "Under «Beslutning»: Anbefales" not in composed.text


def test_a_sentence_that_says_again_what_a_chosen_one_says_is_left_out(tmp_path):
    """An item's summary often repeats its description in other word forms: the evidence
    quotes it once and leaves room for something else."""
    resume = "Der skal vælges to blandt Kultur- og Fritidsudvalgets medlemmer til Fritidsrådet."
    again = "Der skal vælges to blandt medlemmerne af Kultur- og Fritidsudvalget til Fritidsrådet."
    other = "Fritidsrådet rådgiver det politiske niveau om fritidsområdet i kommunen."
    hits = [
        passage(
            "r1", f"Resume: {resume}\nSagsbeskrivelse: {again} {other}",
            doc="fr", title="Fritidsrådet - valg", section="Resume / Sagsbeskrivelse",
            committee="Kultur- og Fritidsudvalget", day="2022-01-12",
        ),
    ]  # fmt: skip
    snapshot = small_snapshot(tmp_path / "s", hits)
    meaning = meanings(**{resume: 0.92, again: 0.91, other: 0.85})
    choice = SentenceChooser().choose("Hvem skal vælges til Fritidsrådet?", hits, snapshot,
                                      meanings=meaning)  # fmt: skip
    quoted = [c.sentence for c in choice.direct + choice.evidence]
    assert (resume in quoted) != (again in quoted), quoted  # one of the two, not both
    assert other in quoted

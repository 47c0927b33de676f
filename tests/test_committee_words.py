"""Committees named in a question, in the shapes other municipalities' documents use."""

import pytest

from danish.committees import committee_from_question, committee_mentioned

KNOWN = [
    "Teknisk Udvalg", "Udvalget for Plan, Udvikling og Kultur (PUK)", "Magistraten",
    "Regionsrådet", "Økonomiudvalget", "Byråd 2022-2025",
]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "meant"),
    [
        ("Hvad besluttede Teknisk Udvalg om cykelstierne?", "Teknisk Udvalg"),
        ("Hvad besluttede udvalget for plan om kulturpuljen?", KNOWN[1]),
        ("Hvad vedtog Magistraten i maj?", "Magistraten"),
        ("Hvad skete der i Regionsrådet i 2012?", "Regionsrådet"),
        ("Hvad besluttede Økonomiudvalget om budgettet?", "Økonomiudvalget"),
        ("Hvad har byrådet besluttet om varmen?", "Byråd 2022-2025"),
    ],
)
def test_the_committee_a_question_names_becomes_its_filter(question, meant):
    assert committee_from_question(question, KNOWN)
    assert committee_mentioned(question, KNOWN) == [meant]


def test_a_verb_before_udvalget_is_no_committee_name():
    # "har Udvalget …" must not be read as a committee called "har Udvalget"
    question = "Hvad har Udvalget for plan, udvikling og kultur besluttet?"
    assert committee_mentioned(question, KNOWN) == [KNOWN[1]]
    assert committee_from_question("Hvad sagde de i udvalget for teknik?", KNOWN) is None

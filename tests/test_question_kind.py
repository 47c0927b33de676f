"""Question kinds and the shapes of their answers, and the decline rule on its signals."""

import pytest

from assistant.answer import ANSWERED, NOT_FOUND, UNCERTAIN
from assistant.confidence import ConfidencePolicy, Signals
from danish.questions import fits_kind, kind_of


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvem holdt oplæg på temamødet?", "who"),
        ("Hvilken leverandør fik kontrakten?", "who"),
        ("Hvorfor blev vejen ikke asfalteret?", "why"),
        ("Hvordan kan det være, at der kun kom ét bud?", "why"),
        ("Hvad kom der ud af forsøget med natbusser?", "outcome"),
        ("Hvordan endte regnskabet for koncerten?", "outcome"),
        ("Hvad kostede renoveringen?", "cost"),
        ("Hvor mange boliger fik tilskud?", "count"),
        ("Hvornår åbner hallen?", "date"),
        ("Er plejehjemmet åbnet endnu?", "status"),
        ("Hvor langt er man med handleplanen?", "status"),
        ("Blev mødet flyttet?", "decision"),
        ("Hvad blev der sagt om sprogundervisning?", "other"),
    ],
)
def test_kind_of_reads_danish_question_words(question, kind):
    assert kind_of(question) == kind


def test_answer_shapes():
    assert fits_kind("who", "Oplæg fra sociolog Eva Steensig")
    assert fits_kind("who", "Byrådet udpegede Torben Hoffman (V) til formand.")
    assert not fits_kind("who", "der skal ryddes op i parken.")
    assert fits_kind("why", "Projektet udskydes grundet gravearbejde i området.")
    assert not fits_kind("why", "Projektet udskydes til næste år.")
    assert fits_kind("cost", "Udgiften er 4,2 mio. kr.") and not fits_kind("cost", "Det er dyrt.")
    assert fits_kind("date", "Hallen åbner den 3. marts.")
    assert fits_kind("outcome", "Koncerten gav et overskud på 1.823 kr.")


def seen(**values):
    base = {"found": True, "meaning": 0.92, "coverage": 0.5, "direct": True,
            "direct_meaning": 0.92, "direct_decision": False, "has_value": True,
            "years_found": True, "dense": 0.92, "kind": "other", "passages": 100}  # fmt: skip
    return Signals(**{**base, **values})


def test_three_confidence_tiers_on_their_signals():
    policy = ConfidencePolicy()
    assert policy.tier(seen()) == ANSWERED
    assert policy.tier(seen(found=False)) == NOT_FOUND
    assert policy.tier(seen(meaning=0.80, dense=0.80, coverage=0.2)) == NOT_FOUND, "far"
    # close, but nothing to assert: the nearest evidence, said plainly
    assert policy.tier(seen(direct=False)) == UNCERTAIN, "no sentence of the kind asked for"
    assert policy.tier(seen(has_value=False)) == UNCERTAIN, "no amount for 'hvad kostede'"
    assert policy.tier(seen(years_found=False)) == UNCERTAIN, "a year nowhere in sight"
    # between the two thresholds: uncertain
    middle = policy.threshold(policy.answer_min, 100) + policy.threshold(policy.found_min, 100)
    middle /= 2
    assert policy.tier(seen(meaning=middle, dense=middle, coverage=0.0)) == UNCERTAIN
    # the same closeness in meaning: the question's specific words tip it, a little
    edge = policy.threshold(policy.answer_min, 100) - 0.01
    assert policy.tier(seen(meaning=edge, dense=edge, coverage=0.0)) == UNCERTAIN
    assert policy.tier(seen(meaning=edge, dense=edge, coverage=1.0)) == ANSWERED
    # unrelated text comes closer by chance in a bigger store: the bars rise with its size
    assert policy.threshold(0.87, 10_000) > policy.threshold(0.87, 100) > policy.threshold(0.87, 2)
    near = policy.threshold(policy.answer_min, 100)
    assert policy.tier(seen(meaning=near, dense=near, coverage=0.0, passages=10_000)) != ANSWERED
    assert policy.tier(seen(meaning=near, dense=near, coverage=0.0, passages=2)) == ANSWERED
    # a store without sentence vectors: the lexical rule
    assert policy.tier(seen(meaning=None, coverage=0.1)) == NOT_FOUND
    assert policy.tier(seen(meaning=None, coverage=0.7)) == ANSWERED
    assert policy.tier(seen(meaning=None, coverage=0.3, dense=0.8)) == UNCERTAIN
    # a case's decision ("Godkendt.") says little in words: its passage may speak for it
    low = policy.threshold(policy.answer_min, 100) - 0.02
    assert policy.tier(seen(meaning=low, dense=0.95, coverage=0.0)) == UNCERTAIN
    assert (
        policy.tier(seen(meaning=low, dense=0.95, coverage=0.0, direct_decision=True)) == ANSWERED
    )

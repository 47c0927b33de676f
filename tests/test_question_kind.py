"""Question kinds and the shapes of their answers, and the decline rule on its signals."""

import pytest

from assistant.decline import DeclinePolicy
from assistant.question_kind import fits_kind, kind_of


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
    base = {"found": True, "meaning": 0.9, "coverage": 0.5, "has_value": True,
            "years_found": True, "dense": 0.9, "kind": "other", "passages": 100}  # fmt: skip
    return {**base, **values}


def test_decline_rule_on_its_signals():
    policy = DeclinePolicy()
    assert not policy.declines(seen())
    assert policy.declines(seen(found=False))
    assert policy.declines(seen(meaning=0.82, dense=0.83, coverage=0.5)), "far in meaning"
    assert policy.declines(seen(has_value=False)), "no amount for 'hvad kostede'"
    assert policy.declines(seen(years_found=False)), "a year nowhere in sight"
    # the same closeness in meaning: the question's specific words tip it, a little
    edge = policy.threshold(100) - 0.01
    assert policy.declines(seen(meaning=edge, dense=edge, coverage=0.0))
    assert not policy.declines(seen(meaning=edge, dense=edge, coverage=1.0))
    # unrelated text comes closer by chance in a bigger store: the bar rises with its size
    assert policy.threshold(10_000) > policy.threshold(100) > policy.threshold(2)
    assert policy.declines(seen(meaning=0.875, dense=0.875, coverage=0.0, passages=10_000))
    assert not policy.declines(seen(meaning=0.875, dense=0.875, coverage=0.0, passages=2))
    # a store without sentence vectors: the lexical rule
    assert policy.declines(seen(meaning=None, coverage=0.1))
    assert not policy.declines(seen(meaning=None, coverage=0.7))

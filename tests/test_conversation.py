"""Which questions are read with the conversation's topic: fast checks of the rule, no index."""

import pytest

from assistant.conversation import Turn, is_follow_up, previous_cases, retrieval_query
from assistant.follow_up import refers_back

HEATING = Turn(
    "Hvad har byrådet besluttet om varmen i skolerne?",
    "Byrådet besluttede den 24. marts 2025: Der er givet en anlægsbevilling på 6.400.000 kr. "
    "til energibesparende tiltag og varmestyring på kommunens fem folkeskoler. [1]",
    ["24-018452"],
)
DECLINED = Turn("Hvornår åbner den nye svømmehal?", "Jeg fandt ikke noget i dokumenterne …")

FOLLOW_UPS = [
    "Hvor meget koster det?",  # "det" stands for the case
    "Hvornår blev det besluttet?",
    "Blev det vedtaget enstemmigt?",
    "Hvad kommer det til at koste?",
    "Hvor mange elever berører det?",  # new words, but "det" is the case
    "Hvornår skal den åbne?",  # "den" + infinitive, not an article
    "Hvad mener de om sagen?",
    "Hvad betyder det for de ældre?",
    "Og hvad sagde Økonomiudvalget?",  # a body's view of the same case
    "Hvad sagde Børne- og Skoleudvalget?",
    "Hvad mener Handicaprådet?",  # any council or committee, known to the index or not
    "Hvad mente borgmesteren?",
    "Hvad med 2024?",  # ellipses: only a period
    "Og i 2023?",
    "Hvor meget?",
    "Hvorfor?",
    "Hvad er tidsplanen?",  # an aspect every case has
    "Hvad er varmestyring?",  # a word of the answer just given
    # a vote is an aspect of a decision, not a subject: after a decision question it asks
    # who voted against that decision
    "Hvem stemte imod?",
]
FRESH = [
    "Hvornår åbner den nye svømmehal?",  # "den nye …" is an article, not a pronoun
    "Hvem er formand for Ældrerådet?",
    "Hvad koster den nye cykelsti på Møllevej?",
    "Og hvad med svømmehallen?",  # an ellipsis naming a new subject
    "Hvordan går det med den nye svømmehal?",  # "går det med": a dummy subject
    "Hvad koster det at bygge en ny svømmehal?",  # "det at …": a dummy subject
    "Er det rigtigt, at byrådet vil lukke biblioteket?",
    "Hvad er status på forslaget om en ny skatepark?",  # "forslaget om …" is specified
    "Hvad gør kommunen for de ældre?",  # "for de": a pronoun there would be "dem"
    "Hvilke veje skal asfalteres i år?",
    "Hvad har Økonomiudvalget besluttet om budgettet?",
]


@pytest.mark.parametrize("question", FOLLOW_UPS)
def test_questions_that_lean_on_the_topic_are_follow_ups(question):
    assert is_follow_up(question, [HEATING])
    assert retrieval_query(question, [HEATING]) == f"{HEATING.question} {question}"


@pytest.mark.parametrize("question", FRESH)
def test_questions_naming_a_topic_of_their_own_start_fresh(question):
    assert not is_follow_up(question, [HEATING])
    assert retrieval_query(question, [HEATING]) == question


def test_pronoun_or_article():
    assert refers_back("Hvornår åbner den?") and not refers_back("Hvornår åbner den nye hal?")
    assert refers_back("Hvad koster det nu?") and not refers_back("Hvad koster det nye tag?")
    assert refers_back("Hvor mange af dem?")
    assert refers_back("Hvornår træder denne ordning i kraft?")
    assert not refers_back("Hvad skete der i denne uge?")


def test_no_history_no_follow_up():
    assert not is_follow_up("Hvor meget koster det?", [])
    assert retrieval_query("Hvor meget koster det?", []) == "Hvor meget koster det?"


def test_a_fresh_question_opens_a_new_topic():
    cost = Turn("Hvor meget koster det?", "6.400.000 kr. [1]", ["24-018452"])
    history = [HEATING, cost, DECLINED]
    # the case of the old topic is no longer the case a follow-up means
    assert previous_cases(history) == []
    assert previous_cases([HEATING, cost]) == ["24-018452"]
    query = retrieval_query("Hvornår blev det besluttet?", history)
    assert query == f"{DECLINED.question} Hvornår blev det besluttet?"
    # follow-ups chain: the topic is the last question that stood on its own and those since
    assert retrieval_query("Og i 2024?", [HEATING, cost]) == (
        f"{HEATING.question} {cost.question} Og i 2024?"
    )


def test_a_declined_answer_adds_nothing_to_the_topic():
    # the decline text names the index's committees and period, not a topic
    declined = Turn("Hvad sker der med skolerne?", "Indekset dækker 14 dokumenter om svømmehal")
    assert not is_follow_up("Hvornår åbner svømmehallen?", [declined])

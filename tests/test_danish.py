"""The Danish rules of the leaf package `danish`, each with cases that fail when it changes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from danish.analyzer import DanishAnalyzer, Decompounder, inside_compound
from danish.committees import (
    BODY_NAME,
    committee_from_question,
    committee_mentioned,
    committee_names,
    display_committee,
    first_committee,
    match_committees,
    most_named_committee,
    same_body,
)
from danish.dates import (
    MONTH_NAMES,
    MONTH_NUMBERS,
    danish_date,
    format_date,
    parse_danish_date,
    period_from_question,
)
from danish.decisions import (
    CASE_LINE,
    CLOSED_PREFIX,
    FORMAL_DECISION,
    ONWARD,
    PORTAL_CLOSED_PREFIX,
    RUN_ON_CASE,
    closed_agenda,
    find_case_number,
    holds_decision,
    is_decision,
    is_filed_decision,
    is_filed_recommendation,
    is_formal_decision,
    is_recommendation,
    mentions_recommendation,
)
from danish.doc_types import read_doc_type, title_doc_type
from danish.questions import FUNCTION_WORDS, GENERIC_WORDS, PREPOSITIONS, fits_kind, kind_of
from danish.sections import decision_maker, is_agenda_section, section_name, split_label
from danish.sentences import is_absence_note, split_sentences
from danish.spelling import danish_spellings, respell

OURS = ("ingest", "vectorstore", "assistant", "ui")


def test_the_leaf_imports_nothing_of_ours():
    modules = ["analyzer", "sentences", "dates", "committees", "decisions", "sections",
               "doc_types", "questions"]  # fmt: skip
    code = (
        "import sys\n"
        + "".join(f"import danish.{m}\n" for m in modules)
        + f"print(sorted(m for m in sys.modules if m.split('.')[0] in {OURS!r}))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "[]"


# -- analyzer ----------------------------------------------------------------------------------


def test_the_analyzer_stems_and_drops_stop_words_and_single_letters():
    analyzer = DanishAnalyzer()
    assert analyzer("Skolen og de 3 nye skoleveje i A") == ["skol", "3", "nye", "skolevej"]
    assert analyzer("og i at") == []


def test_compounds_split_where_the_vocabulary_knows_both_halves():
    d = Decompounder(DanishAnalyzer(), {"skole", "vej", "integration", "politik"})
    assert d.parts("integrationspolitik") == ("integration", "politik")  # linking "s"
    assert d.parts("skolevej") == ("skol", "vej")
    assert d.parts("vejskilt") == (), "a half the vocabulary does not know"
    assert d.parts("skovej") == (), "shorter than a compound"
    assert d("skolevejen") == ["skolevej", "skol", "vej"]


@pytest.mark.parametrize(
    ("term", "token", "inside"),
    [
        ("underskud", "underskudsgaranti", True),  # the first part
        ("garanti", "underskudsgaranti", True),  # the last part
        ("kontaktperson", "kontakt", True),  # the written word is the first part asked
        ("skol", "skolevej", True),
        ("vej", "skolevej", False),  # three letters match inside too many words
        ("kontaktperson", "kont", False),  # a written part must be longer than four
        ("kontakt", "kontakt", False),  # the same word is no compound
        ("garanti", "garantien", True),
        ("skolevej", "vejskole", False),
    ],
)
def test_a_word_inside_a_compound(term, token, inside):
    assert inside_compound(term, token) is inside


# -- sentences ---------------------------------------------------------------------------------


def test_sentences_split_at_their_end_not_at_abbreviations_or_dates():
    text = (
        "Der er bl.a. afsat 5,8 mio. kr. Der er f.eks. to skoler. "
        "Mødet d. 5. december 2019 sluttede. Se A. Jensen."
    )
    assert split_sentences(text) == [
        "Der er bl.a. afsat 5,8 mio. kr.",  # "kr." before a capital ends the sentence
        "Der er f.eks. to skoler.",
        "Mødet d. 5. december 2019 sluttede.",
        "Se A. Jensen.",
    ]
    assert split_sentences("Godkendt. • Næste punkt") == ["Godkendt.", "• Næste punkt"]


def test_absence_notes():
    assert is_absence_note("Fraværende: Jens Hansen (V)")
    assert is_absence_note("afbud fra Lise")
    assert not is_absence_note("Udvalget var ikke fraværende i debatten")


# -- dates -------------------------------------------------------------------------------------


def test_month_names():
    assert MONTH_NAMES[0] == "januar" and MONTH_NAMES[-1] == "december" and len(MONTH_NAMES) == 12
    assert MONTH_NUMBERS["marts"] == 3 and "mar" not in MONTH_NUMBERS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("den 3. dec. 2019", date(2019, 12, 3)),
        ("d. 27. SEPT 2025", date(2025, 9, 27)),
        ("27/08/2025", date(2025, 8, 27)),
        ("2025-08-27", date(2025, 8, 27)),
        ("31-02-2024 og 1. marts 2024", date(2024, 3, 1)),  # an impossible date is skipped
        ("1. marts 2024 og 2023-01-05", date(2024, 3, 1)),  # the first in the text
        ("5. januar 1850", None),  # outside 1900–2100
        ("5. smarts 2024", None),
    ],
)
def test_parse_danish_date(text, expected):
    assert parse_danish_date(text) == expected


def test_dates_as_an_answer_writes_them():
    assert format_date(date(2019, 12, 5)) == "5. december 2019"
    assert danish_date("2023-06-09") == "9. juni 2023"
    assert danish_date("2023-06-19T10:00:00") == "19. juni 2023"
    assert danish_date("") == "" and danish_date("2023") == "2023"  # not a date: as it is


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("Hvad skete der i vinteren 2023?", date(2023, 12, 1), date(2024, 2, 29)),
        ("Hvad skete i foråret?", date(2025, 3, 1), date(2025, 5, 31)),
        ("Hvad besluttede de i marts 2024?", date(2024, 3, 1), date(2024, 3, 31)),
        ("Hvad besluttede de sidste år?", date(2024, 1, 1), date(2024, 12, 31)),
        ("Hvad skete der i år?", date(2025, 1, 1), date(2025, 12, 31)),
        ("Hvad kostede det i 2023?", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_periods_a_question_names(question, first, last):
    period = period_from_question(question, date(2025, 6, 1))
    assert period is not None and period[:2] == (first, last)


def test_a_year_without_a_preposition_names_no_period():
    assert period_from_question("Hvad med budget 2023?", date(2025, 6, 1)) is None


# -- committees --------------------------------------------------------------------------------


def test_committees_as_documents_name_them():
    text = (
        "Byrådet og Økonomiudvalget samt Teknisk Udvalg og Udvalget for Plan, Udvikling og "
        "Kultur. Fagudvalget mødes."
    )
    assert [name for _, name in committee_names(text)] == [
        "Byrådet", "Økonomiudvalget", "Teknisk Udvalg", "Udvalget for Plan, Udvikling og Kultur"
    ]  # fmt: skip
    assert first_committee("LINDBÆK KOMMUNE TEKNIK- OG MILJØUDVALGET") == "Teknik- og Miljøudvalget"
    assert committee_names("Byråd og udvalg") == [], "a portal's section, not the council"
    assert most_named_committee("Byrådet. Økonomiudvalget. Økonomiudvalgets møde.") == (
        "Økonomiudvalget"
    )


def test_committees_as_a_sentence_says_them():
    assert display_committee("Byråd 2022-2025") == "Byrådet"
    assert display_committee("Økonomiudvalget") == "Økonomiudvalget"


def test_a_municipal_council_as_a_sentence_says_it():
    assert display_committee("Kommunalbestyrelse 2022-2025") == "Kommunalbestyrelsen"


def test_committees_a_user_means():
    known = ["Byråd 2022-2025", "Økonomiudvalget", "Teknisk Udvalg"]
    assert match_committees("byrådet", known) == ["Byråd 2022-2025"]
    assert match_committees("Økonomiudvalgets", known) == ["Økonomiudvalget"]
    assert match_committees("teknisk", known) == ["Teknisk Udvalg"]
    assert match_committees("Skoleudvalget", known) == []
    assert same_body("Økonomiudvalgets", "Økonomiudvalget")
    assert same_body("Sundheds- og Forebyggelsesudvalgets", "Sundheds- og Forebyggelsesudvalget")
    assert not same_body("Byrådets", "Økonomiudvalget")


def test_committees_a_question_names():
    known = ["Teknisk Udvalg", "Økonomiudvalget", "Byråd 2022-2025"]
    assert committee_from_question("Hvad besluttede Teknisk Udvalg om vejene?", known) == (
        "Teknisk Udvalg"
    )
    assert committee_from_question("Hvad skete i Økonomiudvalget?", known) == "Økonomiudvalget"
    assert committee_from_question("Hvad sagde Økonomiudvalget?", known) is None, "no filter"
    assert committee_from_question("Hvad besluttede Skoleudvalget?", known) is None, "unknown"
    assert committee_mentioned("Og hvad sagde Økonomiudvalget?", known) == ["Økonomiudvalget"]
    assert BODY_NAME.sub("#", "Hvad mente Ældrerådet om byrådet?") == "Hvad mente # om #?"


# -- decisions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "is_", "holds", "filed"),
    [
        ("Beslutning", True, True, True),
        ("BESLUTNING", True, False, True),
        ("Beslutning i Byrådet", True, True, False),
        ("Indstilling / Beslutning", False, True, False),  # a passage of merged sections
        ("Udvalgets beslutning", False, False, False),  # ingest files it as "Beslutning"
        ("Sagsfremstilling", False, False, False),
    ],
)
def test_the_three_readings_of_a_decision(section, is_, holds, filed):
    assert (is_decision(section), holds_decision(section), is_filed_decision(section)) == (
        is_,
        holds,
        filed,
    )


@pytest.mark.parametrize(
    ("section", "is_", "mentions", "filed"),
    [
        ("Indstilling", True, True, True),
        ("Administrationens indstilling", False, True, False),
        ("Indstilling / Beslutning", True, True, False),
        ("Beslutning", False, False, False),
    ],
)
def test_the_three_readings_of_a_recommendation(section, is_, mentions, filed):
    assert (
        is_recommendation(section),
        mentions_recommendation(section),
        is_filed_recommendation(section),
    ) == (is_, mentions, filed)


@pytest.mark.parametrize(
    ("decision", "formal"),
    [
        ("Godkendt.", True),
        ("1.-2. Taget til efterretning.", True),
        ("Indstillingen blev godkendt.", True),
        ("Godkendt, idet udgiften på 2 mio. kr. finansieres af puljen.", False),
        ("Byrådet tog orienteringen til efterretning.", True),
        ("Med stemmerne 17 for og 2 imod godkendte byrådet Økonomiudvalgets indstilling. For "
         "stemte: (V), (A), (C), (D) og Liselott Blixt (UP).", True),
        ("Med 19 for og 2 imod godkendte Byrådet indstillingen. Imod stemte (Ø) og (F).", True),
        ("Med stemmerne 12 for og 7 imod besluttede Byrådet at anlægge en cykelsti.", False),
        ("Byrådet tog orienteringen til efterretning og bad om en ny sag om taksterne.", False),
        ("Godkendt • Godkendt", True),
        ("1. Godkendt. 2. Godkendt.", True),
        ("Blev taget til efterretning.", True),
        ("1. Godkendt. 2. Udvalget ønsker en ny sag om taksterne.", False),
    ],
)  # fmt: skip
def test_a_formal_decision_says_no_facts(decision, formal):
    assert is_formal_decision(decision) is formal
    if "stem" not in decision and "•" not in decision and "2." not in decision:
        assert bool(FORMAL_DECISION.fullmatch(decision)) is formal


def test_a_decision_that_hands_the_case_on():
    onward = ONWARD.search(
        "Økonomiudvalget anbefaler over for Byrådet, at indstillingen godkendes."
    )
    assert onward is not None and onward.group("body") == "Byrådet"
    assert ONWARD.search("Økonomiudvalget godkendte indstillingen.") is None


@pytest.mark.parametrize(
    ("title", "closed"),
    [
        ("Lukket: Personalesag", True),
        ("Lukket punkt – Køb af grund", True),
        ("LUKKET Salg af areal", True),
        ("Fortroligt: Tilbud", True),
        ("Lukketid for svømmehallen", False),
        ("Åben: Budget", False),
    ],
)
def test_closed_items(title, closed):
    assert bool(CLOSED_PREFIX.match(title)) is closed


def test_closed_items_as_systems_mark_them():
    assert "Lukket: Personalesag".lower().startswith(PORTAL_CLOSED_PREFIX)
    assert not "Lukket punkt: Personalesag".lower().startswith(PORTAL_CLOSED_PREFIX)
    assert closed_agenda("Lukket dagsorden") and not closed_agenda("Åben dagsorden")


def test_case_numbers():
    assert find_case_number("Sagsnr.: 24-008831 Dok.nr. 5") == "24-008831"
    assert find_case_number("J.nr. 12/27845.") == "12/27845"
    assert find_case_number("Se sagsnr. 5-1 og EMN-2024-01234") == "EMN-2024-01234"
    assert find_case_number("Sags-id: 00.01.00-P20-1-24") == "00.01.00-P20-1-24"
    assert find_case_number("ingen sag her") == ""
    assert CASE_LINE.match("Sagsnr.: 24-1") and CASE_LINE.match("Journalnr. 12/3")
    assert not CASE_LINE.match("Sagsnr.: ukendt") and not CASE_LINE.match("Sagen: 24-1")
    run_on = RUN_ON_CASE.search("3. Takster 2025 Sagsnr.: 24-008831")
    assert run_on is not None and run_on.start() == len("3. Takster 2025")


# -- sections ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("Udvalgets beslutning", "Beslutning"),
        ("Beslutning i Byrådet den 24. marts 2025", "Beslutning"),
        ("Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 1", "Beslutning"),
        ("Administrationens indstilling", "Indstilling"),
        ("Beslutningen træffes af", "Beslutningen træffes af"),  # who decides, not a decision
        ("Tidligere beslutninger", "Tidligere beslutninger"),
        ("Sagsfremstilling:", "Sagsfremstilling"),
        ("Noget helt andet", None),
    ],
)
def test_section_names(heading, name):
    assert section_name(heading) == name


def test_who_decided_and_when():
    assert decision_maker("Beslutning i Byrådet den 24. marts 2025") == (
        "Byrådet",
        date(2025, 3, 24),
    )
    assert decision_maker("Sagsfremstilling") == ("", None)


def test_section_labels():
    assert split_label("Beslutning: Godkendt.") == ("Beslutning", "Beslutning", "Godkendt.")
    assert split_label(
        "Økonomiudvalgets beslutning den 04.12.2012 Punkt 1 Taget til efterretning"
    ) == (
        "Økonomiudvalgets beslutning den 04.12.2012 Punkt 1",
        "Beslutning",
        "Taget til efterretning",
    )
    assert split_label("Beslutningen træffes af: Byrådet") is None
    assert split_label("Bemærk: noget") is None
    assert is_agenda_section("Sagsfremstilling") and not is_agenda_section("Bilag")


# -- document types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("Referat – Byrådet", "referat"),
        ("Dagsorden og referat", "dagsorden"),  # the earliest word
        ("Godkendelse af dagsorden", ""),  # every meeting's first item
        ("Udvalget for Plan, Udvikling og Kultur", ""),  # a committee names no plan
        ("Dagsordener og referater", ""),  # a portal's collection
        ("Forslag til Klimapolitik – i høring", "politik"),
    ],
)
def test_document_types_from_titles(title, doc_type):
    assert title_doc_type(title) == doc_type


def test_document_types_from_opening_lines_and_file_names():
    assert read_doc_type("Møde 5", ["Åbent referat"], "x") == "referat"
    assert read_doc_type("Møde 5", ["Dette notat samler op"], "x") == "notat"
    assert read_doc_type("Møde", [], "Dagsorden_Byraad_2025") == "dagsorden"
    assert read_doc_type("Møde", ["Vi drøftede politik"], "x") == "", "running text never"


# -- questions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvem holdt oplægget?", "who"),
        ("Hvorfor er lokalerne kolde?", "why"),
        ("Hvad kom der ud af forsøget?", "outcome"),
        ("Hvor mange boliger bygges der?", "count"),
        ("Hvor mange kroner koster det?", "cost"),
        ("Hvilken ugedag er der møde?", "weekday"),
        ("Hvornår åbner hallen?", "date"),
        ("Hvor langt er byggeriet?", "status"),
        ("Må kommunen sælge grunden?", "decision"),
        ("Fortæl om svømmehallen", "other"),
    ],
)
def test_question_kinds(question, kind):
    assert kind_of(question) == kind


@pytest.mark.parametrize(
    ("kind", "sentence", "fits"),
    [
        ("cost", "Det koster 5,8 mio. kr.", True),
        ("cost", "Det koster meget.", False),
        ("count", "Der kom 84 tilmeldte.", True),
        ("count", "I 2023 var det slut.", False),  # a year is no count
        ("date", "Mødet er 5. december.", True),
        ("who", "Oplæg fra sociolog Eva Steensig", True),
        ("why", "Det skyldes kulden.", True),
        ("other", "Alt muligt.", False),
    ],
)
def test_answer_shapes(kind, sentence, fits):
    assert fits_kind(kind, sentence) is fits


def test_follow_up_cues():
    assert set(MONTH_NAMES) <= set(GENERIC_WORDS), "a month names no topic"
    assert PREPOSITIONS <= FUNCTION_WORDS


@pytest.mark.parametrize(
    ("section", "decided"),
    [
        ("Beslutning", True),
        ("Beslutning i Byrådet den 24. marts 2025", True),
        ("Beslutningstema", False),
        ("Beslutningen træffes af Byrådet", False),
        ("Beslutningskompetence", False),
        ("Indstilling", False),
    ],
)
def test_only_a_decision_section_is_a_decision(section, decided):
    from danish.decisions import is_decision

    assert is_decision(section) is decided


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Økonomiudvalget anbefaler over for Byrådet, at indstillingen godkendes.", "Byrådet"),
        ("Sagen oversendes til Teknik- og Miljøudvalget.", "Teknik- og Miljøudvalget"),
        (
            "Sagen sendes videre til Klima-, Teknik- og Miljøudvalget.",
            "Klima-, Teknik- og Miljøudvalget",
        ),
        ("Anbefales over for Kommunalbestyrelsen.", "Kommunalbestyrelsen"),
    ],
)
def test_a_decision_that_hands_the_case_on_names_the_body(text, body):
    from danish.decisions import ONWARD

    assert ONWARD.search(text).group("body") == body


def test_aa_ae_oe_typed_for_the_danish_letters():
    assert danish_spellings("Hvornaar") == ["Hvornår"]
    assert danish_spellings("Haandvaerker")[0] == "Håndværker"  # all replaced first
    assert set(danish_spellings("Haandvaerker")) == {"Håndværker", "Håndvaerker", "Haandværker"}
    assert danish_spellings("AAbent") == ["Åbent"] and danish_spellings("skole") == []
    known = {"hvornår", "byrådet", "aarhus", "michael", "besluttede"}.__contains__
    asked = "Hvornaar besluttede byraadet i Aarhus det, Michael?"
    assert respell(asked, lambda w: known(w.lower())) == (
        "Hvornår besluttede byrådet i Aarhus det, Michael?"  # known words stay as typed
    )
    assert respell("en poesibog", lambda w: False) == "en poesibog"  # no spelling it knows

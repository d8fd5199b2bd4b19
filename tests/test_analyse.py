"""The search's text analyser (portal.analyse): one word, every form of it, one term; the
parts of compounds, and not the words that only look like parts."""

import pytest

from portal.analyse import compound_parts, parse, split_whole, stem, terms, word_terms

pytestmark = pytest.mark.one_database(on="sqlite")

SAME_TERM = [
    ("avtale", "avtalen", "avtalar", "avtalane", "avtaler", "avtalene"),
    ("hospitering", "hospiteringa", "hospiteringar", "hospiteringane"),
    ("utskriving", "utskrivinga", "utskrivingar", "utskrivingane"),
    ("teneste", "tenesta", "tenester", "tenestene"),
    ("pasient", "pasienten", "pasientar", "pasientane"),
    ("sak", "saka", "saker", "sakene"),
    ("tiltak", "tiltaket", "tiltaka"),
    ("sjukehus", "sjukehuset", "sjukehusa"),
    # Nynorsk nouns in -ar: Snowball alone makes "bruk" of one and "brukar" of the other.
    ("brukar", "brukaren", "brukarar", "brukarane"),
    ("sjukepleiar", "sjukepleiaren", "sjukepleiarane"),
    ("ansvar", "ansvaret"),
    ("utskrivingsklar", "utskrivingsklare"),
    # A contracted -el noun.
    ("legemiddel", "legemidla", "legemidlet"),
    ("regel", "reglar", "reglane"),
    ("fastlege", "fastlegen", "fastlegar", "fastlegane"),
]


@pytest.mark.parametrize("forms", SAME_TERM, ids=[forms[0] for forms in SAME_TERM])
def test_every_form_of_a_word_has_one_term(forms):
    assert {stem(form) for form in forms} == {stem(forms[0])}


def test_different_words_keep_different_terms():
    assert stem("fastlege") != stem("fast")  # a doctor, not "fixed"
    assert stem("kommuneoverlege") != stem("kommuneover")
    assert stem("avtale") != stem("avvik")


@pytest.mark.parametrize(
    ("word", "part"),
    [
        ("delavtale", "avtale"),
        ("delavtalane", "avtale"),
        ("rammeavtalen", "avtale"),
        ("samhandlingsavvik", "avvik"),
        ("samhandlingsavvik", "samhandling"),
        ("hospiteringsordning", "hospitering"),
        ("kommunehelsetenesta", "teneste"),
        ("kommunehelsetenesta", "helse"),
        ("avtaleutvalet", "utval"),
        ("pasienttransport", "transport"),
        ("innsatsområde", "område"),
    ],
)
def test_a_compound_is_also_indexed_under_its_known_parts(word, part):
    assert stem(part) in word_terms(word)


@pytest.mark.parametrize(
    ("word", "not_part"),
    [
        ("samarbeid", "arbeid"),  # cooperation is not work
        ("sjukepleiar", "leiar"),  # a nurse is not a leader
        ("rettleiing", "leiing"),
        ("innsatsområde", "råd"),
        ("årsak", "sak"),  # a cause is not a case
        ("solheim", "heim"),  # a name
        ("fagutviklingsaktivitet", "sak"),  # utvikling-s-aktivitet
        ("samhandlingsaksen", "sak"),
    ],
)
def test_words_that_only_look_like_parts_are_not_split_off(word, not_part):
    assert stem(not_part) not in compound_parts(word)


def test_a_query_compound_of_known_words_also_matches_its_parts():
    assert split_whole("hospiteringsavtale") == (stem("hospitering"), stem("avtale"))
    assert split_whole("samhandlingsavvika") == (stem("samhandling"), stem("avvik"))
    # "del" is not a known word: a query for "delavtalen" wants a delavtale, not any avtale.
    assert split_whole("delavtalen") == ()


def test_a_query_drops_question_words_unless_nothing_else_is_left():
    words = parse("Kva seier avtalen om utskrivingsklare pasientar?")
    assert [w.word for w in words] == ["avtalen", "utskrivingsklare", "pasientar"]
    assert all(w.prefix for w in words)
    assert [w.word for w in parse("kva er det")] == ["kva", "er", "det"]
    assert parse("   ") == parse("<>!") == []


def test_short_stems_and_numbers_match_whole():
    mote, number = parse("møte 12")
    assert not mote.prefix and mote.term == "møt"
    assert not number.prefix and number.term == "12"


def test_a_word_matches_its_inflections_and_compounds_not_its_neighbours():
    (avtalane,) = parse("avtalane")
    assert avtalane.matches(word_terms("delavtalen"))
    assert avtalane.matches(word_terms("avtaleutvalet"))
    assert not avtalane.matches(word_terms("avvik"))


def test_terms_of_a_text_are_distinct_and_in_order():
    assert terms("Delavtalen og delavtalane, Ø og ø") == ["delavtal", "avtal", "og"]
    # Composed and decomposed letters are the same letter.
    assert terms("mo\u0308te") == terms("möte")

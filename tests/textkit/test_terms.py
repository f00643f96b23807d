"""Terms: what BM25, ranking, answerability and verification compare words by."""

from textkit.terms import terms


def test_the_forms_of_a_word_meet_and_a_possessive_is_its_name():
    assert len(set(terms("trade trades traded trading"))) == 1
    assert terms("zones") == terms("zone") and terms("cooperation") == terms("cooperate")
    assert terms("China's") == terms("China’s") == terms("China")  # once "china'", which nothing matched
    assert terms("Catalogue") == terms("catalog")


def test_stop_words_go_whatever_the_apostrophe():
    assert terms("it's") == terms("it’s") == []

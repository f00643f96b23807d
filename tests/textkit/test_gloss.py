"""The CC-CEDICT gloss that carries Chinese words to English ones for BM25 and word checks."""

from textkit.gloss import gloss, sounded, spelled, term_pairs, word_for_word


def test_a_word_jieba_splits_is_glossed_as_the_dictionary_word_it_is():
    # jieba cuts 服务外包 into 服务/外/包; 外包 is one dictionary word, "outsourcing".
    assert gloss("服务外包") == "serve; service | outsourcing"


def test_an_unknown_compound_is_glossed_by_the_longest_words_it_is_made_of():
    assert gloss("法律援助") == "law | help; support"  # not law | law | help | help, character by character


def test_known_words_and_english_text_are_kept():
    assert gloss("海关") == "customs"
    assert gloss("RCEP生效") == "RCEP take effect; go into effect"


def test_word_for_word_reads_each_word_by_its_first_sense_and_keeps_english_and_digits():
    assert word_for_word("服务外包、法律援助") == "serve outsourcing law help"  # punctuation dropped
    assert word_for_word("RCEP谈判是哪一年启动的？") == "RCEP negotiate how one year start"
    assert word_for_word("第１届") == "order １ arrive at"  # a full-width digit is no punctuation


def test_a_sense_that_goes_on_in_chinese_keeps_its_english_head():
    # CC-CEDICT: "Zhejiang province (Chekiang) in east China, abbr. 浙, capital Hangzhou 杭州"
    assert gloss("浙江") == "Zhejiang province in east China"


def test_a_name_the_dictionary_lacks_is_found_by_its_pinyin():
    assert spelled("Yangshan", "洋山深水港区四期自动化码头于2017年开港")  # no entry for 洋山
    assert spelled("Chongqing", "重庆")  # 重 reads zhong and chong: either
    assert not spelled("Yangshan", "上海港集装箱吞吐量")
    assert not spelled("Hu", "上海沪")  # too short to tell a name from two characters


def test_a_transliterated_name_is_found_by_its_consonants():
    """Horgos is 霍尔果斯 (huo-er-guo-si): no pinyin spells it, its consonants do."""
    center = "中哈霍尔果斯国际边境合作中心于2012年4月正式运营。"
    assert sounded("Horgos", center) and not spelled("Horgos", center)
    assert not sounded("Kashgar", center)
    assert not sounded("Mongolia", "双方经贸往来密切")  # m-ng-l astride 经贸|往来: two words, no name
    assert not sounded("Horgos", "The Horgos centre")  # no Chinese text to sound it


def test_term_pairs_give_the_english_the_text_uses_for_the_chinese_words():
    quote = "More imports of qualified consumer goods, knowledge and technology intensive services should be welcomed."
    assert term_pairs("通知鼓励进口哪些服务和消费品？", quote, 6) == [
        ("进口", "imports"), ("服务", "services"), ("消费品", "consumer goods")]
    assert term_pairs("通知鼓励进口哪些服务和消费品？", quote, 1) == [("进口", "imports")]
    asked = "When did the ASEAN members sign it?"
    assert term_pairs("东盟十国签署了协定", asked, 6) == [("东盟", "ASEAN"), ("签署", "sign")]

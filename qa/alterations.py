"""How a corpus sentence is altered (so that its passage no longer supports it) or
lightly paraphrased (so that it still does), for the adversarial evaluation.

Each function takes the sentence, a :class:`Source` (its passage and what other
documents say) and a seeded ``random.Random``, and returns the new claim, or None when
the sentence offers nothing to alter that way. Programmatic on purpose: the evaluation
must be reproducible and must not depend on a model's judgement of meaning.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import jieba.posseg

from qa.adversarial_data import CLAUSES_EN, CLAUSES_ZH, SYNONYMS
from textkit.language import has_cjk
from textkit.names import Name, mentions, names, table
from textkit.numbers import Quantity, quantities, zh_numeral
from textkit.polarity import direction_words, opposites
from textkit.terms import jieba_segmenter


@dataclass
class Source:
    passage: str
    other_names: set[str] = field(default_factory=set)  # name keys other documents mention
    other_sentences: list[str] = field(default_factory=list)  # same language, other documents


# --- altered claims -------------------------------------------------------------------------

_EN_NEGATOR = re.compile(r"\b(?:not|never) |n't\b")
_EN_AUX = re.compile(r"\b(?:is|are|was|were|will|would|should|can|could|may|must|has|have|had)\b(?! not)")
_EN_PAST = re.compile(r"(?<=\w )(?:[a-z]+ed|took|made|ran|rose|grew|left|set|held|went|became|began|fell|kept)\b")
_ZH_NEGATOR = re.compile(r"没有|不得|未|不(?![断仅少同久过论])|无(?![论纸])")


def negate(sentence: str, source: Source, rng: random.Random) -> str | None:
    """Remove the sentence's negation, or insert one ("not" after an auxiliary, "never"
    before a past verb; 未 before the first Chinese verb, 不 before 是)."""
    if has_cjk(sentence):
        found = _ZH_NEGATOR.search(sentence)
        if found:
            return sentence[:found.start()] + sentence[found.end():]
        jieba_segmenter()
        position = 0
        for word, flag in jieba.posseg.lcut(sentence):
            if flag.startswith("v") and len(word) > 1 or word == "是":
                return sentence[:position] + ("不" if word == "是" else "未") + sentence[position:]
            position += len(word)
        return None
    found = _EN_NEGATOR.search(sentence)
    if found:
        return sentence[:found.start()] + sentence[found.end():]
    found = _EN_AUX.search(sentence)
    if found:
        return sentence[:found.end()] + " not" + sentence[found.end():]
    found = _EN_PAST.search(sentence)
    return sentence[:found.start()] + "never " + sentence[found.start():] if found else None


def antonym(sentence: str, source: Source, rng: random.Random) -> str | None:
    """Swap one direction word for its opposite: increased -> decreased, 扩大 -> 缩小."""
    words = direction_words(sentence)
    if not words:
        return None
    chosen = rng.choice(words)
    word = chosen.group(0)
    opposite = opposites()[word.lower()]
    if word[:1].isupper():
        opposite = opposite[:1].upper() + opposite[1:]
    return sentence[:chosen.start()] + opposite + sentence[chosen.end():]


def change_figure(sentence: str, source: Source, rng: random.Random) -> str | None:
    """Change one figure: its value, its unit (percent -> times, million -> billion,
    万 -> 亿, dollars -> yuan) or to another figure of the same passage (in digits when
    the claim renders the passage in the other language: "生效60天以后可以申请加入" from a
    passage saying sixty days of something else)."""
    found = quantities(sentence)
    if not found:
        return None
    q = rng.choice(found)
    text = sentence[q.span[0]:q.span[1]]
    same_script = has_cjk(source.passage) == has_cjk(sentence)
    elsewhere = [o for o in quantities(source.passage) if o.kind == q.kind and o not in found
                 and (same_script or (o.kind in ("number", "percent") and o.value not in {f.value for f in found}))]
    roll = rng.random()
    if elsewhere and roll < 0.3:
        other = rng.choice(elsewhere)
        new = source.passage[other.span[0]:other.span[1]] if same_script else \
            f"{other.amount:g}" + ("%" if other.kind == "percent" else "")
    elif roll < 0.5 and _UNIT_SWAP.search(text):
        new = _UNIT_SWAP.sub(lambda m: _UNIT_SWAPS[m.group(0).lower()], text, count=1)
    else:
        new = _new_value(q, text, rng)
    altered = sentence[:q.span[0]] + new + sentence[q.span[1]:]
    return altered if sorted(map(repr, quantities(altered))) != sorted(map(repr, found)) else None


def swap_entity(sentence: str, source: Source, rng: random.Random) -> str | None:
    """Replace a name by another of its kind that the passage does not mention, preferably
    one another document names (RCEP -> the Belt and Road Initiative, Japan -> India)."""
    found = names(sentence)
    if not found:
        return None
    name, (start, end) = rng.choice(found)
    candidates = [n for n in table() if n.kind == name.kind and n.key != name.key and not mentions(n, source.passage)]
    preferred = [n for n in candidates if n.key in source.other_names] or candidates
    if not preferred:
        return None
    return sentence[:start] + _form(rng.choice(preferred), has_cjk(sentence[start:end])) + sentence[end:]


def swap_roles(sentence: str, source: Source, rng: random.Random) -> str | None:
    """Swap two names, or two figures of one kind, that stand on either side of other
    content words (who did what to whom), not two items of one list."""
    mentions_: list[tuple[tuple[int, int], tuple[str, str], object]]  # span, kind, key or value
    mentions_ = [(span, ("name", n.kind), n.key) for n, span in names(sentence)]
    mentions_ += [(q.span, ("figure", q.kind), q.value) for q in quantities(sentence)]
    mentions_.sort()
    pairs = [(a, b) for i, (a, kind_a, va) in enumerate(mentions_) for b, kind_b, vb in mentions_[i + 1:]
             if kind_a == kind_b and va != vb and _content_between(sentence[a[1]:b[0]])]
    if not pairs:
        return None
    (a, b) = rng.choice(pairs)
    first, second = sentence[a[0]:a[1]], sentence[b[0]:b[1]]
    return sentence[:a[0]] + second + sentence[a[1]:b[0]] + first + sentence[b[1]:]


def add_clause(sentence: str, source: Source, rng: random.Random) -> str | None:
    """Append a clause no passage states: a template with a figure, or part of a sentence
    from another document."""
    chinese = has_cjk(sentence)
    if source.other_sentences and rng.random() < 0.5:
        other = rng.choice(source.other_sentences).rstrip("。.；; ")
        clause = re.split(r"，" if chinese else r", ", other, maxsplit=1)[-1]
        clause = clause if chinese else "and " + clause[:1].lower() + clause[1:]
    else:
        clause = rng.choice(CLAUSES_ZH if chinese else CLAUSES_EN).format(n=rng.randint(12, 87))
    if chinese:
        return sentence.rstrip("。；") + "，" + clause + "。"
    return sentence.rstrip(". ") + ", " + clause + "."


ALTERATIONS = {"negation": negate, "antonym": antonym, "number": change_figure, "entity": swap_entity,
               "order": swap_roles, "addition": add_clause}


# --- faithful claims ------------------------------------------------------------------------

_LEADING = re.compile(r"^(?:(?:On|In|At|By|For|Over|During|After|Besides|Outside|Meanwhile|According to)\b[^,]{1,60},\s"
                      r"|[^，。]{2,14}(?:年|月|日|期间|方面|而言|看|计)，)")
_EN_PAIR = re.compile(r"(?<![\w\-])([a-z][\w\-]+(?: [a-z][\w\-]+)?) and ([a-z][\w\-]+(?: [a-z][\w\-]+)?)\b(?=[ ,.;])")


def paraphrase(sentence: str, source: Source, rng: random.Random) -> str | None:
    """One or two light rewrites: drop a leading phrase, swap two coordinated items,
    substitute synonyms."""
    steps = [step for step in (_drop_lead, _swap_pair, _synonyms) if step(sentence, rng) is not None]
    if not steps:
        return None
    text = sentence
    for step in rng.sample(steps, k=min(len(steps), rng.choice((1, 2)))):
        text = step(text, rng) or text
    return text if text != sentence else None


def merge(first: str, second: str) -> str:
    """Two consecutive sentences of one passage as one claim."""
    if has_cjk(first):
        return first.rstrip("。；") + "，" + second
    head = second if names(second[:20]) or second[:2].isupper() else second[:1].lower() + second[1:]
    return first.rstrip(". ") + "; " + head


def _drop_lead(sentence: str, rng: random.Random) -> str | None:
    found = _LEADING.match(sentence)
    rest = sentence[found.end():] if found else ""
    return rest[:1].upper() + rest[1:] if len(rest) > 20 else None


def _swap_pair(sentence: str, rng: random.Random) -> str | None:
    """Swap two coordinated items: "trade and investment", 新产品、新技术 (jieba words);
    not where order carries meaning ("respectively", 分别)."""
    if re.search(r"respectively|分别|依次", sentence):
        return None
    if has_cjk(sentence):
        words = jieba_segmenter().lcut(sentence)
        spots = [i for i in range(len(words) - 2) if words[i + 1] in ("、", "和") and
                 all(len(w) > 1 and has_cjk(w) for w in (words[i], words[i + 2]))]
        if not spots:
            return None
        i = rng.choice(spots)
        return "".join(words[:i] + [words[i + 2], words[i + 1], words[i]] + words[i + 3:])
    pairs = [m for m in _EN_PAIR.finditer(sentence)
             if not direction_words(m.group(0)) and not _EN_VERBISH.search(m.group(0))]
    if not pairs:
        return None
    m = rng.choice(pairs)
    return sentence[:m.start()] + f"{m.group(2)} and {m.group(1)}" + sentence[m.end():]


def _synonyms(sentence: str, rng: random.Random) -> str | None:
    taken = [span for _, span in names(sentence)]
    options = [m for word in SYNONYMS
               for m in re.finditer(re.escape(word) if has_cjk(word) else rf"\b{word}\b", sentence)
               if not any(a <= m.start() < b for a, b in taken)]
    if not options:
        return None
    chosen = sorted(rng.sample(options, k=min(2, len(options))), key=lambda m: m.start(), reverse=True)
    for m in chosen:
        if not any(o is not m and o.start() < m.end() and m.start() < o.end() for o in chosen):
            sentence = sentence[:m.start()] + SYNONYMS[m.group(0)] + sentence[m.end():]
    return sentence


# --- helpers ----------------------------------------------------------------------------------

_EN_VERBISH = re.compile(r"\b(?:is|are|was|were|be|has|have|had|will|should|[a-z]+ed|[a-z]+ing)\b")
_UNIT_SWAPS = {"percent": "times", "%": "倍", "times": "percent", "倍": "%", "million": "billion",
               "billion": "million", "万": "亿", "亿": "万", "dollars": "yuan", "yuan": "dollars", "美元": "元"}
_UNIT_SWAP = re.compile(r"percent|%|times|倍|million|billion|万|亿|dollars|yuan|美元", re.I)
_EN_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "fifteen", "eighteen", "twenty", "thirty", "sixty"]
_ZH = "零一二三四五六七八九"
_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"]


def _new_value(q: Quantity, text: str, rng: random.Random) -> str:
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if digits:
        old = digits.group(0)
        new = _new_digits(old, rng)
        return text[:digits.start()] + new + text[digits.end():]
    month = re.search("|".join(_MONTH_NAMES), text)
    if month:
        return text.replace(month.group(0), rng.choice([m for m in _MONTH_NAMES if m != month.group(0)]), 1)
    if has_cjk(text):
        numeral = re.search(r"[零一二两三四五六七八九十百千万亿]+", text)
        if numeral:
            value = int(zh_numeral(numeral.group(0)))
            new = _zh(rng.choice([v for v in range(2, 20) if v != value]))
            return text[:numeral.start()] + new + text[numeral.end():]
        return text.replace("首", "第二", 1)
    word = text.split(maxsplit=1)[0].split("-", maxsplit=1)[0].lower()
    return text.replace(text.split(maxsplit=1)[0], rng.choice([w for w in _EN_WORDS if w != word]), 1)


def _new_digits(old: str, rng: random.Random) -> str:
    value = float(old.replace(",", ""))
    decimals = len(old.split(".")[1]) if "." in old else 0
    if value >= 1900 and value <= 2100 and not decimals:
        new = value + rng.choice([-3, -2, -1, 1, 2, 3])
    elif value <= 31 and not decimals:
        new = value + rng.choice([-2, -1, 1, 2, 3]) if value > 2 else value + rng.choice([1, 2, 3])
    else:
        new = value * rng.choice([0.6, 0.75, 0.8, 1.25, 1.4, 2])
    text = f"{new:,.{decimals}f}" if "," in old else f"{new:.{decimals}f}"
    return text if text != old else f"{value + 1:.{decimals}f}"


def _zh(value: int) -> str:
    tens, units = divmod(value, 10)
    return (("" if tens == 1 else _ZH[tens]) + "十" if tens else "") + (_ZH[units] if units or not tens else "")


def _form(name: Name, chinese: bool) -> str:
    return next((f for f in name.forms if has_cjk(f) == chinese), name.forms[0])


def _content_between(text: str) -> bool:
    """Does anything but other names, list punctuation and conjunctions separate two
    mentions? (Reordering a list changes no role.)"""
    for _, (a, b) in names(text):
        text = text[:a] + " " * (b - a) + text[b:]
    return bool(re.sub(r"(?i)\b(?:and|or|the|of|as well as|together with)\b|[\s,、，和及与()（）\-]", "", text))

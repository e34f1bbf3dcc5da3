"""Decontextualisation: rewrite a sentence so it stands on its own.

Works on a spaCy parse, sentence by sentence, with a running memory of the article:
- pronouns (he/she/it/they, and their possessives) -> the person or thing the article means, picked by
  recency, number and (once seen) gender; pronouns inside quotation marks are left as spoken;
- surnames ("Adebayo") -> the full name first used ("Corinne Adebayo");
- definite descriptions ("the company", "the planet", "the city's") -> a name: an earlier named mention
  with the same head noun ("the planet, known as Tessaly-4b"; "the Residential Tenancies Bill";
  "Brennock's public health agency"), else the latest entity of the matching type (company -> ORG,
  city -> GPE, film -> WORK_OF_ART, ...);
- relative dates ("on Tuesday", "last Thursday", "yesterday", "last year", "in January", "within two
  weeks") -> absolute dates anchored to the article's (or the embedded post's) date.

The result is a set of token substitutions; `render` applies them to any subset of the tokens, so the
decomposition step can build atomic claims from the same parse.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from verifier.claims.gender import name_gender

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "a": 1, "an": 1}  # fmt: skip
HONORIFICS = frozenset({"dr", "dr.", "professor", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.",
                        "sir", "dame", "lord", "lady", "rev", "rev."})  # fmt: skip
# Titles that make a capitalised name a person even when NER calls it an organisation
# ("Councillor Yasmin Drury", "Senator Ann Ross", "Judge Miriam Okafor").
TITLES = frozenset(
    """councillor councilor senator judge justice mayor governor minister president chancellor inspector
    sergeant constable detective captain general colonel bishop father sister""".split()
)


def is_person_ent(ent: Any) -> bool:
    """A PERSON entity, or a title followed by at least two capitalised words."""
    if ent.label_ == "PERSON":
        return True
    toks = [t for t in ent if t.text not in ("'s", "’s")]
    return (
        len(toks) >= 3
        and toks[0].lower_ in TITLES
        and all(t.text[:1].isupper() and t.pos_ == "PROPN" for t in toks[1:])
    )


ORG_NOUNS = frozenset(
    """company firm group union agency platform organisation organization association business
    corporation retailer maker manufacturer airline bank charity startup start-up network insurer
    operator developer broadcaster publisher studio label club team regulator watchdog party""".split()
)
PLACE_NOUNS = frozenset("city town province state country region village county district island".split())
WORK_NOUNS = frozenset("film movie book novel album song series show documentary play game app".split())
EVENT_NOUNS = frozenset(
    "race marathon festival tournament championship championships election summit".split()
)
PERSON_NOUNS = frozenset(
    """singer actor actress director author writer player star rapper musician minister president
    coach athlete runner striker manager chef artist presenter""".split()
)
_TYPE_OF = [(ORG_NOUNS, ("ORG",)), (PLACE_NOUNS, ("GPE", "LOC")), (WORK_NOUNS, ("WORK_OF_ART", "PRODUCT")),
            (EVENT_NOUNS, ("EVENT",)), (PERSON_NOUNS, ("PERSON",))]  # fmt: skip

MALE = frozenset({"he", "him", "his", "himself"})
FEMALE = frozenset({"she", "her", "hers", "herself"})
NEUTER = frozenset({"it", "its", "itself"})
PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
PRONOUNS = MALE | FEMALE | NEUTER | PLURAL


@dataclass(frozen=True, slots=True)
class Sub:
    """Replace tokens [start, end) of the sentence by `text`; `antecedent` is the name it stands for."""

    end: int
    text: str
    antecedent: str | None = None
    kind: str = "name"  # name | pronoun | date


@dataclass
class Memory:
    """What the article has mentioned so far, most recent last."""

    anchor: date | None = None
    persons: list[str] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    by_surname: dict[str, str] = field(default_factory=dict)
    entities: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    by_noun: dict[str, str] = field(default_factory=dict)
    subject: tuple[str, bool, bool] | None = None  # (text, is_person, is_plural) of the last sentence
    plurals: list[str] = field(default_factory=list)
    singulars: list[str] = field(default_factory=list)
    event: str | None = None  # the story's event with its topic: "the Kestrel Mobile outage"

    def last_person(self, gender: str | None, exclude: Iterable[str] = ()) -> str | None:
        skip = set(exclude)
        for name in reversed(self.persons):
            if name in skip:
                continue
            if gender is None or self.gender.get(name, name_gender(name)) in (None, gender):
                return name
        return None

    def named(self, noun: str) -> str | None:
        """The earliest named mention whose head is `noun` or a compound ending in it ("the bridge" ->
        "the Ashby Green footbridge"): the first one named is the one the article is about."""
        for key, name in self.by_noun.items():
            if key == noun or (len(key) >= len(noun) + 3 and key.endswith(noun) and key.isalpha()):
                return name
        return None

    def last_entity(self, labels: Sequence[str]) -> str | None:
        for label, text in reversed(self.entities):
            if label in labels:
                return text
        return None


# --------------------------------------------------------------------------- helpers


def in_quote(doc: Any, i: int) -> bool:
    before: str = doc.text[: doc[i].idx]
    return (before.count('"') % 2) + before.count("“") - before.count("”") > 0


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") and not name.endswith("ss") else "'s")


def fmt_date(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def person_name(ent: Any) -> str | None:
    """A full personal name from a PERSON entity (with its honorific), None for single words."""
    toks = [t for t in ent if t.text not in ("'s", "’s")]
    if len(toks) < 2 or not all(t.text[:1].isupper() for t in toks):
        return None
    doc = ent.doc
    name = " ".join(t.text for t in toks)
    if ent.start > 0 and doc[ent.start - 1].lower_ in HONORIFICS:
        name = f"{doc[ent.start - 1].text} {name}"
    return name


def _is_future(tok: Any) -> bool:
    for anc in [tok, *tok.ancestors]:
        if anc.pos_ in ("VERB", "AUX"):
            kids = {c.lower_ for c in anc.children if c.dep_ in ("aux", "auxpass")}
            if kids & {"will", "'ll", "shall", "would"} or anc.lower_ in ("will", "would"):
                return True
            if kids & {"is", "are"} and anc.tag_ == "VBG":
                return True
            if anc.tag_ in ("VBZ", "VBP") and anc.lemma_ != "be":
                return True
            if anc.lemma_ in ("expect", "due", "plan", "schedule"):
                return True
            return False
    return False


# --------------------------------------------------------------------------- dates

_REL_DATE = re.compile(
    r"\b(?:(?P<mod>last|this|next|on|late on|early on|by|until|from|since)\s+)?"
    r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!['’]s)"
    r"|\b(?P<day>yesterday|today|tonight|tomorrow|this morning|this afternoon|this evening|last night)\b"
    r"|\b(?P<rel>last|this|next) (?P<unit>year|month|week)\b"
    r"|\bwithin (?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a) "
    r"(?P<nunit>days?|weeks?|months?)\b"
    r"|\bthe end of the (?P<endunit>year|month)\b"
    r"|\b(?P<month>january|february|march|april|may|june|july|august|september|october|november|december)\b(?!\s+\d)",
    re.IGNORECASE,
)


def date_subs(doc: Any, anchor: date | None) -> dict[int, Sub]:
    """Substitutions that anchor relative dates in `doc` to `anchor`."""
    if anchor is None:
        return {}
    subs: dict[int, Sub] = {}
    text = doc.text
    for m in _REL_DATE.finditer(text):
        if in_quote(doc, doc.char_span(m.start(), m.end(), alignment_mode="expand").start):
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        first = span[0]
        new: str | None = None
        if m["weekday"]:
            wd = WEEKDAYS[m["weekday"].lower()]
            mod = (m["mod"] or "").lower()
            future = mod == "next" or (mod != "last" and _is_future(first))
            if future:
                delta = (wd - anchor.weekday()) % 7 or 7
                d = anchor + timedelta(days=delta)
            else:
                delta = (anchor.weekday() - wd) % 7 or 7
                d = anchor - timedelta(days=delta)
            prev = doc[span.start - 1].lower_ if span.start > 0 else ""
            lead = (
                (m["mod"] or "")
                if mod in ("on", "late on", "early on", "by", "until", "from", "since")
                else ""
            )
            if mod in ("last", "this", "next"):
                lead = "" if prev == "on" else "on"
            new = f"{lead} {m['weekday'].capitalize()} {fmt_date(d)}".strip()
            if new[:1].islower() and m.start() == 0:
                new = new[0].upper() + new[1:]
        elif m["day"]:
            word = m["day"].lower()
            d = anchor + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(word, 0))
            prev = doc[span.start - 1].lower_ if span.start > 0 else ""
            new = fmt_date(d) if prev in ("on", "since", "by", "until", "from") else f"on {fmt_date(d)}"
            if word == "last night":
                new = f"on the night of {fmt_date(anchor - timedelta(days=1))}"
        elif m["rel"]:
            step = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
            unit = m["unit"].lower()
            prev = doc[span.start - 1].lower_ if span.start > 0 else ""
            if unit == "year":
                new = str(anchor.year + step)
                if prev not in ("in", "of", "since", "by", "until", "and", "between"):
                    new = f"in {new}"
            elif unit == "month":
                y, mo = anchor.year, anchor.month + step
                y, mo = (y - 1, 12) if mo < 1 else ((y + 1, 1) if mo > 12 else (y, mo))
                new = f"{calendar.month_name[mo]} {y}"
                if prev not in ("in", "of", "since", "by", "until"):
                    new = f"in {new}"
            else:
                monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
                new = f"the week of {fmt_date(monday)}"
        elif m["n"]:
            n = int(m["n"]) if m["n"].isdigit() else _NUM_WORDS[m["n"].lower()]
            unit = m["nunit"].lower().rstrip("s")
            days = {"day": n, "week": 7 * n, "month": 30 * n}[unit]
            new = f"by {fmt_date(anchor + timedelta(days=days))}"
        elif m["endunit"]:
            new = (
                f"the end of {anchor.year}"
                if m["endunit"].lower() == "year"
                else (f"the end of {calendar.month_name[anchor.month]} {anchor.year}")
            )
        elif m["month"]:
            if first.pos_ != "PROPN" and first.text != first.text.capitalize():
                continue  # "may" the verb
            if first.lower_ == "may" and first.tag_ == "MD":
                continue
            mo = MONTHS[m["month"].lower()]
            nxt = doc[span.end].lower_ if span.end < len(doc) else ""
            if nxt in ("last", "this", "next") or re.fullmatch(r"\d{4}", nxt):
                continue
            year = anchor.year
            if mo > anchor.month and not _is_future(first):
                year -= 1
            new = f"{m['month']} {year}"
        if new is not None and span.start not in subs:
            subs[span.start] = Sub(span.end, new, None, "date")
    return subs


# --------------------------------------------------------------------------- names and pronouns


def _np_tokens(head: Any) -> list[int]:
    """The core of a noun phrase: determiners, modifiers, possessors and of-phrases (not clauses)."""
    keep: list[int] = [head.i]
    for c in head.children:
        if c.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "advmod"):
            keep.extend(t.i for t in c.subtree)
        elif c.dep_ == "prep" and c.lower_ == "of":
            keep.extend(t.i for t in c.subtree)
    keep.sort()
    lo, hi = keep[0], keep[-1]
    return [i for i in range(lo, hi + 1) if i in set(keep)]


def _definite_np(doc: Any, det: Any) -> tuple[int, int, Any] | None:
    """(start, end, head) for "the [adj|noun]* NOUN" that has no naming or restricting complement."""
    head = det.head
    if det.lower_ != "the" or det.dep_ != "det" or head.pos_ != "NOUN" or head.i < det.i:
        return None
    for i in range(det.i + 1, head.i):
        if doc[i].dep_ not in ("amod", "compound") or doc[i].pos_ == "PROPN":
            return None
    for c in head.children:
        if c.dep_ in ("relcl", "acl", "appos") or (c.dep_ == "prep" and c.lower_ == "of"):
            return None
    if head.i + 1 < len(doc) and doc[head.i + 1].pos_ == "PROPN":
        return None  # "the union Unite Workers": the name is right there
    return det.i, head.i + 1, head


def _render_plain(doc: Any, idx: Sequence[int], subs: dict[int, Sub]) -> str:
    return render(doc, idx, subs)


def name_subs(doc: Any, mem: Memory) -> dict[int, Sub]:
    """Surnames -> full names, definite descriptions -> names, pronouns -> antecedents."""
    subs: dict[int, Sub] = {}
    person_spans: list[tuple[int, str]] = []  # (token index, full name) mentioned in this sentence
    for ent in doc.ents:
        if is_person_ent(ent):
            full = person_name(ent)
            if full:
                person_spans.append((ent.start, full))
    taken: set[int] = set()
    for ent in doc.ents:
        taken.update(range(ent.start, ent.end))
    for t in doc:
        # a known surname (or first name) on its own
        if t.pos_ == "PROPN" and t.text in mem.by_surname and not in_quote(doc, t.i):
            left = doc[t.i - 1] if t.i > 0 else None
            right = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if (left is None or left.pos_ != "PROPN") and (right is None or right.pos_ != "PROPN"):
                full = mem.by_surname[t.text]
                subs[t.i] = Sub(t.i + 1, full, full, "name")
                person_spans.append((t.i, full))
    person_spans.sort()

    for t in doc:
        if t.i in subs or in_quote(doc, t.i):
            continue
        low = t.lower_
        if t.dep_ == "det" and low == "the":
            np = _definite_np(doc, t)
            if np is None:
                continue
            start, end, head = np
            name = mem.named(head.lemma_.lower())
            if (
                name is None
                and mem.event
                and head.lemma_.lower() == mem.event.split()[-1]
                and end - start == 2
            ):
                name = mem.event  # "the outage" -> "the Kestrel Mobile outage"
            if name is None:
                for nouns, labels in _TYPE_OF:
                    if head.lemma_.lower() in nouns:
                        name = mem.last_person(None) if labels == ("PERSON",) else mem.last_entity(labels)
                        break
            if name and name.lower() != doc[start:end].text.lower():
                subs[start] = Sub(end, name, name, "name")
        elif low in PRONOUNS and t.pos_ == "PRON" and t.dep_ != "expl":
            ante = _antecedent(doc, t, mem, person_spans, subs)
            if ante is None:
                continue
            is_poss = t.dep_ == "poss" or t.tag_ == "PRP$" or low in ("its", "their", "his", "hers", "theirs")
            text = possessive(ante) if is_poss else ante
            if t.i == 0 or doc[t.i - 1].text in ('"', "“"):
                text = text[0].upper() + text[1:]
            elif text.startswith("The "):
                text = "the " + text[4:]
            subs[t.i] = Sub(t.i + 1, text, ante, "pronoun")
    return subs


def _expletive(t: Any) -> bool:
    if t.lower_ != "it" or not t.dep_.startswith("nsubj"):
        return False
    head = t.head
    if head.lemma_ in ("be", "seem", "appear", "take") or head.dep_ == "ROOT":
        kids = [c for c in head.children if c.i > t.i]
        for c in kids:
            if c.dep_ in ("ccomp", "xcomp", "csubj") and any(
                g.lower_ in ("that", "to") for g in c.children if g.i < c.i
            ):
                return True
    return False


def _antecedent(
    doc: Any, t: Any, mem: Memory, person_spans: list[tuple[int, str]], subs: dict[int, Sub]
) -> str | None:
    low = t.lower_
    if low in MALE or low in FEMALE:
        g = "m" if low in MALE else "f"
        for i, name in reversed(person_spans):
            if i < t.i and mem.gender.get(name, name_gender(name)) in (None, g):
                mem.gender.setdefault(name, g)
                return name
        last = mem.last_person(g)
        if last:
            mem.gender.setdefault(last, g)
        return last
    if low in NEUTER:
        if _expletive(t):
            return None
        return _named_form(_neuter(doc, t, mem, subs), mem)
    if low in PLURAL:
        # singular "they": "every affected customer would receive a credit on their next bill"
        for c in doc:
            if c.i >= t.i:
                break
            if c.pos_ == "NOUN" and c.tag_ == "NN" and any(d.lower_ in ("every", "each") for d in c.children):
                return _np_text(doc, c, mem, subs)
        return _named_form(_plural(doc, t, mem, subs), mem)
    return None


def _named_form(text: str | None, mem: Memory) -> str | None:
    """ "the planet" -> "Tessaly-4b" when the article has named the planet."""
    m = re.fullmatch(r"the ([a-z][a-z-]*)", text or "", re.I)
    return (mem.named(m[1].lower()) or text) if m else text


def _neuter(doc: Any, t: Any, mem: Memory, subs: dict[int, Sub]) -> str | None:
    for c in doc:
        if c.i >= t.i:
            break
        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN") and c.tag_ not in ("NNS", "NNPS"):
            if not (c.ent_type_ == "PERSON"):
                return _np_text(doc, c, mem, subs)
    if mem.subject and not mem.subject[1] and not mem.subject[2]:
        return mem.subject[0]
    if mem.singulars:
        return mem.singulars[-1]
    return mem.last_entity(("ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "LAW"))


def _plural(doc: Any, t: Any, mem: Memory, subs: dict[int, Sub]) -> str | None:
    for c in doc:
        if c.i >= t.i:
            break
        if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("NNS", "NNPS") and not _generic(c):
            return _np_text(doc, c, mem, subs)
    if mem.subject and mem.subject[2]:
        return mem.subject[0]
    if mem.plurals:
        return mem.plurals[-1]
    return None


def _generic(tok: Any) -> bool:
    """A bare plural ("landlords", "parents") is a kind, not a referent."""
    return not any(c.dep_ in ("det", "poss", "nummod", "compound", "amod") for c in tok.children)


def _np_text(doc: Any, head: Any, mem: Memory, subs: dict[int, Sub] | None = None) -> str:
    if head.ent_type_ and head.ent_iob_ != "O":
        for ent in doc.ents:
            if ent.start <= head.i < ent.end:
                if ent.label_ == "PERSON":
                    return person_name(ent) or ent.text
                break
    if head.pos_ == "PROPN":
        return _ent_text(doc, head)
    idx = _np_tokens(head)
    text = render(doc, idx, subs or {}, final=False)
    if text.split()[0] in ("a", "an", "A", "An"):
        text = "the " + text.split(" ", 1)[1]
    if text[:4] == "The ":
        text = "the " + text[4:]
    return text


def remember(doc: Any, mem: Memory, subs: dict[int, Sub]) -> None:
    """Update the memory with the mentions of a sentence (after its substitutions)."""
    for ent in doc.ents:
        if is_person_ent(ent):
            full = person_name(ent)
            if full:
                if full in mem.persons:
                    mem.persons.remove(full)
                mem.persons.append(full)
                if full not in mem.gender and (g := name_gender(full)):
                    mem.gender[full] = g
                parts = [p for p in full.split() if p.lower() not in HONORIFICS | TITLES]
                mem.by_surname.setdefault(parts[-1], full)
                mem.by_surname.setdefault(parts[0], full)
        elif ent.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"):
            text = ent.text
            if text.startswith("The "):
                text = "the " + text[4:]
            mem.entities.append((ent.label_, text))
    for s in subs.values():
        if s.kind in ("name", "pronoun") and s.antecedent in mem.persons:
            mem.persons.remove(s.antecedent)
            mem.persons.append(s.antecedent)
    # named mentions by head noun: "The planet, known as Tessaly-4b", "the union Unite Workers",
    # "Marlow Mills, the country's largest maker", "the Residential Tenancies (Stability) Bill"
    for t in doc:
        if t.pos_ == "NOUN" and t.tag_ == "NN":
            for c in t.children:
                if c.dep_ == "acl" and c.lemma_ in ("know", "call", "name"):
                    for g in c.subtree:
                        if g.pos_ == "PROPN" or g.ent_type_:
                            mem.by_noun[t.lemma_.lower()] = _ent_text(doc, g)
                            break
                if c.dep_ == "appos" and c.pos_ == "PROPN":
                    mem.by_noun[t.lemma_.lower()] = _ent_text(doc, c)
            if t.dep_ == "appos" and t.head.pos_ == "PROPN" and not misparsed_subject(doc, t):
                mem.by_noun[t.lemma_.lower()] = _ent_text(doc, t.head)
            if (
                t.i + 1 < len(doc)
                and doc[t.i + 1].pos_ == "PROPN"
                and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
            ):
                mem.by_noun[t.lemma_.lower()] = _ent_text(doc, doc[t.i + 1])
            # an informative description: "the city's public health agency", "the Fenwick plant"
            if (
                t.dep_ not in ("compound", "amod")
                and t.lemma_.lower() not in mem.by_noun
                and any(
                    (c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN"))
                    or (c.dep_ == "compound" and c.pos_ == "PROPN")
                    for c in t.children
                )
            ):
                text = _np_text(doc, t, mem, subs)
                if not any(c.dep_ in ("det", "poss") for c in t.children):
                    text = "the " + text  # a headline's "Ashby Green footbridge reopens"
                mem.by_noun[t.lemma_.lower()] = text
    _caps_runs(doc, mem)
    # the subject and the plural/singular noun phrases, for later pronouns
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = None
    if root is not None:
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            for c in root.children:
                if c.dep_ in ("ccomp",):
                    subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.pos_ in ("NOUN", "PROPN"):
        is_person = subj.ent_type_ == "PERSON"
        mem.subject = (_np_text(doc, subj, mem, subs), is_person, subj.tag_ == "NNS")
    elif subj is not None and subj.pos_ == "PRON" and subj.i in subs:
        ante = subs[subj.i].antecedent or ""
        mem.subject = (ante, ante in mem.persons, subj.lower_ in PLURAL)
    else:
        mem.subject = None
    for chunk in doc.noun_chunks:
        h = chunk.root
        if h.pos_ != "NOUN" or h.ent_type_ == "PERSON":
            continue
        if h.tag_ == "NNS" and not _generic(h):
            mem.plurals.append(_np_text(doc, h, mem, subs))
        elif h.tag_ == "NN" and h.dep_ in ("nsubj", "nsubjpass", "dobj"):
            mem.singulars.append(_np_text(doc, h, mem, subs))
    if subj is not None and subj.pos_ in ("NOUN", "PROPN") and subj.ent_type_ != "PERSON":
        text = mem.subject[0] if mem.subject else ""
        (mem.plurals if subj.tag_ == "NNS" else mem.singulars).append(text)


def _ent_text(doc: Any, tok: Any) -> str:
    for ent in doc.ents:
        if ent.start <= tok.i < ent.end:
            text: str = ent.text
            return "the " + text[4:] if text.startswith("The ") else text

    def name_like(t: Any) -> bool:
        if t.lower_ == "the":
            return False
        return t.pos_ == "PROPN" or t.text in ("(", ")") or (t.text[:1].isupper() and t.is_alpha and t.i > 0)

    lo = tok.i
    while lo > 0 and name_like(doc[lo - 1]):
        lo -= 1
    hi = tok.i + 1
    while hi < len(doc) and name_like(doc[hi]):
        hi += 1
    while lo < tok.i and doc[lo].text in ("(", ")"):
        lo += 1
    while hi > tok.i + 1 and doc[hi - 1].text in ("(", ")"):
        hi -= 1
    text = str(doc[lo:hi].text)
    if lo > 0 and doc[lo - 1].lower_ == "the":
        text = "the " + text
    return text


def _caps_runs(doc: Any, mem: Memory) -> None:
    """Multi-word names ending in a common noun ("... Assembly", "... Bill", "... Observatory")."""
    i = 0
    n = len(doc)
    while i < n:
        if doc[i].text[:1].isupper() and doc[i].is_alpha and doc[i].pos_ in ("PROPN", "NOUN", "ADJ"):
            j = i
            while j + 1 < n and (
                (doc[j + 1].text[:1].isupper() and doc[j + 1].pos_ in ("PROPN", "NOUN", "ADJ"))
                or doc[j + 1].text in ("(", ")")
            ):
                j += 1
            while j > i and doc[j].text in ("(", ")"):
                j -= 1
            if j > i and i > 0:
                last = doc[j].text.lower()
                if not last.endswith("s") and doc[j].pos_ in ("PROPN", "NOUN"):
                    lead = "the " if doc[i - 1].lower_ == "the" else ""
                    mem.by_noun[last] = lead + doc[i : j + 1].text
            i = j + 1
        else:
            i += 1


# --------------------------------------------------------------------------- rendering

_SPACE_FIX = [
    (re.compile(r"\s+([,.;:!?%])"), r"\1"),
    (re.compile(r"([,;:])(?:\s*[,;:])+"), r"\1"),
    (re.compile(r"\(\s+"), "("),
    (re.compile(r"\s+\)"), ")"),
    (re.compile(r"\s{2,}"), " "),
    (re.compile(r",\s*\.$"), "."),
]


def render(doc: Any, idx: Sequence[int], subs: dict[int, Sub], final: bool = True) -> str:
    """The text of tokens `idx` (sorted) with substitutions applied where their whole range is kept."""
    keep = set(idx)
    out: list[str] = []
    i_list = sorted(keep)
    pos = 0
    while pos < len(i_list):
        i = i_list[pos]
        sub = subs.get(i)
        if sub is not None and all(j in keep for j in range(i, sub.end)):
            so_far = "".join(out)
            if sub.kind == "pronoun" and sub.antecedent and sub.antecedent in so_far:
                out.append(doc[i].text_with_ws)
            else:
                text = sub.text
                if not so_far.strip() and text[:1].islower():
                    text = text[0].upper() + text[1:]
                elif so_far.strip() and text.startswith("The ") and sub.kind != "pronoun":
                    text = "the " + text[4:]
                out.append(text + doc[sub.end - 1].whitespace_)
            while pos < len(i_list) and i_list[pos] < sub.end:
                pos += 1
            continue
        tok = doc[i]
        out.append(tok.text_with_ws if i + 1 in keep else tok.text + " ")
        pos += 1
    text = "".join(out).strip()
    for pat, rep in _SPACE_FIX:
        text = pat.sub(rep, text)
    text = text.strip(" ,;:—–-")
    if final and text:
        text = text[0].upper() + text[1:]
        text = re.sub(r"^(?:and|but|or|so)\s+", "", text, flags=re.I)
        text = text[0].upper() + text[1:] if text else text
        if not re.search(r"[.!?][\"”’')]*$", text):
            if re.search(r"[\"”]$", text):
                text += "."
            else:
                text = text.rstrip(",;:") + "."
    return text


def misparsed_subject(doc: Any, t: Any) -> bool:
    """ "In Greyford, a petition against the closure had gathered 15,000 signatures": the tagger calls the
    petition an appositive of Greyford, but a sentence-opening place's "appositive" before a verb that
    has no subject of its own is that verb's subject, not a description of the place."""
    head = t.head
    if head.dep_ != "pobj" or head.head.i != doc[0].i or head.head.dep_ != "prep":
        return False
    verb = head.head.head
    return not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)

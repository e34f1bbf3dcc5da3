"""Decomposition of a check-worthy sentence into atomic claims, on its spaCy dependency parse.

- direct quotations (`"Q1. Q2," she said.`) -> one `quote` claim per quoted sentence, naming the speaker
  (a quotation with no tag continues the previous speaker);
- appositives (`Marlow Mills, the country's largest maker, ...`) -> "Marlow Mills is the country's ...";
- participle clauses (`..., citing falling sales`, `..., with three members abstaining`) -> their own
  claim in the main verb's tense ("The company cited falling sales.", "Three members abstained.");
- ages (`Gerald Penhallow, 58, ...`) -> "Gerald Penhallow was 58 years old in July 2026." (the article's
  month), removed from the main clause;
- non-restrictive relative clauses (`the union, which had campaigned for ...`) -> their own claim;
- coordinated clauses and verb phrases (`X is A and completes B`) -> one claim each, sharing the subject;
- coordinated objects (`can cause pneumonia, brain swelling and death`) -> one claim per object;
- attribution: `X said Y` is a claim about what X said (`attributed`); when Y is factual (a number, a
  name) and not an opinion or a quotation, Y is also given as a claim attributed to X.

Every atom keeps the tokens it was built from, so its span points at the words of the article.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from verifier.claims.checkworthy import _EVALUATIVE
from verifier.claims.decontext import (
    PRONOUNS,
    Sub,
    in_quote,
    is_person_ent,
    misparsed_subject,
    person_name,
    render,
)
from verifier.text.sentences import sentence_spans

SPEECH_VERBS = frozenset(
    """say tell add announce report warn confirm claim state insist explain argue write post reveal
    admit deny predict promise acknowledge""".split()
)


@dataclass(frozen=True, slots=True)
class Atom:
    text: str
    start: int  # character offsets inside the unit
    end: int
    kind: str = "fact"  # fact | attributed | quote
    attributed_to: str | None = None


def _subtree(tok: Any) -> set[int]:
    return {t.i for t in tok.subtree}


def _span_of(doc: Any, idx: set[int]) -> tuple[int, int]:
    toks = [doc[i] for i in sorted(idx) if not doc[i].is_space and doc[i].text not in (",", ";")]
    if not toks:
        toks = [doc[i] for i in sorted(idx)]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _name_of(doc: Any, tok: Any, subs: dict[int, Sub]) -> str:
    """How a subject/speaker should be named in a claim."""
    if tok.i in subs and subs[tok.i].antecedent:
        return subs[tok.i].antecedent or tok.text
    for ent in doc.ents:
        if ent.start <= tok.i < ent.end and is_person_ent(ent):
            return person_name(ent) or ent.text
    keep = set(_subtree(tok))
    for c in tok.children:
        if c.dep_ in ("relcl", "acl", "appos", "punct") or (c.dep_ == "prep" and c.lower_ != "of"):
            keep -= _subtree(c)
    return render(doc, sorted(keep), subs, final=False)


def _quote_unit(
    doc: Any, text: str, subs: dict[int, Sub], prev_speaker: str | None
) -> tuple[list[Atom], str | None, set[int]] | None:
    """`"Q," X said.` / `"Q."` (continuing the previous speaker). None when `text` is not such a unit."""
    lead = len(text) - len(text.lstrip())
    if text.lstrip()[:1] not in ('"', "“"):
        return None
    close = max(text.rfind('"'), text.rfind("”"))
    if close <= lead:
        return None
    tag = text[close + 1 :]
    speaker: str | None = None
    tag_tokens: set[int] = set()
    if re.search(r"[A-Za-z]", tag):
        verb = next((t for t in doc if t.idx > close and t.lemma_.lower() in SPEECH_VERBS), None)
        if verb is None:
            return None
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            return None
        speaker = _name_of(doc, subj, subs)
        tag_tokens = {t.i for t in doc if t.idx > close}
    else:
        speaker = prev_speaker
    if not speaker or speaker.lower() in PRONOUNS:
        return None
    inner_start = lead + 1
    quote = text[inner_start:close]
    atoms: list[Atom] = []
    for s, e in sentence_spans(quote):
        q = quote[s:e].strip().rstrip(",")
        if not q:
            continue
        if not re.search(r"[.!?…]$", q):
            q += "."
        q = " ".join(q.split())
        atoms.append(Atom(f'{speaker} said: "{q}"', inner_start + s, inner_start + e, "quote", speaker))
    return atoms, speaker, tag_tokens


def _comma_before(doc: Any, i: int) -> int | None:
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    return j if j >= 0 and doc[j].text in (",", "—", "–") else None


def _comma_after(doc: Any, i: int) -> int | None:
    j = i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    return j if j < len(doc) and doc[j].text in (",", "—", "–", ")") else None


def _factual(doc: Any, idx: set[int]) -> bool:
    toks = [doc[i] for i in idx]
    if any(t.text in ('"', "“", "”") for t in toks):
        return False
    if {t.lower_ for t in toks} & _EVALUATIVE:
        return False
    return any(t.like_num or t.pos_ == "PROPN" or t.ent_type_ in ("DATE", "MONEY", "PERCENT") for t in toks)


def decompose(
    doc: Any,
    subs: dict[int, Sub],
    prev_speaker: str | None = None,
    attributed_content: bool = True,
    when: date | None = None,
) -> tuple[list[Atom], str | None]:
    """Atomic claims of one sentence unit, and the speaker to carry to a following bare quotation;
    `when` (the article's date) dates the ages given in the sentence."""
    text = doc.text
    quoted = _quote_unit(doc, text, subs, prev_speaker)
    atoms: list[Atom] = []
    if quoted is not None:
        atoms, speaker, tag_tokens = quoted
        atoms.extend(_detached(doc, subs, tag_tokens, when)[1])
        return atoms, speaker

    all_idx = {t.i for t in doc if not t.is_space}
    detached, extra = _detached(doc, subs, all_idx, when)
    trailing, more = _trailing(doc, subs, all_idx - detached)
    detached |= trailing
    extra.extend(more)
    local = dict(subs)
    speaker = None
    for sent in doc.sents:
        root = sent.root
        sent_idx = {t.i for t in sent if not t.is_space} - detached
        clauses = _clauses(doc, root, sent_idx)
        for head, idx, subj in clauses:
            for obj_idx in _split_objects(doc, head, idx):
                atoms.extend(_attribution(doc, head, obj_idx, subj, local, attributed_content))
        spk = next((a.attributed_to for a in atoms if a.attributed_to), None)
        speaker = spk or speaker
    atoms.extend(extra)
    return atoms, speaker


# Participles that introduce a phrase rather than a second event ("including", "following", "starting").
_NOT_EVENTS = frozenset(
    "include follow accord regard concern compare exclude begin start end use base go".split()
)
_IRREGULAR_PAST = dict(
    w.split(":")
    for w in """be:was have:had do:did win:won lose:lost take:took make:made give:gave leave:left
    bring:brought break:broke hold:held keep:kept set:set put:put cut:cut hit:hit let:let beat:beat
    become:became come:came get:got go:went run:ran see:saw send:sent spend:spent find:found lead:led
    meet:met pay:paid say:said sell:sold tell:told think:thought rise:rose fall:fell grow:grew
    draw:drew throw:threw write:wrote build:built feel:felt stand:stood drive:drove ride:rode
    speak:spoke steal:stole choose:chose bear:bore wear:wore tear:tore strike:struck stick:stuck
    sink:sank begin:began""".split()
)


def past_tense(lemma: str) -> str:
    """The simple past of a verb lemma: a table of common irregular verbs, then the spelling rules
    (abstain -> abstained, cite -> cited, carry -> carried, stop -> stopped)."""
    w = lemma.lower()
    if w in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[w]
    if w.endswith("e"):
        return w + "d"
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return w[:-1] + "ied"
    if len(w) <= 4 and re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", w):
        return w + w[-1] + "ed"
    return w + "ed"


def _present_3sg(lemma: str) -> str:
    w = lemma.lower()
    if w in ("be", "have"):
        return {"be": "is", "have": "has"}[w]
    if w.endswith(("s", "sh", "ch", "x", "z", "o")):
        return w + "es"
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return w[:-1] + "ies"
    return w + "s"


def _trailing(doc: Any, subs: dict[int, Sub], scope: set[int]) -> tuple[set[int], list[Atom]]:
    """Participle clauses after a comma become claims of their own, in the main verb's tense:
    "The company cut 300 jobs, citing falling sales." -> "The company cited falling sales.";
    "The vote was 48 to 39, with three members abstaining." -> "Three members abstained."."""
    removed: set[int] = set()
    atoms: list[Atom] = []
    for t in doc:
        if t.i not in scope or t.i in removed or t.tag_ != "VBG" or in_quote(doc, t.i):
            continue
        if t.lemma_.lower() in _NOT_EVENTS or any(c.dep_ in ("aux", "auxpass", "mark") for c in t.children):
            continue
        head = t.head
        if t.dep_ == "advcl" and head.pos_ in ("VERB", "AUX") and t.i > head.i:
            if any(c.dep_.startswith("nsubj") for c in t.children):
                continue
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.pos_ == "PRON" and subj.i not in subs:
                continue
            main, clause, first = head, _subtree(t), t.i
            who = _name_of(doc, subj, subs)
            rest = clause - {t.i}
        elif (
            t.dep_ == "pcomp"
            and head.lower_ == "with"
            and head.dep_ == "prep"
            and head.head.pos_ in ("VERB", "AUX")
        ):
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is None or head.i < head.head.i:
                continue
            main, clause, first = head.head, _subtree(head), head.i
            who = render(doc, sorted(_subtree(subj)), subs, final=False)
            rest = clause - {head.i, t.i} - _subtree(subj)
        else:
            continue
        comma = _comma_before(doc, first)
        if comma is None or not who:
            continue
        kids = {c.lower_ for c in main.children if c.dep_ in ("aux", "auxpass")}
        if main.tag_ == "VBD" or kids & {"has", "have", "had", "was", "were", "did"}:
            verb = past_tense(t.lemma_)
        elif main.tag_ in ("VBZ", "VBP") and not kids:
            verb = _present_3sg(t.lemma_) if subj.tag_ not in ("NNS", "NNPS") else t.lemma_.lower()
        else:
            continue
        own = {k: v for k, v in subs.items() if not (v.kind == "pronoun" and v.antecedent == who)}
        s, e = _span_of(doc, clause)
        atoms.append(Atom(render_text(f"{who} {verb} {render(doc, sorted(rest), own, final=False)}"), s, e))
        removed |= clause | {comma}
    return removed, atoms


def _age(doc: Any, t: Any) -> str | None:
    """The person whose age `t` is, for a bare number between commas after a name ("Gerald Penhallow,
    58, ..."); None otherwise."""
    head = t.head
    if not (
        t.dep_ in ("appos", "npadvmod", "amod") and t.like_num and t.text.isdigit() and not list(t.children)
    ):
        return None
    if not 1 <= int(t.text) <= 120 or _comma_before(doc, t.i) is None or _comma_after(doc, t.i) is None:
        return None
    for ent in doc.ents:
        if ent.start <= head.i < ent.end and is_person_ent(ent) and ent.end - 1 == head.i:
            return person_name(ent) or ent.text
    return None


def _detached(
    doc: Any, subs: dict[int, Sub], scope: set[int], when: date | None = None
) -> tuple[set[int], list[Atom]]:
    """Ages, appositives and non-restrictive relative clauses: removed from the main clause, made claims."""
    removed: set[int] = set()
    atoms: list[Atom] = []
    for t in doc:
        who = _age(doc, t) if t.i in scope and not in_quote(doc, t.i) else None
        if who is not None:
            # "Gerald Penhallow, 58," -> "Gerald Penhallow was 58 years old in July 2026."
            at = f" in {calendar.month_name[when.month]} {when.year}" if when else ""
            verb = "was" if when else "is"
            s, e = _span_of(doc, {t.head.i, t.i})
            atoms.append(Atom(f"{who} {verb} {t.text} years old{at}.", s, e))
            removed |= {t.i, _comma_before(doc, t.i) or t.i, _comma_after(doc, t.i) or t.i}
    for t in doc:
        if t.i not in scope or t.i in removed or in_quote(doc, t.i):
            continue
        if (
            t.dep_ == "appos"
            and t.head.pos_ in ("NOUN", "PROPN")
            and not {t.ent_type_, t.head.ent_type_} & {"DATE", "TIME"}  # "8 am to 8 pm, seven days a week"
            and not misparsed_subject(doc, t)
        ):
            app = _subtree(t) - removed
            lo, hi = min(app), max(app)
            before = _comma_before(doc, lo)
            if before is None or before <= t.head.i:
                continue
            head = t.head
            head_np = {head.i} | {
                i
                for c in head.children
                if c.dep_ in ("det", "compound", "poss", "amod", "nmod", "nummod", "quantmod")
                for i in _subtree(c)
            }
            app_text = render(doc, sorted(app), subs, final=False)
            head_text = render(doc, sorted(head_np), subs, final=False)
            if not app_text or not head_text:
                continue
            if t.pos_ == "PROPN" and head.pos_ == "NOUN":
                lead = head_text.split()[0]
                if lead in ("The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "His", "Her"):
                    head_text = head_text[0].lower() + head_text[1:]
                claim = f"{app_text} is {head_text}"
            else:
                claim = f"{head_text} is {app_text}"
            s, e = _span_of(doc, head_np | app)
            atoms.append(Atom(render_text(claim), s, e))
            after = _comma_after(doc, hi)
            removed |= app | {before} | ({after} if after is not None else set())
            if t.pos_ == "PROPN" and head.pos_ == "NOUN":
                # the main clause names the person: "Dr. Yusuf Harrington said ..."
                name = app_text
                removed |= head_np - {min(head_np)}
                subs[min(head_np)] = Sub(min(head_np) + 1, name, name, "name")
                removed.discard(min(head_np))
        elif t.dep_ == "relcl" and t.head.pos_ in ("NOUN", "PROPN"):
            rel = _subtree(t)
            lo, hi = min(rel), max(rel)
            before = _comma_before(doc, lo)
            if before is None:
                continue
            pron = doc[lo]
            if pron.lower_ not in ("which", "who", "whose"):
                continue
            head = t.head
            ante = _name_of(doc, head, subs)
            if ante.startswith(("a ", "an ", "A ", "An ")):
                ante = "the " + ante.split(" ", 1)[1]
            local = dict(subs)
            repl = ante + ("'s" if pron.lower_ == "whose" else "")
            local[lo] = Sub(lo + 1, repl, None, "name")
            s, e = _span_of(doc, rel)
            atoms.append(Atom(render(doc, sorted(rel), local), s, e))
            after = _comma_after(doc, hi)
            removed |= rel | {before} | ({after} if after is not None else set())
    return removed, atoms


def render_text(text: str) -> str:
    text = " ".join(text.split())
    text = text[0].upper() + text[1:] if text else text
    return text if re.search(r"[.!?][\"”]?$", text) else text.rstrip(",;:") + "."


def _own(tok: Any) -> set[int]:
    """A conjunct's tokens without the conjuncts (and their `and`) that hang from it."""
    idx = _subtree(tok)
    for c in tok.children:
        if c.dep_ == "conj":
            idx -= _subtree(c)
        if c.dep_ == "cc" or (c.dep_ == "punct" and c.i > tok.i and c.text == ","):
            idx.discard(c.i)
    return idx


def _clauses(doc: Any, root: Any, idx: set[int]) -> list[tuple[Any, set[int], Any | None]]:
    """(verb, tokens, subject) for the main clause and each coordinated verb clause of `root`."""
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    chain: list[Any] = []
    todo = [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    while todo:
        c = todo.pop(0)
        chain.append(c)
        todo.extend(g for g in c.children if g.dep_ == "conj" and g.pos_ in ("VERB", "AUX"))
    if not chain or any(in_quote(doc, c.i) for c in chain):
        return [(root, idx, subj)]
    main = set(idx)
    out: list[tuple[Any, set[int], Any | None]] = []
    for c in chain:
        own = _own(c) & idx
        main -= _subtree(c)
        for g in c.head.children:
            if g.dep_ in ("cc", "punct") and g.i < c.i and g.i > c.head.i:
                main.discard(g.i)
        c_subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
        if c_subj is None and subj is not None:
            shared = _subtree(subj) & idx
            if not any(g.dep_ in ("aux", "auxpass") for g in c.children):
                shared |= {g.i for g in root.children if g.dep_ in ("aux", "neg") and g.i > subj.i}
            own |= shared
            c_subj = subj
        out.append((c, own, c_subj))
    return [(root, main, subj), *out]


_WHOLE_PREPS = frozenset({"between", "among", "amongst"})  # "between X and Y" is one relation
_MEASURE_PARTS = frozenset("hour minute second day week month year metre kilometre mile".split())


def _coordinations(head: Any, idx: set[int]) -> list[list[Any]]:
    """Coordinated items hanging from `head`: objects ("cause pneumonia, brain swelling and death"),
    prepositional objects ("fitted with lighting and two cameras") and prepositions ("from steel prices
    and from the discovery of damage")."""
    found: list[list[Any]] = []

    def chain(first: Any, pos: tuple[str, ...]) -> list[Any]:
        items = [first]
        node = first
        while True:
            nxt = next((g for g in node.children if g.dep_ == "conj" and g.pos_ in pos), None)
            if nxt is None:
                return items
            items.append(nxt)
            node = nxt

    for c in head.children:
        if c.i not in idx:
            continue
        if c.dep_ in ("dobj", "attr") and c.pos_ == "NOUN":
            found.append(chain(c, ("NOUN",)))
        elif c.dep_ == "prep" and c.lower_ not in _WHOLE_PREPS:
            preps = chain(c, ("ADP",))
            if len(preps) > 1:
                found.append(preps)
                continue
            pobj = next((g for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)
            if pobj is not None:
                found.append(chain(pobj, ("NOUN", "PROPN")))
    # "2 hours 19 minutes and 44 seconds" is one measurement
    return [f for f in found if len(f) > 1 and not all(t.lemma_.lower() in _MEASURE_PARTS for t in f)]


def _split_objects(doc: Any, head: Any, idx: set[int]) -> list[set[int]]:
    """One token set per coordinated item of `head` (see `_coordinations`), every coordination split."""
    out = [idx]
    for items in _coordinations(head, idx):
        conj_idx = _subtree(items[0])
        owns = [_own(it) for it in items]
        glue = conj_idx - set().union(*owns)
        nxt: list[set[int]] = []
        for part in out:
            for k, own in enumerate(owns):
                others = set().union(*(o for j, o in enumerate(owns) if j != k))
                nxt.append((part - others - glue) | (own & part))
        out = nxt
    return out


def _attribution(
    doc: Any, head: Any, idx: set[int], subj: Any | None, subs: dict[int, Sub], attributed_content: bool
) -> list[Atom]:
    """The clause as a claim (attributed when it reports speech) plus the reported fact when factual."""
    if not idx:
        return []
    text = render(doc, sorted(idx), subs)
    if len(re.findall(r"[A-Za-z0-9]+", text)) < 3:
        return []
    s, e = _span_of(doc, idx)
    has_quote = any(doc[i].text in ('"', "“", "”") for i in idx)
    verb = head
    speaker: str | None = None
    content: set[int] | None = None
    if verb.lemma_.lower() in SPEECH_VERBS and subj is not None:
        speaker = _name_of(doc, subj, subs)
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if comp is not None:
            content = (_subtree(comp) & idx) - {g.i for g in comp.children if g.dep_ == "mark"}
    else:
        acc = next((c for c in doc if c.i in idx and c.lower_ == "according" and c.dep_ == "prep"), None)
        if acc is not None:
            src = _subtree(acc)
            who = [t for t in acc.subtree if t.dep_ == "pobj"]
            speaker = _name_of(doc, who[0], subs) if who else None
            content = idx - src
            for j in (min(src) - 1, max(src) + 1):
                if 0 <= j < len(doc) and doc[j].text == ",":
                    content.discard(j)
    kind = "quote" if has_quote else ("attributed" if speaker else "fact")
    atoms = [Atom(text, s, e, kind, speaker)]
    if (
        attributed_content
        and speaker
        and content
        and _factual(doc, content)
        and not any(doc[i].text in ('"', "“", "”") for i in content)
    ):
        ctext = render(doc, sorted(content), subs)
        if len(ctext.split()) >= 4 and ctext != text:
            cs, ce = _span_of(doc, content)
            atoms.append(Atom(ctext, cs, ce, "attributed", speaker))
    return atoms

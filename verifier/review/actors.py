"""Who did what: capitalised-name spans and the role each plays, to catch swapped actors.

A claim that gives an action to one person or organisation while the evidence gives the same action to
another ("Bello scored" vs "scored by Ortiz after a pass from Bello") is a contradiction cue. Pure
Python: names are runs of capitalised words, roles are (predicate stem, slot) pairs read from the words
around a name, with passive voice ("was sentenced by") and clause-level predicates as fallbacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.text.words import ACTOR_STOPWORDS

_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*|&|[;:,.()]|\d[\d,.]*")
_TITLES = frozenset(
    "mr mrs ms miss dr dr. prof prof. sir dame lord lady judge justice senator sen. rep. representative "
    "president minister secretary chancellor governor mayor general captain coach chief finance health "
    "foreign home interior defence defense education prime deputy officer inspector detective sergeant "
    "st st. saint king queen prince princess".split()
)
_COMMON_STARTS = frozenset(
    "the a an in on at it this that these those there he she they we i you his her its their our my "
    "police officials scientists researchers forecasters rescuers organisers organizers tickets "
    "turnout unemployment smoking inflation average applications temperature grain nine two three four "
    "five six seven eight ten of for from to by with after before when while as if but and or".split()
)
_STOP = ACTOR_STOPWORDS
_AUX = frozenset("is are was were be been being has have had will would also has".split())
_PASSIVE_AUX = frozenset("is are was were be been being".split())
_CLAUSE_BREAK = frozenset(";:")
_WEIGHTY = frozenset("for against".split())


@dataclass(frozen=True, slots=True)
class Mention:
    name: str  # as written, without titles
    key: str  # last word, lower case: "stroud"
    role: tuple[str, str] | None  # (predicate stem, slot): ("sentenc", "subj"), ("pass", "from")
    clause: int


def stem(word: str) -> str:
    w = word.lower().strip("'’.")
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    for suffix in ("ing", "ed", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def similar(a: str, b: str) -> bool:
    """Lemma-insensitive word match: 'erupted' ~ 'eruption', 'signed' ~ 'signatures'."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 5 or (n >= 4 and min(len(a), len(b)) <= 7)


def _trim(tok: str) -> str:
    """'Ortiz.' -> 'Ortiz' (a sentence end), but 'Dr.' keeps its dot."""
    if len(tok) > 1 and tok.endswith(".") and tok.lower() not in _TITLES:
        return tok[:-1]
    return tok


def _is_cap(tok: str) -> bool:
    return tok[0].isupper() and tok.lower() not in _TITLES


def mentions(text: str) -> list[Mention]:
    toks = [_trim(m.group()) for m in _WORD.finditer(text)]
    out: list[Mention] = []
    clause = 0
    i = 0
    sentence_start = True
    while i < len(toks):
        t = toks[i]
        if t in _CLAUSE_BREAK or t == ".":
            clause += 1
            sentence_start = t == "."
            i += 1
            continue
        if not t[0].isupper() or t.lower() in _TITLES:
            sentence_start = sentence_start and t.lower() in _TITLES
            i += 1
            continue
        j = i
        while j < len(toks) and (_is_cap(toks[j]) or (toks[j] in ("&", "of") and j + 1 < len(toks)
                                                      and _is_cap(toks[j + 1]) and j > i)):  # fmt: skip
            j += 1
        words = toks[i:j]
        if sentence_start and words[0].lower() in _COMMON_STARTS:
            words = words[1:]
            i += 1
        sentence_start = False
        if not words or all(w.lower() in _COMMON_STARTS for w in words):
            i = max(j, i + 1)
            continue
        key = words[-1].lower().rstrip(".")
        if key.endswith(("'s", "’s")):
            key = key[:-2]
        out.append(Mention(" ".join(words), key, _role(toks, i, j), clause))
        i = j
    return out


def _role(toks: list[str], i: int, j: int) -> tuple[str, str] | None:
    """The predicate a name at toks[i:j] fills, and how."""
    k = i - 1
    while k >= 0 and toks[k].lower() in _TITLES:
        k -= 1
    prev = toks[k].lower() if k >= 0 else ""
    if prev == "the":
        k -= 1
        prev = toks[k].lower() if k >= 0 else ""
    if prev == "by":  # "scored by Ortiz", "was funded by the Halvorsen Trust": the agent of the verb
        m = k - 1
        while m >= 0 and m > k - 8 and toks[m] not in _CLAUSE_BREAK:
            w = toks[m].lower()
            if w.endswith(("ed", "en")) or w in ("led", "won", "paid", "sold", "held", "made", "told"):
                return stem(w), "subj"
            m -= 1
        return None
    if prev and prev[0].isalpha() and prev not in _STOP and not toks[k][0].isupper():
        return stem(prev), "obj"  # "buy Coastline Credit", "sentenced Carl Dunning"
    if prev in ("to", "from", "of", "for", "with", "against") and k >= 1:
        head = toks[k - 1].lower()
        if head[0].isalpha() and head not in _STOP:
            return stem(head), prev  # "a pass from Bello", "ahead of Morrow Studios", "went to X"
        return None
    if prev in ("", ",", ";", ":", ".", "and", "but") or prev in _TITLES:
        m = j
        passive = False
        while m < len(toks) and (
            toks[m].lower() in _AUX or toks[m].lower() in ("has", "had", "agreed", "to")
        ):
            passive = passive or toks[m].lower() in _PASSIVE_AUX
            m += 1
        if m < len(toks) and toks[m][0].isalpha() and not toks[m][0].isupper():
            w = toks[m].lower()
            if toks[m - 1].lower() == "to" and m - 2 >= j and toks[m - 2].lower() == "agreed":
                return stem("agreed"), "subj"
            return stem(w), "obj" if passive and w.endswith(("ed", "en")) else "subj"
    return None


def _clauses(text: str) -> list[tuple[set[str], set[str]]]:
    """Each clause's content words and the name keys in it (clauses split at ; , and 'and')."""
    out: list[tuple[set[str], set[str]]] = []
    for part in re.split(r"[;,]|\band\b|\bbut\b", text):
        names = {m.key for m in mentions(part)}
        words = {
            w.lower() for w in re.findall(r"[A-Za-z]+", part)
            if w.lower() not in _STOP and not w[0].isupper()
        }  # fmt: skip
        out.append((words, names))
    return out


def _overlap(claim_words: set[str], words: set[str]) -> float:
    total = sum(2.0 if w in _WEIGHTY else 1.0 for w in claim_words)
    hit = sum(2.0 if w in _WEIGHTY else 1.0 for w in claim_words if any(similar(w, v) for v in words))
    return hit / total if total else 0.0


def swap_cues(claim: str, evidence: str) -> list[str]:
    """Reasons to read the evidence as giving the claim's action to someone else (empty when none)."""
    c_mentions = mentions(claim)
    e_mentions = mentions(evidence)
    if not c_mentions or not e_mentions:
        return []
    e_keys = {m.key for m in e_mentions}
    cues: list[str] = []
    for cm in c_mentions:
        if cm.key not in e_keys or cm.role is None:
            continue
        fillers = [em for em in e_mentions if em.role is not None and _same_role(em.role, cm.role)]
        if any(_coordinated(evidence, cm.name, em.name) for em in fillers):
            continue  # "Dev Malhotra and Priya Lindqvist voted against": both did
        if fillers and all(em.key != cm.key for em in fillers):
            other = fillers[0].name
            cues.append(
                f"claim says {cm.name} {_describe(cm.role)}; source says {other} did"
                if cm.role[1] == "subj"
                else f"claim gives {cm.name} the role of {other} ({_describe(cm.role)})"
            )
    if cues:
        return cues
    # clause level: the clause that best states the claim's predicate names someone else
    for cm in c_mentions:
        if cm.key not in e_keys:
            continue
        c_words = {
            w.lower() for w in re.findall(r"[A-Za-z]+", claim)
            if w.lower() not in _STOP and not w[0].isupper()
        }  # fmt: skip
        scored = sorted(((_overlap(c_words, w), n) for w, n in _clauses(evidence)), key=lambda t: -t[0])
        if len(scored) < 2 or scored[0][0] < 0.6 or scored[0][0] - scored[1][0] < 0.1:
            continue
        best_names = scored[0][1]
        if best_names and cm.key not in best_names:
            who = next(m.name for m in e_mentions if m.key in best_names)
            if not _coordinated(evidence, cm.name, who):
                cues.append(f"claim credits {cm.name}; source credits {who}")
    return cues


def _coordinated(text: str, a: str, b: str) -> bool:
    """`a` and `b` named side by side as one subject: "A and B", "A, B and C", "A as well as B"."""
    link = r"(?:[A-Z][\w'’.-]*\s+)*?"  # further names in a list
    for x, y in ((a, b), (b, a)):
        last, first = re.escape(x.split()[-1]), re.escape(y.split()[0])
        pattern = (
            rf"\b{last}\b(?:\s*,\s*{link}[\w'’.-]+)*\s*(?:,\s*)?(?:and|&|as well as|,)\s+{link}{first}\b"
        )
        if re.search(pattern, text):
            return True
    return False


def _same_role(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[1] == b[1] and similar(a[0], b[0])


def _describe(role: tuple[str, str]) -> str:
    verb, slot = role
    return f"{verb}…" if slot == "subj" else f"{slot} {verb}…"

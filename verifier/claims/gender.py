"""The grammatical gender a personal name suggests, for binding he/she to the right person.

A short list of common English-language first names (plus honorifics such as Mr / Mrs / Ms) that are
used for one gender far more often than the other. Names not on the list, and names shared by both
genders (Alex, Sam, Jordan, ...), give None, and the decontextualiser then learns the gender from the
pronouns the article uses. The list is a heuristic for news text, not a statement about any person.
"""

from __future__ import annotations

_MALE = frozenset(
    """aaron adam adrian ahmed alan albert alexander ali andrew angus anthony arthur ben benjamin bernard
    bill bob brian bruce callum carl charles christopher colin connor craig daniel darren david declan
    dennis derek dominic donald douglas duncan edward eric ethan felix francis frank fraser gareth gary
    gavin geoffrey george gerald gordon graham gregory harry henry hugh ian isaac jack jacob james jamie
    jason jeremy jim joe john jonathan joseph josh joshua kenneth kevin keith kieran lee leo liam luke
    malcolm mark martin matthew max michael mohammed muhammad nathan neil nicholas nigel noah oliver omar
    oscar owen patrick paul peter philip raymond richard robert roger ronald ross roy russell ryan samuel
    scott sean sebastian simon stephen steven stuart thomas tim timothy tom tony trevor victor
    vincent walter william yusuf""".split()
)
_FEMALE = frozenset(
    """abigail ada alice alison amanda amelia amy andrea angela ann anna anne barbara bethan
    caroline catherine charlotte chloe christine claire clare deborah diana donna eleanor elizabeth ella
    ellen emily emma esther eva fiona florence frances gemma georgia grace hannah harriet helen imogen
    irene isabel isabella jacqueline jane janet jennifer jessica joan joanna josephine judith julia julie
    karen kate katherine kathleen laura lauren leila linda lisa lucy lydia margaret maria mary
    megan melanie michelle natalie nicola olivia patricia paula pauline priya rachel rebecca rose
    ruth sally sandra sarah sharon sophie susan theresa valerie victoria wendy yasmin zoe""".split()
)
_HONORIFIC = {"mr": "m", "mr.": "m", "sir": "m", "lord": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
              "miss": "f", "dame": "f", "lady": "f"}  # fmt: skip


def name_gender(name: str) -> str | None:
    """ "m", "f" or None for a full name ("Liam Fitzsimmons" -> "m", "Ms Jo Reyes" -> "f")."""
    words = [w.strip(".,").lower() for w in name.split()]
    for w in words:
        if w in _HONORIFIC or w + "." in _HONORIFIC:
            return _HONORIFIC.get(w) or _HONORIFIC[w + "."]
    first = next((w for w in words if w.rstrip(".") not in ("dr", "prof", "professor", "rev")), None)
    if first in _MALE:
        return "m"
    if first in _FEMALE:
        return "f"
    return None

"""Articles and helpers the claim-extraction tests share."""

from __future__ import annotations

from verifier.models import Claim

ARTICLE = """---
title: Harbour council approves ferry plan
date: 2026-04-09
---

Harbour council approves ferry plan

By Mira Holt, transport reporter

The Dunmore Harbour Council approved a new ferry route to Kells Island late on Tuesday. The route will \
cost 4.2 million pounds and will open in June.

Council leader Anselm Gray said it would cut journey times by 40 minutes. He called the plan "long overdue".

"We listened to islanders. This route is for them," Gray said.

Is the price too high? This is a wonderful day for the island.

Residents who want to know more should visit the council's website.
"""


DIGEST = """---
title: The week in brief: a ferry vote and a library fight
date: 2026-03-14
---

Harlow Bay City Council voted 7-2 on Thursday to approve a rebuild of the ferry terminal. The project
will cost $52 million.

In Greyford, a petition against the closure of the Elm Street branch library had gathered more than
15,000 signatures. The council will debate it on 19 March.

Weather records kept tumbling this year. The previous record at the station was set in 2005.

Harlow Bay's ferries will use a temporary pontoon in the meantime.
"""


def texts(claims: list[Claim]) -> list[str]:
    return [c.shown for c in claims]  # as reported: with the "[topic]" label


def check_spans(article: str, claims: list[Claim]) -> None:
    for c in claims:
        assert c.span is not None and c.context_span is not None and c.context is not None
        s, e = c.span
        cs, ce = c.context_span
        assert 0 <= s < e <= len(article)
        assert article[cs:ce] == c.context
        assert cs <= s and e <= ce
        for a, b in c.also_at:
            assert 0 <= a < b <= len(article)

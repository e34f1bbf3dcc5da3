"""Threshold-free view of document-level judging (not a test): for each claim against its own documents,
the strongest raw entailment of the judge over its 1-2 sentence windows alone and with each kind of
chunk added (3 and 5 sentences, token pieces), from ONE scoring pass; then, per configuration, the ROC
AUC of that score for supported vs not and the best balanced accuracy over all thresholds (an oracle
threshold on the same claims: optimistic, for comparing configurations only). No reviewers, no
relevance weighting: the judge's reading alone.

    python eval/grounded/sweep.py CLAIMS CORPUS [--split-file F --split val] [--limit N] [--out F.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

KINDS = ("s3", "s5", "t400")
CONFIGS = {"windows": (), "+s3": ("s3",), "+s5": ("s5",), "+s3,s5": ("s3", "s5"), "+t400": ("t400",),
           "+all": KINDS}  # fmt: skip


def auc(pos: list[float], neg: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def best_balanced(pos: list[float], neg: list[float]) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in sorted(set(pos + neg)):
        ba = (sum(p >= t for p in pos) / len(pos) + sum(n < t for n in neg) / len(neg)) / 2
        best = max(best, (ba, t))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("claims", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--split-file", type=Path)
    parser.add_argument("--split", default="all")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from verifier.evaluation.datasets import load_split
    from verifier.evaluation.gold import load_claims
    from verifier.evaluation.grounded import GroundedCorpus
    from verifier.judges.nli import NLIJudge
    from verifier.judges.windows import judged_windows, sentence_chunks, token_pieces
    from verifier.models import Label
    from verifier.text.words import content_words

    keep = load_split(args.split_file, args.split) if args.split_file else None  # type: ignore[arg-type]
    corpus = GroundedCorpus(args.corpus)
    gold = [g for g in load_claims(args.claims) if (keep is None or g.id in keep) and corpus.usable(g)]
    gold = gold[: args.limit] if args.limit else gold
    judge = NLIJudge(chunk_tokens=400)
    rows = []
    for g in gold:
        budget = judge._token_budget(g.claim)
        words = content_words(g.claim)
        spans: dict[tuple[str, int, int], set[str]] = {}
        for hit in corpus.retriever(g).search(g.claim, k=0):
            text, base = hit.passage.text, hit.passage.id
            kinds = {
                "w": judged_windows(words, text, judge.windows_per_passage),
                "s3": sentence_chunks(text, 3),
                "s5": sentence_chunks(text, 5),
                "t400": token_pieces(text, budget, judge.scorer.token_counts),
            }
            for kind, found in kinds.items():
                for s, e in found:
                    spans.setdefault((base, s, e), set()).add(kind)
        texts = {p.id: p.text for p in (h.passage for h in corpus.retriever(g).search("", k=0))}
        keys = list(spans)
        probs = judge.scorer.score([(texts[b][s:e], g.claim) for b, s, e in keys])
        best: dict[str, float] = {}
        for name, extra in CONFIGS.items():
            allowed = {"w", *extra}
            best[name] = max((float(p[0]) for k, p in zip(keys, probs, strict=True) if spans[k] & allowed),
                             default=0.0)  # fmt: skip
        rows.append({"id": g.id, "supported": g.label is Label.SUPPORTED, "pairs": len(keys), **best})
    out = {"claims": str(args.claims), "split": args.split, "n": len(rows), "configs": {}}
    for name in CONFIGS:
        pos = [r[name] for r in rows if r["supported"]]
        neg = [r[name] for r in rows if not r["supported"]]
        ba, t = best_balanced(pos, neg)
        out["configs"][name] = {"auc": round(auc(pos, neg), 4), "best_balanced_accuracy": round(ba, 4),
                                "at_threshold": round(t, 4)}  # fmt: skip
    out["pairs_per_claim"] = round(sum(r["pairs"] for r in rows) / max(1, len(rows)), 1)
    text = json.dumps(out, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
        args.out.with_suffix(".rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


if __name__ == "__main__":
    main()

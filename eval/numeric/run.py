"""Accuracy on eval/numeric/pairs.jsonl: the judge alone vs the judge + NumericReviewer, per kind.

python eval/numeric/run.py [--judge baseline|nli] [--model-dir DIR] [--no-rescore] [--no-relevance]
    [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from verifier.config import Settings  # noqa: E402
from verifier.evaluation.pairs import evaluate_pairs, load_pairs  # noqa: E402
from verifier.pipeline import relevance_reviewers  # noqa: E402
from verifier.protocols import PairJudge  # noqa: E402
from verifier.review.numeric import NumericReviewer  # noqa: E402
from verifier.review.relevance import OffTopicReviewer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--judge", default="nli", choices=["nli", "baseline"])
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--rescore",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="let the reviewer re-judge windows with figures rewritten (as the pipeline does)",
    )
    parser.add_argument(
        "--relevance",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="weight the judged evidence by the reranker's relevance (as the pipeline does)",
    )
    parser.add_argument(
        "--errors", action="store_true", help="print the pairs the reviewed pipeline gets wrong"
    )
    args = parser.parse_args()
    if args.judge == "baseline":
        from verifier.judges.baseline import BaselineJudge

        judge = BaselineJudge()
    else:
        from verifier.judges.nli import NLIJudge
        from verifier.judges.pairs import MODEL_DIR

        judge = NLIJudge(model_dir=args.model_dir or MODEL_DIR)
    rows = load_pairs(HERE / "pairs.jsonl")
    rescorer = judge if args.rescore and isinstance(judge, PairJudge) else None
    relevance = relevance_reviewers(Settings.resolve(), judge) if args.relevance else ()
    # as the pipeline runs them (pipeline.default_reviewers)
    reviewers = (NumericReviewer(rescorer=rescorer), *(relevance or (OffTopicReviewer(),)))
    result = evaluate_pairs(judge, rows, reviewers=reviewers)
    print(f"judge: {judge.name}  pairs: {result['n']}")
    print(f"{'kind':<14} {'n':>4} {'alone':>7} {'+review':>8}")
    for kind, row in sorted(result["per_kind"].items()):
        print(f"{kind:<14} {row['n']:>4} {row['alone']:>7.3f} {row['reviewed']:>8.3f}")
    print(f"{'all':<14} {result['n']:>4} {result['alone']:>7.3f} {result['reviewed']:>8.3f}")
    if args.errors:
        for e in result["errors"]:
            print(f"{e['id']} {e['kind']}: gold {e['gold']}, alone {e['alone']}, reviewed {e['reviewed']}")
            print(f"    {e['claim']}\n    {e['reasons']}")
    if args.out:
        args.out.write_text(json.dumps({k: v for k, v in result.items() if k != "errors"}, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Leave-one-article-out calibration of LinkParams on a gold file.

For each article, parameters are chosen on the gold of the other articles only, then the
held-out article is linked with them; the cross-validated figures score those held-out links
together, so no sentence is linked with parameters tuned on its own gold. Linking stays
transductive over the whole story (it uses every sentence's text, never its gold).

Run: ``python -m app.linking.calibrate [--gold PATH] [--claims PATH] [--seeds DIR]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.evaluation import Scores, load_claims, predictions_from_links, score, seed_sentences
from app.linking.encoder import Encoder, default_encoder
from app.linking.match import LinkContext, LinkParams, build_context, decide

SHARED = Path("/work/shared")
GRID = {
    "w_lexical": (0.5, 0.75, 1.0),
    "threshold": (0.66, 0.7, 0.73, 0.76, 0.8, 0.85),
    "margin": (0.0, 0.05, 0.1),
    "clause_weight": (0.0, 0.9),
}


def fit_cross_language(ctx: LinkContext, params: LinkParams) -> LinkParams:
    """Least-squares estimate of the same-language score from encoder and anchors alone.

    Fitted on same-language sentence/claim pairs so cross-language scores share their scale.
    """
    k = ctx.n_fixed
    enc, lex, anc = (m[:, :k].ravel() for m in (ctx.encoder_sim, ctx.lexical_sim, ctx.anchor_sim))
    target = params.w_encoder * enc + params.w_lexical * lex + params.w_anchor * anc
    design = np.stack([enc, anc, np.ones_like(enc)], axis=1)
    (a, b, c), *_ = np.linalg.lstsq(design, target, rcond=None)
    return replace(params, cross_encoder=float(a), cross_anchor=float(b), cross_bias=float(c))


def candidates(base: LinkParams, ctx: LinkContext) -> list[LinkParams]:
    out = []
    names = list(GRID)
    for values in itertools.product(*(GRID[n] for n in names)):
        p = replace(base, **dict(zip(names, values, strict=True)))
        p = replace(p, seed_threshold=p.threshold)
        out.append(fit_cross_language(ctx, p))
    return out


def subset_gold(gold: dict, names: Sequence[str]) -> dict:
    return {**gold, "articles": {n: gold["articles"][n] for n in names}}


def cross_validate(
    gold_path: Path, claims_path: Path, seeds_dir: Path, encoder: Encoder, segmenter
) -> tuple[Scores, Scores, LinkParams, list[LinkParams]]:
    """Cross-validated scores, whole-set scores of the params tuned on everything, and params."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    names = sorted(gold["articles"])
    sentences, sources = seed_sentences(seeds_dir, names, segmenter)
    claims = load_claims(claims_path)
    ids = {c.key for c in claims}
    ctx = build_context(claims, sentences, encoder)
    grid = candidates(LinkParams(), ctx)
    runs = [predictions_from_links(sentences, decide(ctx, p), sources) for p in grid]

    def best_on(articles: Sequence[str]) -> int:
        sub = subset_gold(gold, articles)
        figures = [score(sub, run, ids) for run in runs]
        return max(
            range(len(grid)), key=lambda i: (round(figures[i].f1, 4), figures[i].linked_accuracy)
        )

    held_out: dict[str, list] = {}
    chosen = []
    for name in names:
        i = best_on([n for n in names if n != name])
        chosen.append(grid[i])
        held_out[name] = runs[i][name]
    cv = score(gold, held_out, ids)
    best = best_on(names)
    return cv, score(gold, runs[best], ids), grid[best], chosen


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "eval/seed_gold.json")
    parser.add_argument("--claims", type=Path, default=SHARED / "eval/claims.json")
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    args = parser.parse_args(argv)
    from app.text.segment import segment

    cv, whole, best, chosen = cross_validate(
        args.gold, args.claims, args.seeds, default_encoder(), segment
    )
    print("leave-one-article-out:", cv.summary())  # noqa: T201
    for p in chosen:
        print("  fold params:", {n: getattr(p, n) for n in GRID})  # noqa: T201
    print("tuned on all articles:", whole.summary())  # noqa: T201
    print("params:", best)  # noqa: T201


if __name__ == "__main__":
    main()

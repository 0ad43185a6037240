"""Leave-one-article-out calibration of LinkParams on a gold file.

Both logistic models of linking (see ``LinkParams``) and the decision thresholds are fitted on
the gold of all articles but one, then the held-out article is linked with them; the
cross-validated figures score those held-out links together, so no sentence is linked with
parameters fitted on its own gold. The story model is fitted on held-out pair probabilities, as
it sees them on new articles. Linking stays transductive over the whole story (it uses every
sentence's text, never its gold).

Run: ``python -m app.linking.calibrate [--gold PATH] [--claims PATH] [--seeds DIR]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from app.evaluation import Scores, load_claims, predictions_from_links, score, seed_sentences
from app.linking.encoder import Encoder, default_encoder
from app.linking.match import (
    LinkContext,
    LinkParams,
    build_context,
    decide,
    pair_features,
    pair_logits,
    story_features,
)

SHARED = Path("/work/shared")
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
RELATIVE = (0.0, 0.3, 0.5)
PAIR_C = 1.0
STORY_C = 0.3


def gold_labels(gold: dict, ctx: LinkContext) -> np.ndarray:
    """[n, k] gold matrix of the context's sentences (None rows for unscored ones)."""
    out = []
    for s in ctx.sentences:
        name, start, end = str(s.id).rsplit(":", 2)
        best, label = 0, "?"
        for g in gold["articles"][name]:
            overlap = min(int(end), g["end"]) - max(int(start), g["start"])
            if overlap > best:
                best, label = overlap, g["claims"]
        out.append(None if label == "?" else [k in label for k in ctx.claim_keys])
    return out


def fit_pair_model(ctx: LinkContext, labels, rows: np.ndarray, params: LinkParams) -> LinkParams:
    """Fit the same-language pair model on ``rows``, then the cross-language estimate of it."""
    same_f, cross_f, _ = pair_features(ctx)
    k = len(ctx.claim_keys)
    use = [i for i in rows if labels[i] is not None]
    x = same_f[use][:, :k].reshape(-1, same_f.shape[-1])
    y = np.array([labels[i] for i in use]).ravel()
    model = LogisticRegression(C=PAIR_C, max_iter=5000).fit(x, y)
    z = model.decision_function(x)
    xc = cross_f[use][:, :k].reshape(-1, cross_f.shape[-1])
    design = np.hstack([xc, np.ones((len(xc), 1))])
    *w, b = np.linalg.lstsq(design, z, rcond=None)[0]
    return replace(
        params,
        pair_weights=tuple(round(float(v), 3) for v in model.coef_[0]),
        pair_bias=round(float(model.intercept_[0]), 3),
        cross_weights=tuple(round(float(v), 3) for v in w),
        cross_bias=round(float(b), 3),
    )


def fit_story_model(ctx, labels, rows, pair_z, params: LinkParams) -> LinkParams:
    context, position = story_features(ctx, pair_z)
    use = [i for i in rows if labels[i] is not None]
    x = np.stack(
        [np.clip(pair_z[use], -9.2, 9.2).ravel(), context[use].ravel(), position[use].ravel()],
        axis=1,
    )
    y = np.array([labels[i] for i in use]).ravel()
    model = LogisticRegression(C=STORY_C, max_iter=5000).fit(x, y)
    a, b, c = (round(float(v), 3) for v in model.coef_[0])
    return replace(
        params, w_pair=a, w_context=b, w_position=c, bias=round(float(model.intercept_[0]), 3)
    )


def subset_gold(gold: dict, names: Sequence[str]) -> dict:
    return {**gold, "articles": {n: gold["articles"][n] for n in names}}


def cross_validate(
    gold_path: Path, claims_path: Path, seeds_dir: Path, encoder: Encoder, segmenter
) -> tuple[Scores, Scores, LinkParams, list[LinkParams]]:
    """Cross-validated scores, whole-set scores of the params fitted on everything, and params."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    names = sorted(gold["articles"])
    sentences, sources = seed_sentences(seeds_dir, names, segmenter)
    claims = load_claims(claims_path)
    ids = {c.key for c in claims}
    ctx = build_context(claims, sentences, encoder)
    labels = gold_labels(gold, ctx)
    arts = np.array([names.index(str(s.article)) for s in sentences])

    # Held-out pair log-odds of every article, from pair models fitted on the others.
    held_pair = np.zeros((len(sentences), len(claims)))
    pair_params = {}
    for a, name in enumerate(names):
        p = fit_pair_model(ctx, labels, np.flatnonzero(arts != a), LinkParams())
        pair_params[name] = p
        held_pair[arts == a] = pair_logits(ctx, p)[arts == a]

    def fit_all(train: Sequence[str], base: LinkParams) -> LinkParams:
        rows = np.flatnonzero(np.isin(arts, [names.index(t) for t in train]))
        p = fit_story_model(ctx, labels, rows, held_pair, base)
        sub = subset_gold(gold, train)
        best, best_key = p, None
        for t in THRESHOLDS:
            for r in RELATIVE:
                q = replace(p, threshold=t, relative=r)
                s = score(sub, predictions_from_links(sentences, decide(ctx, q), sources), ids)
                key = (round(s.f1, 4), s.linked_accuracy)
                if best_key is None or key > best_key:
                    best, best_key = q, key
        return best

    held_out: dict[str, list] = {}
    chosen = []
    for name in names:
        train = [t for t in names if t != name]
        p = fit_all(train, pair_params[name])
        chosen.append(p)
        held_out[name] = predictions_from_links(sentences, decide(ctx, p), sources)[name]
    cv = score(gold, held_out, ids)
    final = fit_all(names, fit_pair_model(ctx, labels, np.arange(len(sentences)), LinkParams()))
    whole = score(gold, predictions_from_links(sentences, decide(ctx, final), sources), ids)
    return cv, whole, final, chosen


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
    shown = ("w_pair", "w_context", "w_position", "bias", "threshold", "relative")
    for p in chosen:
        print("  fold params:", {n: getattr(p, n) for n in shown})  # noqa: T201
    print("fitted on all articles:", whole.summary())  # noqa: T201
    print("params:", best)  # noqa: T201


if __name__ == "__main__":
    main()

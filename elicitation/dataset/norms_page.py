"""The measured Table VI's outputs: table_vi.tsv, norms.json and one self-contained norms.html with the table
and one plot (each episode's selection rates, the one-third line drawn). Files 0600, the folder 0700.

table_vi.tsv: one row per episode and main emotion (the paper's layout), an episode without one as "/":
episode, labels, emotion, chose, participants, selection_rate, mean_score, score_n, declared, differs.
"""

from __future__ import annotations

import base64
import io
import json
import os
from pathlib import Path
from typing import Any

from elicitation.dataset.page import STYLE, e
from elicitation.folder import create_private_dir

TSV_COLUMNS = ("episode", "labels", "emotion", "chose", "participants", "selection_rate", "mean_score", "score_n",
               "declared", "differs")  # fmt: skip


def _main_cells(m: dict[str, Any] | None) -> dict[str, Any]:
    if m is None:
        return {"emotion": "/", "chose": "", "selection_rate": "", "mean_score": "", "score_n": ""}
    score = "" if m["mean_score"] is None else f"{m['mean_score']:.2f}"
    return {"emotion": m["emotion"], "chose": m["chose"], "selection_rate": f"{m['selection_rate']:.4f}",
            "mean_score": score, "score_n": m["score_n"]}  # fmt: skip


def tsv_rows(norms: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for r in norms["episodes"]:
        base = {"episode": r["episode"], "labels": ",".join(r["labels"]), "participants": r["participants"],
                "declared": ",".join(r["declared"]) or "/", "differs": "yes" if r["differs"] else "no"}  # fmt: skip
        rows += [base | _main_cells(m) for m in r["main"] or [None]]
    return rows


def plot(norms: dict[str, Any]) -> bytes:
    """Selection rate of each emotion per episode (main ones dark), the one-third line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    episodes = norms["episodes"]
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(episodes) + 2), 4))
    for i, r in enumerate(episodes):
        for m in r["emotions"]:
            ax.scatter(i, m["selection_rate"], color="#08519c" if m["main"] else "#bdbdbd", s=28, zorder=3)
            if m["main"]:
                ax.annotate(m["emotion"], (i, m["selection_rate"]), fontsize=7, xytext=(4, 2),
                            textcoords="offset points")  # fmt: skip
    ax.axhline(1 / 3, color="#cb181d", linestyle="--", linewidth=1, label="a third of the raters")
    ax.set_xticks(range(len(episodes)), [r["episode"] for r in episodes], rotation=45, ha="right", fontsize=8)
    ax.set(ylim=(0, 1.05), ylabel="rate of selection", title="Emotions chosen per episode (dark: main)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def _listing(title: str, items: list[str]) -> str:
    return f"<h2>{e(title)}</h2>" + ("<ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>"
                                     if items else "<p class='muted'>None.</p>")  # fmt: skip


def render(norms: dict[str, Any], png: bytes) -> str:
    head = "".join(f"<th>{e(c)}</th>" for c in TSV_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{e(r[c])}</td>" for c in TSV_COLUMNS) + "</tr>" for r in tsv_rows(norms))
    partial = [f"{s}: no rating of episode(s) {', '.join(eps)}" for s, eps in norms["partial_ratings"].items()]
    parts = [
        "<h1>Table VI: the stimuli as the participants rated them</h1>",
        f"<p>{e(norms['rule'])}. {norms['sessions']} session(s) with ratings.</p>",
        f"<table><tr>{head}</tr>{body}</table>",
        f"<img alt='selection rates' src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'>",
        _listing("Episodes whose measured main emotion differs from the protocol's declared one",
                 norms["differs_from_declared"]),
        _listing("Sessions without ratings.tsv", norms["missing_ratings"]),
        _listing("Sessions with a partial ratings.tsv", partial),
        _listing("Rows not read", norms["bad_rows"]),
        _listing("Participants counted once (later sessions left out)", norms["repeat_participants"]),
    ]  # fmt: skip
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Table VI</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>\n")  # fmt: skip


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o600)
    tmp.replace(path)  # derived data: rewriting is safe


def write_norms(out: Path, norms: dict[str, Any]) -> list[Path]:
    out = Path(out)
    create_private_dir(out)
    rows = tsv_rows(norms)
    tsv = "\t".join(TSV_COLUMNS) + "\n" + "".join("\t".join(str(r[c]) for c in TSV_COLUMNS) + "\n" for r in rows)
    paths = [out / "table_vi.tsv", out / "norms.json", out / "norms.html"]
    _write(paths[0], tsv.encode("utf-8"))
    _write(paths[1], (json.dumps(norms, indent=2) + "\n").encode("utf-8"))
    _write(paths[2], render(norms, plot(norms)).encode("utf-8"))
    return paths

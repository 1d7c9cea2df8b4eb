"""The baseline's results files: baseline.json, table_v.tsv, loso.tsv and one self-contained baseline.html.

Table V's cells are the mean recognition rate over the splits of a gallery size (correct / tested samples of
one split), with the standard deviation over splits (n - 1 in the denominator); LOSO's scores are pooled
over folds (scores.py). The page embeds its plot as base64 PNG, has no scripts and fetches nothing.
"""

from __future__ import annotations

import base64
import html
import io
import json
import platform
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.batch import atomic_write
from elicitation.recognition import lbptop, mpca, tensors
from elicitation.recognition.samples import RecognitionSample, Skipped
from elicitation.recognition.scores import DEFINITIONS, confusion, scores

STYLE = """body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f3f3f3}img{max-width:100%}.muted{color:#555}"""
METHODS = {"mpca_nn": "MPCA + nearest neighbour", "lbptop_svm": "LBP-TOP + linear SVM"}


def table_v(
    splits: list[dict[str, Any]], dims: tuple[int, ...], galleries: tuple[int, ...]
) -> dict[str, dict[str, Any]]:
    """{dim: {G_m: {mean, sd, splits}}} over the splits that ran."""
    table: dict[str, dict[str, Any]] = {}
    for dim in dims:
        row = {}
        for m in galleries:
            rates = [s["dims"][str(dim)]["rate"] for s in splits if s["m"] == m]
            if rates:
                row[f"G{m}"] = {
                    "mean": float(np.mean(rates)),
                    "sd": float(np.std(rates, ddof=1)) if len(rates) > 1 else None,
                    "splits": len(rates),
                }
        table[str(dim)] = row
    return table


def loso_scores(folds: list[dict[str, Any]], classes: tuple[str, ...]) -> dict[str, Any]:
    truth = [t for f in folds for t in f["truth"]]
    out = {}
    for method in METHODS:
        predicted = [p for f in folds for p in f[method]]
        matrix = confusion(truth, predicted, classes)
        out[method] = {**scores(matrix, classes), "confusion": matrix.tolist()}
    return out


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("casme-elicitation", "numpy", "scikit-learn", "scikit-image", "opencv-python", "dlib-bin", "dask"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def write_outputs(
    out: Path,
    options: Any,
    samples: list[RecognitionSample],
    skipped: list[Skipped],
    source: dict[str, Any],
    left_out: dict[int, str],
    results: dict[str, Any],
    failures: list[str],
    where: dict[str, str],
    faces: list[bool],
) -> dict[str, Any]:
    from elicitation.recognition.run import options_dict

    table = table_v(results["splits"], options.dims, options.galleries)
    loso = loso_scores(results["loso"], options.classes)
    summary = {
        "parameters": {
            **options_dict(options),
            "distance": "Euclidean (nearest neighbour, ties: first training sample)",
            "tensor": tensors.DEFINITION,
            "mpca": mpca.__doc__.strip().splitlines()[0],
            "mpca_psi_scale": "pixels 0..1",
            "lbptop": lbptop.DEFINITION,
        },
        "definitions": {"table_v": "mean over splits of correct/tested, SD over splits with n-1", **DEFINITIONS},
        "input": source,
        "class_counts": dict(Counter(s.label for s in samples)),
        "subjects": len({s.subject for s in samples}),
        "samples": [
            {"subject": s.subject, "name": s.name, "label": s.label, "pictures": len(s.pictures), "face_found": f}
            for s, f in zip(samples, faces, strict=True)
        ],
        "left_out_samples": [{"subject": s.subject, "name": s.name, "reason": s.reason} for s in skipped],
        "left_out_galleries": {f"G{m}": reason for m, reason in left_out.items()},
        "table_v": table,
        "loso": loso,
        "per_split": results["splits"],
        "per_fold": results["loso"],
        "failed_tasks": failures,
        "where": where,
        "versions": _versions(),
    }
    atomic_write(out / "baseline.json", json.dumps(summary, indent=1, sort_keys=True))
    galleries = [f"G{m}" for m in options.galleries if f"G{m}" not in summary["left_out_galleries"]]
    lines = ["dims\t" + "\t".join(f"{g}_mean\t{g}_sd" for g in galleries)]
    for dim, row in table.items():
        cells = [(f"{row[g]['mean']:.4f}", "" if row[g]["sd"] is None else f"{row[g]['sd']:.4f}") for g in galleries]
        lines.append(f"{dim}x{dim}x{dim}\t" + "\t".join(f"{a}\t{b}" for a, b in cells))
    atomic_write(out / "table_v.tsv", "\n".join(lines) + "\n")
    rows = ["method\tn\taccuracy\tUF1\tUAR"]
    rows += [f"{m}\t{s['n']}\t{_f(s['accuracy'])}\t{_f(s['UF1'])}\t{_f(s['UAR'])}" for m, s in loso.items()]
    atomic_write(out / "loso.tsv", "\n".join(rows) + "\n")
    atomic_write(out / "baseline.html", page(summary, options.classes, galleries))
    return summary


def _f(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _plot(table: dict[str, dict[str, Any]], galleries: list[str]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    dims = [int(d) for d in table]
    for g in galleries:
        ax.plot(dims, [table[str(d)][g]["mean"] for d in dims], marker="o", label=g.replace("G", "G_"))
    ax.set_xlabel("dimensionality P (P x P x P)")
    ax.set_ylabel("mean recognition rate")
    ax.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def page(summary: dict[str, Any], classes: tuple[str, ...], galleries: list[str]) -> str:
    e = html.escape
    table = summary["table_v"]
    head = "".join(f"<th>{e(g)}</th>" for g in galleries)
    body = "".join(
        f"<tr><th>{d}x{d}x{d}</th>"
        + "".join(
            f"<td>{row[g]['mean']:.4f}"
            + (f" <span class=muted>± {row[g]['sd']:.4f}</span>" if row[g]["sd"] else "")
            + "</td>"
            for g in galleries
        )
        + "</tr>"
        for d, row in table.items()
    )
    parts = [
        f"<h1>Recognition baseline</h1><p>{len(summary['samples'])} samples of {summary['subjects']} subjects: "
        + e(", ".join(f"{c} {n}" for c, n in summary["class_counts"].items()))
        + "</p>",
        f"<h2>Table V: MPCA + nearest neighbour, mean rate over splits (± SD)</h2><table><tr><th></th>{head}</tr>"
        f"{body}</table>",
    ]
    if galleries and table:
        parts.append(
            f"<img alt='recognition rate against dimensionality' src='data:image/png;base64,{_plot(table, galleries)}'>"
        )
    for g, reason in summary["left_out_galleries"].items():
        parts.append(f"<p>{e(g)} left out: {e(reason)}</p>")
    for method, s in summary["loso"].items():
        cells = "".join(
            f"<tr><th>{e(c)}</th>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
            for c, row in zip(classes, s["confusion"], strict=True)
        )
        parts.append(
            f"<h2>LOSO: {e(METHODS[method])}</h2><p>accuracy {_f(s['accuracy'])}, UF1 {_f(s['UF1'])}, "
            f"UAR {_f(s['UAR'])} over {s['n']} predictions</p><table><tr><th>true \\ predicted</th>"
            + "".join(f"<th>{e(c)}</th>" for c in classes)
            + f"</tr>{cells}</table>"
        )
    if summary["left_out_samples"]:
        parts.append(
            "<h2>Samples left out</h2><ul>"
            + "".join(
                f"<li>sub{e(s['subject'])} {e(s['name'])}: {e(s['reason'])}</li>" for s in summary["left_out_samples"]
            )
            + "</ul>"
        )
    parts.append(
        "<h2>Definitions</h2><ul>"
        + "".join(f"<li><b>{e(k)}</b>: {e(str(v))}</li>" for k, v in summary["definitions"].items())
        + "</ul>"
    )
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Recognition baseline</title>"
        f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>"
    )

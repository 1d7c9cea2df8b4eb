"""`elicit import-footage` and `elicit import-footage-labels`: footage from elsewhere (a lab's earlier
recordings, another lab's, a released database's long videos) as sessions, and the long-video label sheets
as their final codes."""

from __future__ import annotations

from pathlib import Path

import typer

from elicitation.cli.console import err, out
from elicitation.cli.exits import exits


@exits
def import_footage_command(
    source: Path = typer.Argument(
        ..., help="A video file (any container and codec PyAV reads) or a folder of numbered pictures (then --fps)."
    ),  # fmt: skip
    participant: str = typer.Option(..., "--participant", help="Pseudonym: letters and digits, at most 16."),
    data: Path = typer.Option(..., "--out", help="The data folder; the session becomes DATA/sub-<ID>/ses-<N>."),
    fps: float = typer.Option(
        None,
        "--fps",
        help="Frame rate: needed for pictures; for a video it replaces the "
        "container's timestamps (time = index / fps).",
    ),  # fmt: skip
    episodes: list[str] = typer.Option(
        None,
        "--episodes",
        help="LABEL:START_S:END_S, repeatable: one episode "
        "file per range (seconds from the first frame). Default: one episode 01.",
    ),
    camera: str = typer.Option("footage", "--camera", help="Camera name in the session (file names)."),
    video: str = typer.Option(
        None, "--video", help="The video's name in label sheets (default: the source's name without its suffix)."
    ),  # fmt: skip
) -> None:
    """Import footage as a session folder the workbench, `spot`, `dataset build` and `report` read."""
    from elicitation.footage import import_footage

    session = import_footage(source, data, participant, camera=camera, fps=fps, episodes=episodes or None,
                             video=video)  # fmt: skip
    import json

    meta = json.loads((session / "session.json").read_text(encoding="utf-8"))
    imp = meta["imported"]
    measured = f"{imp['fps_measured']:.3f}" if imp["fps_measured"] else "n/a"
    declared = f"{imp['fps_declared']:.3f}" if imp["fps_declared"] else "n/a"
    out.print(f"{imp['source']}: {imp['frames']} frames ({imp['codec']}, {imp['width']}x{imp['height']}, fps "
              f"declared {declared}, measured {measured}); {imp['frames_stored']} stored in "
              f"{len(meta['episodes'])} episode(s) -> {session}", highlight=False)  # fmt: skip


@exits
def import_labels_command(
    sheet: Path = typer.Argument(..., help="The long-video label sheet (.xlsx or .csv)."),
    data: Path = typer.Argument(..., help="The data folder holding the imported sessions."),
    layout: str = typer.Option(..., "--layout", help="Sheet layout: casme2 (CAS(ME)^2) or samm (SAMM long videos)."),
) -> None:
    """Read a CAS(ME)^2 or SAMM long-video sheet into the imported sessions' coding/final.tsv."""
    from elicitation.footage import import_sheet

    written, issues = import_sheet(sheet, layout, data)
    for issue in issues:
        err.print(str(issue), highlight=False, markup=False)
    for session, count in sorted(written.items()):
        out.print(f"{count} event(s) -> {session / 'coding' / 'final.tsv'}", highlight=False)
    out.print(f"{sum(written.values())} event(s) in {len(written)} session(s); {len(issues)} row problem(s) "
              "reported (coding/sheet.json)", highlight=False)  # fmt: skip


__all__ = ["import_footage_command", "import_labels_command"]

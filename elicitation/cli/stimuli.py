"""`elicit stimuli verify PROTOCOL` and `elicit stimuli demo`."""

from __future__ import annotations

from pathlib import Path

import typer

from elicitation.cli.console import out
from elicitation.cli.exits import exits
from elicitation.errors import CheckFailed
from hardware.strict_yaml import load_yaml

app = typer.Typer(help="The clips a protocol shows: verify the lab's files, generate the demo clips.",
                  no_args_is_help=True)  # fmt: skip


@app.command()
@exits
def verify(
    protocol: Path = typer.Argument(..., help="A protocol (or a stimulus manifest) file."),
    quick: bool = typer.Option(False, "--quick", help="Read headers only; do not decode every frame."),
) -> None:
    """Check every clip exists, decodes and matches its manifest (duration, size, fps, sha256)."""
    from elicitation.protocol import load_protocol
    from stimuli.manifest import load_manifest
    from stimuli.verify import results_table, verify_clips

    if "clips" in load_yaml(protocol):  # a manifest: check all its clips
        manifest = load_manifest(protocol)
        clips, title = list(manifest.clips.values()), f"Manifest {manifest.name} ({manifest.directory})"
    else:
        loaded = load_protocol(protocol)
        clips = [e.clip for e in loaded.episodes]
        title = f"Clips of protocol {loaded.name} ({loaded.manifest.directory})"
    results = verify_clips(clips, decode=not quick)
    out.print(results_table(results, title))
    bad = [r.clip for r in results if not r.ok]
    if bad:
        raise CheckFailed(f"{len(bad)} of {len(results)} clip(s) failed: {', '.join(bad)}")
    out.print(f"[green]all {len(results)} clips OK[/]")


@app.command()
@exits
def demo(force: bool = typer.Option(False, "--force", help="Make the clips again even if they exist.")) -> None:
    """Generate the demo clips of stimuli/demo.yaml (pattern, tone, label) with the bundled ffmpeg."""
    from stimuli import demo as demo_clips

    for path in demo_clips.generate(force=force):
        out.print(f"{path}", highlight=False)


__all__ = ["app"]

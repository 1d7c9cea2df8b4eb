"""`elicit run` (a session) and `elicit demo` (the demo session on the simulated rig).

Exit codes (elicitation.cli.exits): 0 the session completed; 1 a preflight check failed or the
experimenter aborted; 2 bad input (participant ID, --out, protocol or rig file); 3 a camera failed;
130 interrupted (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

from pathlib import Path

import typer

from elicitation.cli.console import out
from elicitation.cli.exits import exits
from elicitation.session import SessionOptions, run_session

REPO = Path(__file__).resolve().parents[2]
NO_DASHBOARD_HELP = "No live dashboard in the browser."
DASHBOARD_HOST_HELP = (
    "Serve the dashboard on this address (e.g. 0.0.0.0 for the lab network; a warning says so). "
    "Default: this computer only."
)
NO_OPEN_HELP = "Print the dashboard's link but never open a browser."
DEMO_PROTOCOL = REPO / "protocols" / "demo.yaml"


@exits
def run(
    protocol: Path = typer.Argument(..., help="Protocol file, e.g. protocols/casme.yaml."),
    participant: str = typer.Option(..., "--participant", help="Pseudonym: letters and digits, at most 16."),
    session: int = typer.Option(1, "--session", help="Session number (ses-N)."),
    rig: str = typer.Option(..., "--rig", help="Rig file, or the name of a shipped rig such as 'sim'."),
    data: Path = typer.Option(..., "--out", help="Data folder; the session goes to DATA/sub-ID/ses-N/."),
    autopilot: bool = typer.Option(False, "--autopilot", help="Answer every prompt automatically (seeded)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the autopilot."),
    resume: bool = typer.Option(
        False, "--resume", help="Continue an interrupted session at its first unfinished episode."
    ),
    windowed: bool = typer.Option(False, "--windowed", help="A window instead of the full screen."),
    screenshots: Path = typer.Option(None, "--screenshots", help="Save one PNG of each distinct screen here."),
    allow_no_audio: bool = typer.Option(
        False, "--allow-no-audio", help="Run clips with sound on a machine without a sound output."
    ),
    no_dashboard: bool = typer.Option(False, "--no-dashboard", help=NO_DASHBOARD_HELP),
    dashboard_host: str = typer.Option("127.0.0.1", "--dashboard-host", help=DASHBOARD_HOST_HELP),
    no_open: bool = typer.Option(False, "--no-open", help=NO_OPEN_HELP),
    age: int | None = typer.Option(None, "--age", help="Check-in: the participant's age (participants.tsv)."),
    sex: str | None = typer.Option(None, "--sex", help="Check-in: female, male or other (participants.tsv)."),
    consent: str | None = typer.Option(None, "--consent", help="Check-in: consent scope, a comma list of research, "
                                       "publication, release (participants.tsv)."),  # fmt: skip
) -> None:
    """Run the elicitation session of a protocol while every camera of the rig records.

    The live dashboard's link (with its token) is printed at the start; it shows every camera and
    the session, and its buttons act as the experimenter's keys.
    """
    opts = SessionOptions(
        protocol=protocol, participant=participant, session=session, rig=rig, data=data, autopilot=autopilot,
        seed=seed, resume=resume, windowed=windowed, screenshots=screenshots, allow_no_audio=allow_no_audio,
        dashboard=not no_dashboard, dashboard_host=dashboard_host, open_dashboard=not no_open,
    )  # fmt: skip
    from elicitation.folder import check_in, check_participant, session_path
    from elicitation.session.preflight import refuse_files_on_the_way

    refuse_files_on_the_way(session_path(data, participant, session))  # before check-in writes participants.tsv
    out.print(f"participant {participant}: {check_in(data, check_participant(participant), age, sex, consent)}",
              highlight=False)  # fmt: skip
    result = run_session(opts, out)
    raise typer.Exit(result.exit_code)


def next_session(data: Path, participant: str) -> int:
    n = 1
    while (data / f"sub-{participant}" / f"ses-{n}").exists():
        n += 1
    return n


def demo_rig(given: str | None) -> str:
    """The demo's rig: the real face when its clip is in the cache (`bash .ci/install` puts it there), else
    the astronaut photograph."""
    if given:
        return given
    from hardware.cameras.sim.face_video import REAL_FACES, real_face_cache

    if (real_face_cache() / REAL_FACES["pexels-crying-laughing"]).is_file():
        return "sim-real-face"
    out.print("no real-face clip in the cache (`bash .ci/install` fetches it): the demo shows a photograph")
    return "sim"


@exits
def demo(
    data: Path = typer.Option(Path("demo-data"), "--out", help="Data folder for the demo session."),
    screenshots: Path = typer.Option(None, "--screenshots", help="Save one PNG of each distinct screen here."),
    seed: int = typer.Option(0, "--seed", help="Seed of the autopilot."),
    no_dashboard: bool = typer.Option(False, "--no-dashboard", help=NO_DASHBOARD_HELP),
    dashboard_host: str = typer.Option("127.0.0.1", "--dashboard-host", help=DASHBOARD_HOST_HELP),
    no_open: bool = typer.Option(False, "--no-open", help=NO_OPEN_HELP),
    rig: str | None = typer.Option(None, "--rig", help="Default: sim-real-face (a real face) when its clip is "
                                   "in the cache, else sim (a photograph)."),
) -> None:
    """The demo: generated clips, the simulated rig, the autopilot, in a window (about a minute).

    On a machine without a display run it as `xvfb-run -a elicit demo`.
    """
    from stimuli import demo as demo_clips

    missing = demo_clips.missing()
    if missing:
        out.print(f"generating {len(missing)} demo clip(s) with the bundled ffmpeg ...")
        demo_clips.generate()
    participant = "demo"
    opts = SessionOptions(
        protocol=DEMO_PROTOCOL, participant=participant, session=next_session(data, participant), rig=demo_rig(rig),
        data=data, autopilot=True, seed=seed, windowed=True, screenshots=screenshots,
        dashboard=not no_dashboard, dashboard_host=dashboard_host, open_dashboard=not no_open,
    )  # fmt: skip
    result = run_session(opts, out)
    if (result.folder / "session.json").is_file():
        from elicitation.report import write_report

        out.print(f"report: {write_report(result.folder)}", highlight=False)
    if result.exit_code == 0:
        out.print(f"[green]demo complete[/]: the session is in {result.folder}", highlight=False)
        out.print("  session.json  events.tsv  ratings.tsv  review.tsv  report.html  session.log  "
                  "video/<camera>_ep<NN>.mkv + frames.tsv")  # fmt: skip
    raise typer.Exit(result.exit_code)


__all__ = ["demo", "run"]

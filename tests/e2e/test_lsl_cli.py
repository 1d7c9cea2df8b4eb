"""`elicit lsl list`: the streams on the network, found with real liblsl on loopback."""

from __future__ import annotations

import json

from tests.conftest import run_elicit
from tests.hardware.lsl.outlets import MarkerSender, SineOutlet, unique


def test_lsl_list_shows_a_visible_stream_with_its_type_rate_and_source():
    name = unique("listed")
    sine = SineOutlet(name).start()
    try:
        table = run_elicit("lsl", "list", "--wait", "1.0")
        listed = run_elicit("lsl", "list", "--wait", "1.0", "--json")
    finally:
        sine.stop()
    assert table.returncode == 0, table.stderr
    line = next(line for line in table.stdout.splitlines() if name in line)
    assert "EXG" in line and "200 Hz" in line and "float32" in line and f"test-src-{name}" in line
    entry = next(s for s in json.loads(listed.stdout) if s["name"] == name)
    assert entry["channels"] == 2 and entry["nominal_srate"] == 200


def test_lsl_list_does_not_show_a_stream_that_is_gone_and_refuses_a_bad_wait():
    name = unique("gone")
    sender = MarkerSender(name)
    del sender
    result = run_elicit("lsl", "list", "--wait", "0.6")
    assert result.returncode == 0 and name not in result.stdout
    bad = run_elicit("lsl", "list", "--wait", "-1")
    assert bad.returncode == 2 and "--wait must be more than 0" in bad.stderr

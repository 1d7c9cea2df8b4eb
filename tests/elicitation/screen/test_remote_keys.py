"""The dashboard's buttons reach the frame loop as keys: stamped on the clock when pressed, handed out once."""

from __future__ import annotations

import threading

from elicitation.screen import RemoteKeys
from hardware import clock


def test_presses_from_another_thread_come_out_once_in_order_with_their_source_and_time():
    remote = RemoteKeys()
    before = clock.now()
    workers = [threading.Thread(target=remote.press, args=(name,)) for name in ("space", "p")]
    for w in workers:
        w.start()
        w.join()
    after = clock.now()
    keys = remote.due(after)
    assert [k.name for k in keys] == ["space", "p"]
    assert all(k.source == "dashboard" and before <= k.t <= after for k in keys)
    assert keys[0].t <= keys[1].t
    assert remote.due(clock.now()) == []

// The player's keys and start: each action of elicitation/workbench/keys.py bound to its (configurable) key.
// Letters are matched whatever the case (Shift or Caps Lock); Shift+ is part of a key name only for the
// non-letter keys (Shift+ArrowRight). Page keys work whatever has focus, except while typing in a text
// field; a focused list (the emotion, the kind) takes no arrow: the page does. Escape leaves any field.
// Ctrl+Z (Cmd+Z) undoes too, outside text fields (there it is the field's own undo).
"use strict";
(() => {
  const WB = window.WB, $ = WB.$, s = WB.s;

  function step(by) {
    WB.cancelPending(); WB.stopPlay();
    s.index = Math.max(0, Math.min(WB.frameCount() - 1, s.index + by)); WB.show();
  }
  function jump(text) {
    const value = text.trim(), primary = s.primary;
    const clock = /^(\d+(?:\.\d+)?)\s*s$/.exec(value);
    if (clock) {
      const t = parseFloat(clock[1]), times = s.data.frames[primary].host_time;
      const half = times.length > 1 ? (times[1] - times[0]) / 2 : 0.01;
      if (t < times[0] - half || t > times[times.length - 1] + half) {
        WB.message(`clock time ${t} s is outside this episode on ${primary} (${times[0].toFixed(3)}–${times[times.length - 1].toFixed(3)} s)`);
        return;
      }
      WB.cancelPending(); WB.stopPlay(); s.index = WB.nearest(primary, t); WB.show(); return;
    }
    if (!/^\d+$/.test(value)) { WB.message(`jump: give a frame number (1234) or a clock time (11196.6s), not "${value}"`); return; }
    const i = s.data.frames[primary].frame.indexOf(parseInt(value, 10));
    if (i < 0) { WB.message(`frame ${value} is not in this episode on ${primary}`); return; }
    WB.cancelPending(); WB.stopPlay(); s.index = i; WB.show();
  }
  function nextCandidate() {
    const spotting = s.data.timeline.spotting, here = s.data.frames[s.primary].frame[s.index];
    const c = spotting.find((x) => x.camera === s.primary && x.onset > here) || spotting.find((x) => x.camera === s.primary);
    if (!c) { WB.message(`no spotting candidates on ${s.primary}`); return; }
    WB.stopPlay(); WB.clearForm();
    s.form = { camera: c.camera, onset: c.onset, apex: c.apex, apex2: null, offset: c.offset };
    s.index = Math.max(0, s.data.frames[s.primary].frame.indexOf(c.onset));
    WB.message(`spotting candidate ${c.onset}-${c.offset} (score ${c.score}) in the form: check it, then save`, true);
    WB.renderForm(); WB.show();
  }
  function switchCamera(camera) {
    WB.stopPlay();
    const t = WB.now();
    s.primary = camera || WB.config.cameras[(WB.config.cameras.indexOf(s.primary) + 1) % WB.config.cameras.length];
    $("camera").value = s.primary;
    s.index = WB.nearest(s.primary, t); WB.show();
  }

  const actions = {
    next: () => step(1), prev: () => step(-1), next10: () => step(10), prev10: () => step(-10),
    play: () => WB.play(1), half: () => WB.play(0.5), jump: () => { $("jump").value = ""; $("jump").focus(); },
    onset: () => WB.setPoint("onset"), apex: () => WB.setPoint("apex"), apex2: () => WB.setPoint("apex2"),
    offset: () => WB.setPoint("offset"), save: () => WB.save(), new: () => WB.clearForm(), camera: () => switchCamera(),
    candidate: () => nextCandidate(), view: () => { WB.stopPlay(); s.single = !s.single; WB.show(); },
    zoom: () => { WB.stopPlay(); WB.cycleZoom(); }, zoom_in: () => WB.zoomTimeline(0.5), zoom_out: () => WB.zoomTimeline(2),
    undo: () => WB.undo(),
  };
  const measured = new Set(["next", "prev", "next10", "prev10"]);  // key-to-picture times (pictures.js)
  const keyName = (key, shift) => {
    if (key.length === 1 && key.toLowerCase() !== key.toUpperCase()) return key.toLowerCase();
    return (shift && key.length > 1 ? "Shift+" : "") + key;
  };
  const byKey = Object.fromEntries(Object.entries(WB.config.keys).map(([action, key]) => {
    const shifted = key.startsWith("Shift+");
    return [keyName(shifted ? key.slice(6) : key, shifted), action];
  }));
  document.addEventListener("keydown", (event) => {
    if (s.data === null) return;
    const target = event.target;
    const typing = target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "button"));
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z" && !event.shiftKey && !typing) {
      event.preventDefault(); WB.undo(); return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const action = byKey[keyName(event.key, event.shiftKey)];
    if (event.key === "Escape" && target && target !== document.body) { target.blur(); return; }
    if (typing) {
      if (event.key === "Enter" && target.id === "jump") {
        event.preventDefault(); WB.keyMark = { action: "jump", t0: event.timeStamp }; jump(target.value); target.blur();
      } else if (event.key === "Enter" && action === "save") { event.preventDefault(); target.blur(); WB.save(); }
      return;
    }
    if (target && target.tagName === "SELECT" && event.key === "Enter" && action === "save") { target.blur(); }
    if (action) {
      event.preventDefault();
      if (target && target.tagName === "SELECT") target.blur();
      if (measured.has(action)) WB.keyMark = { action: action.endsWith("10") ? "step10" : "step", t0: event.timeStamp };
      actions[action]();
    }
  });
  $("go").onclick = () => jump($("jump").value);
  $("save").onclick = WB.save; $("new").onclick = WB.clearForm; $("delete").onclick = WB.remove; $("done").onclick = WB.done;
  $("clear-apex2").onclick = () => { s.form.apex2 = null; WB.renderForm(); };
  $("f-aus").oninput = WB.checkAus;
  $("camera").onchange = (event) => switchCamera(event.target.value);
  WB.refresh().then(() => WB.renderForm());
})();

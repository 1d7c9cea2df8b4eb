// The timeline under the player: the episode's marks (clip, flags, face lost, penalties, spotting), your
// events and the form's points, the other coders' events once both coders marked the episode done (outlined,
// labelled with the coder's id, read-only), and a ruler of clock seconds. Zoom (+ / - or the mouse wheel)
// from the whole episode down to single frames: at the deepest zoom each frame of the coded camera is a
// tick MIN_FRAME_PX or more apart. What was drawn is kept in window.__timeline (for the tests).
"use strict";
(() => {
  const WB = window.WB, $ = WB.$, s = WB.s;
  const MAX_ZOOM_FRAMES = 24;  // frames across the whole width at the deepest zoom
  const MIN_FRAME_PX = 6;      // frame ticks are drawn from this spacing on
  const STEPS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300];
  const ROW = { clip: 2, flag: 14, lost: 26, spot: 38, ev: 50, others: 64, ruler: 98 };
  const OTHER = "#f0883e";
  let view = null;  // [a, b] clock seconds shown; null: the whole episode

  const full = () => [s.data.timeline.start, Math.max(s.data.timeline.end, s.data.timeline.start + 1e-3)];
  function current() {
    const [a0, b0] = full();
    if (!view) return [a0, b0];
    let [a, b] = view;
    const t = WB.now(), span = b - a;
    if (t < a || t > b) { a = t - span / 2; b = t + span / 2; }  // keep the current frame in view
    if (a < a0) { b += a0 - a; a = a0; }
    if (b > b0) { a -= b - b0; b = b0; }
    view = [Math.max(a, a0), b];
    return view;
  }
  // zoom by `factor` (<1: in) about clock time `at`, between the whole episode and MAX_ZOOM_FRAMES frames
  WB.zoomTimeline = (factor, at) => {
    const [a0, b0] = full(), [a, b] = current();
    const least = MAX_ZOOM_FRAMES * WB.period(s.primary);
    const span = Math.min(b0 - a0, Math.max(least, (b - a) * factor));
    if (span >= b0 - a0) view = null;
    else { const t = at ?? WB.now(), left = t - ((t - a) / (b - a)) * span; view = [left, left + span]; }
    WB.drawTimeline();
  };

  function label(t, step) {
    const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
    return `${t.toFixed(digits)} s`;
  }

  WB.drawTimeline = () => {
    const canvas = $("timeline"), g = canvas.getContext("2d"), tl = s.data.timeline;
    const cssW = Math.round(canvas.clientWidth || 960);  // drawn in CSS pixels (the canvas's height is fixed)
    if (canvas.width !== cssW) canvas.width = cssW;
    const w = canvas.width, h = canvas.height, [a, b] = current(), span = b - a;
    const x = (t) => ((t - a) / span) * w;
    const drawn = { view: [a, b], seconds: [], frameTicks: 0, framePx: 0, others: [] };
    const band = (t0, t1, y, height, colour) => { g.fillStyle = colour; g.fillRect(x(t0), y, Math.max(2, x(t1) - x(t0)), height); };
    g.clearRect(0, 0, w, h);
    if (tl.clip) band(tl.clip.onset, tl.clip.offset, ROW.clip, 10, "#1f6feb");
    for (const f of tl.flags) band(f.start, f.end, ROW.flag, 10, "#d29922");
    for (const f of tl.face_lost) band(f.start, f.end, ROW.lost, 10, "#f85149");
    for (const t of tl.penalties) band(t, t, ROW.clip, 34, "#ffffff");
    const timeOf = (camera, frame) => { const f = s.data.frames[camera]; const i = f.frame.indexOf(frame); return i < 0 ? null : f.host_time[i]; };
    for (const c of tl.spotting) { const t0 = timeOf(c.camera, c.onset), t1 = timeOf(c.camera, c.offset); if (t0 !== null && t1 !== null) band(t0, t1, ROW.spot, 10, "#a371f7"); }
    for (const e of s.data.events) { const r = e.frames[e.camera]; if (r && r.onset && r.offset) band(r.onset.host_time, r.offset.host_time, ROW.ev + 2, 10, e.event_id === s.editing ? "#7ee787" : "#3fb950"); }
    for (const p of WB.POINTS) { if (s.form[p] !== null && s.form.camera) { const t = timeOf(s.form.camera, s.form[p]); if (t !== null) band(t, t, ROW.ev, 14, "#7ee787"); } }
    // the other coders' events: outlined and dashed, one row per coder, its id written at the left
    const coders = Object.keys(s.data.others.shown), rowH = Math.min(14, 30 / Math.max(1, coders.length));
    g.font = "10px ui-monospace, monospace";
    coders.forEach((coder, k) => {
      const y = ROW.others + k * rowH;
      g.setLineDash([4, 3]); g.strokeStyle = OTHER; g.fillStyle = OTHER;
      for (const e of s.data.others.shown[coder]) {
        const r = e.frames[e.camera];
        if (!r || !r.onset || !r.offset) continue;
        const x0 = x(r.onset.host_time), x1 = Math.max(x0 + 2, x(r.offset.host_time));
        g.strokeRect(x0, y + 1, x1 - x0, rowH - 3);
        drawn.others.push({ coder, event_id: e.event_id, onset: e.onset, offset: e.offset, x0, x1 });
      }
      g.setLineDash([]);
      g.fillText(coder, 3, y + rowH - 3);
    });
    // the ruler: clock seconds, labelled ticks at least ~70 px apart, and each frame a tick when they fit
    const pxPerS = w / span, step = STEPS.find((v) => v * pxPerS >= 70) || STEPS[STEPS.length - 1];
    g.fillStyle = "#8b949e"; g.fillRect(0, ROW.ruler, w, 1);
    for (let t = Math.ceil(a / step) * step; t <= b; t += step) {
      const tx = x(t), whole = Math.abs(t - Math.round(t)) < 1e-6;
      g.fillStyle = "#c9d1d9"; g.fillRect(tx, ROW.ruler, 1, whole ? 12 : 8);
      g.fillText(label(t, step), tx + 2, h - 2);
      drawn.seconds.push(Number(t.toFixed(6)));
    }
    const times = s.data.frames[s.primary].host_time, framePx = WB.period(s.primary) * pxPerS;
    drawn.framePx = framePx;
    if (framePx >= MIN_FRAME_PX) {
      g.fillStyle = "#58a6ff";
      for (let i = Math.max(0, WB.atOrBefore(s.primary, a)); i < times.length && times[i] <= b; i++) {
        if (times[i] >= a) { g.fillRect(x(times[i]), ROW.ruler - 6, 1, 6); drawn.frameTicks += 1; }
      }
    }
    g.fillStyle = "#e8e8e8"; g.fillRect(x(WB.now()) - 1, 0, 2, ROW.ruler);
    canvas.dataset.view = `${a.toFixed(6)},${b.toFixed(6)}`;
    window.__timeline = drawn;
  };

  const timeAt = (event) => {
    const rect = $("timeline").getBoundingClientRect(), [a, b] = current();
    return a + ((event.clientX - rect.left) / rect.width) * (b - a);
  };
  $("timeline").addEventListener("click", (event) => {
    WB.cancelPending(); WB.stopPlay();
    s.index = WB.nearest(s.primary, timeAt(event)); WB.show();
  });
  $("timeline").addEventListener("wheel", (event) => {
    event.preventDefault();
    WB.zoomTimeline(event.deltaY < 0 ? 0.5 : 2, timeAt(event));
  }, { passive: false });
})();

// The player's shared state and helpers (window.WB); the other files of the player add their parts to it:
// pictures.js (still pictures), playback.js (real-time play), timeline.js, form.js, workbench.js (keys).
// The frame numbers stored are always those of the picture on screen (shownFrame in pictures.js).
"use strict";
window.WB = (() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const $ = (id) => document.getElementById(id);
  const WB = {
    config, $,
    api: `/api/s/${config.session}/e/${encodeURIComponent(config.episode)}`,
    POINTS: ["onset", "apex", "apex2", "offset"],
    ZOOMS: [1, 2, 4],
    // data: the episode's JSON; index: the coded camera's frame (its position in data.frames[primary])
    s: { data: null, primary: config.cameras[0], index: 0, editing: null, single: false, zoom: {}, faces: {},
      form: { camera: null, onset: null, apex: null, apex2: null, offset: null } },
    playing: null,  // playback.js: the play in progress, or null
  };
  WB.message = (text, ok) => { const m = $("message"); m.textContent = text; m.className = ok ? "ok" : "bad"; };
  // the position of the frame of `camera` nearest to clock time t (seconds)
  WB.nearest = (camera, t) => {
    const times = WB.s.data.frames[camera].host_time;
    let lo = 0, hi = times.length - 1;
    if (hi < 0) return -1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] < t) lo = mid + 1; else hi = mid; }
    return lo > 0 && Math.abs(times[lo - 1] - t) <= Math.abs(times[lo] - t) ? lo - 1 : lo;
  };
  // the position of the last frame of `camera` recorded at or before t (-1: none)
  WB.atOrBefore = (camera, t) => {
    const times = WB.s.data.frames[camera].host_time;
    let lo = 0, hi = times.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] <= t) lo = mid + 1; else hi = mid; }
    return lo - 1;
  };
  // a camera's frame period (s): the median gap of its clock times, as recorded (not a nominal rate)
  WB.period = (camera) => {
    const times = WB.s.data.frames[camera].host_time;
    if (times.length < 2) return 1 / 60;
    const gaps = [];
    for (let i = 1; i < times.length; i += Math.max(1, Math.floor(times.length / 200))) gaps.push(times[i] - times[i - 1]);
    gaps.sort((a, b) => a - b);
    return gaps[gaps.length >> 1] || 1 / 60;
  };
  WB.now = () => WB.s.data.frames[WB.s.primary].host_time[WB.s.index];
  WB.frameCount = () => WB.s.data.frames[WB.s.primary].frame.length;
  return WB;
})();

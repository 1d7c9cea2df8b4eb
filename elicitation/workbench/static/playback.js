// Real-time play (SPACE, H at half speed). Each shown camera is fetched ahead in runs of consecutive frames
// (one request returns a run of JPEGs: /s/N/frames/...), decoded ahead off the main thread
// (createImageBitmap) into a buffer, and painted on a canvas over the card on each animation frame: the frame
// whose recorded clock time (frames.tsv host_time) the play clock has reached, so frames are shown at their
// recorded times and durations. When a frame is not ready in time the clock goes on and the frame is counted
// as skipped, shown in the status line: never a silent slow motion. The other cameras are shown at about
// OTHER_FPS. Pausing stops on the frame painted last: the index, the caption and a point key take that frame.
// Measured: window.__playStats (pictures painted per second, frames skipped, the frames painted in order).
"use strict";
(() => {
  const WB = window.WB, $ = WB.$, s = WB.s;
  const AHEAD_S = 0.7;     // clock seconds decoded ahead of the play clock
  const RUN_S = 0.25;      // clock seconds of frames per request
  const MAX_RUN = 60;      // elicitation.workbench.pictures.PLAY_BATCH_MAX
  const OTHER_FPS = 15;    // the other cameras while playing
  const LAG_PERIODS = 1.5; // behind the clock by more than this: jump to the frame due (the rest are skipped)
  const KEEP_FRAMES = 20000;
  const RETRY_MS = 1000;   // after a refused or failed request
  const MAX_STRIDE = 4;    // the coded camera is shown at a quarter of its rate at worst (then it skips)
  let playId = 0;
  WB.lastPlay = null;

  function stream(camera, t0, isPrimary) {
    const period = WB.period(camera);
    const stride = isPrimary ? 1 : Math.max(1, Math.round(1 / (period * OTHER_FPS)));
    const start = isPrimary ? s.index : Math.max(0, WB.nearest(camera, t0));
    const img = $(`img-${camera}`);
    const width = Math.round((img.hidden ? $(`play-${camera}`) : img).clientWidth * (window.devicePixelRatio || 1));
    return { camera, f: s.data.frames[camera], isPrimary, period, stride, start, next: start, busy: false,
      buf: new Map(), last: -1, width, zoom: s.zoom[camera] || 1, retryAt: 0 };
  }

  // Keep `st` fetched AHEAD_S ahead of the clock; one request in flight per camera, the next one sent as soon
  // as a run's bytes are in (its pictures decode meanwhile), so the server and the page work at once.
  async function fill(p, st, clockIndex) {
    const n = st.f.frame.length;
    if (st.busy || st.next >= n || performance.now() < st.retryAt) return;
    if (st.next < clockIndex) st.next = clockIndex;  // fell behind the clock: what is past is skipped anyway
    const ahead = Math.ceil((AHEAD_S * p.speed) / st.period);
    if (st.next - Math.max(clockIndex, st.last, st.start) > ahead) return;
    const count = Math.max(1, Math.min(MAX_RUN, Math.ceil((RUN_S * p.speed) / (st.period * st.stride)),
      Math.ceil((n - st.next) / st.stride)));
    const from = st.next;
    st.busy = true;
    const url = `/s/${WB.config.session}/frames/${encodeURIComponent(st.camera)}/${st.f.frame[from]}` +
      `?count=${count}&stride=${st.stride}&width=${st.width}&zoom=${st.zoom}`;
    let frames, sizes, bytes;
    const asked = performance.now();
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || `${response.status}`);
      frames = response.headers.get("X-Frames").split(",").map(Number);
      sizes = response.headers.get("X-Sizes").split(",").map(Number);
      bytes = await response.arrayBuffer();
    } catch (error) {
      WB.message(`play: ${st.camera}: ${error.message}`);
      st.retryAt = performance.now() + RETRY_MS;  // said on screen; asked again a little later, not 60 times a second
      st.busy = false;
      return;
    }
    if (p.id !== playId) return;
    st.next = from + frames.length * st.stride;
    st.busy = false;
    adapt(p, st, frames.length * st.stride, performance.now() - asked);
    let at = 0;
    const bitmaps = await Promise.all(sizes.map((size) => {
      const blob = new Blob([bytes.slice(at, at + size)], { type: "image/jpeg" });
      at += size;
      return createImageBitmap(blob);
    }));
    if (p.id !== playId) { bitmaps.forEach((b) => b.close()); return; }
    frames.forEach((frame, k) => {
      let i = from + k * st.stride;
      if (st.f.frame[i] !== frame) i = st.f.frame.indexOf(frame);
      if (i > st.last) st.buf.set(i, { frame, bitmap: bitmaps[k] }); else bitmaps[k].close();
    });
  }

  // The coded camera's pictures come at the rate the server and the page deliver them: when that is below the
  // clock's need, every 2nd (3rd, 4th) frame is fetched so the pictures shown stay evenly spaced in time;
  // the frames left out are counted as skipped and the status line says so.
  function adapt(p, st, clockFrames, ms) {
    if (!st.isPrimary || ms <= 0) return;
    const rate = (clockFrames * 1000) / ms, need = (p.speed / st.period) * 1.15;  // clock frames per second
    st.rate = st.rate ? 0.6 * st.rate + 0.4 * rate : rate;
    st.stride = Math.max(1, Math.min(MAX_STRIDE, Math.ceil(need / st.rate)));
    p.stats.stride = st.stride;
  }

  // Paint the frame of `st` the clock has reached (t: clock seconds); false if there was none to paint.
  function paint(p, st, t) {
    const due = WB.atOrBefore(st.camera, t);
    if (due <= st.last || due < st.start) return false;
    let next = -1;  // the first frame buffered after the one shown
    for (const i of st.buf.keys()) if (i > st.last && (next < 0 || i < next)) next = i;
    let pick = -1;
    const behind = next >= 0 && t - st.f.host_time[next] > LAG_PERIODS * st.period * st.stride;
    if (next >= 0 && next <= due && !behind) pick = next;  // the next frame, in order
    else for (let i = due; i > st.last && pick < 0; i--) if (st.buf.has(i)) pick = i;  // behind: the newest due
    if (pick < 0) { if (st.isPrimary) p.stats.waits += 1; return false; }
    const { frame, bitmap } = st.buf.get(pick);
    const canvas = $(`play-${st.camera}`), img = $(`img-${st.camera}`);
    if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) { canvas.width = bitmap.width; canvas.height = bitmap.height; }
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
    canvas.dataset.frame = String(frame);
    canvas.dataset.zoom = String(st.zoom);
    if (canvas.hidden) {  // the first picture of this play: the canvas takes the still picture's place
      canvas.hidden = false; img.hidden = true;
      document.querySelector(`.cam[data-camera="${st.camera}"]`).classList.remove("loading");
      $(`wait-${st.camera}`).textContent = "";
    }
    for (const i of st.buf.keys()) if (i <= pick) { st.buf.get(i).bitmap.close(); st.buf.delete(i); }
    if (st.isPrimary) {
      const stats = p.stats;
      if (st.last >= 0) stats.skipped += pick - st.last - 1;
      stats.painted += 1;
      if (stats.frames.length < KEEP_FRAMES) stats.frames.push(frame);
      s.index = pick;
    }
    st.last = pick;
    const info = $(`info-${st.camera}`);
    info.textContent = WB.caption(st.camera, pick);
    info.dataset.target = info.dataset.frame = String(frame);
    return true;
  }

  function tick(now) {
    const p = WB.playing;
    if (!p) return;
    p.raf = requestAnimationFrame(tick);
    const primary = p.streams[0], stats = p.stats;
    if (!stats.wall0) {  // pre-roll: the clock starts when the first frame is decoded
      if (primary.buf.has(primary.start)) { stats.wall0 = now; } else {
        for (const st of p.streams) fill(p, st, st.start);
        return;
      }
    }
    const t = p.t0 + ((now - stats.wall0) / 1000) * p.speed;
    for (const st of p.streams) { paint(p, st, t); fill(p, st, Math.max(st.start, WB.atOrBefore(st.camera, t))); }
    const seconds = (now - stats.wall0) / 1000;
    stats.fps = seconds > 0.25 ? stats.painted / seconds : 0;
    if (now - p.shownAt > 150) { p.shownAt = now; WB.status(); WB.drawTimeline(); }
    if (primary.last >= primary.f.frame.length - 1) { WB.stopPlay(); WB.show(); }
  }

  WB.play = (speed) => {
    const was = WB.playing;
    WB.stopPlay();
    if (was && was.speed === speed) { WB.show(); return; }
    if (s.index >= WB.frameCount() - 1) s.index = 0;  // at the end: play from the start
    const t0 = WB.now(), id = ++playId;
    const shown = WB.config.cameras.filter((c) => c === s.primary || !s.single);
    const streams = [s.primary, ...shown.filter((c) => c !== s.primary)].map((c) => stream(c, t0, c === s.primary));
    const stats = window.__playStats = { camera: s.primary, speed, contentFps: speed / streams[0].period,
      painted: 0, skipped: 0, waits: 0, fps: 0, stride: 1, wall0: 0, frames: [], playing: true };
    WB.playing = { id, speed, t0, streams, stats, shownAt: 0, raf: 0 };
    WB.pendingPoint = null;
    WB.status();
    WB.playing.raf = requestAnimationFrame(tick);
  };

  // Pause: the frame painted last is the frame from now on (index, caption, point keys); the canvas stays
  // until each camera's still picture has arrived (pictures.js). Returns whether a play was stopped.
  WB.stopPlay = () => {
    const p = WB.playing;
    if (!p) return false;
    cancelAnimationFrame(p.raf);
    WB.playing = null;
    playId += 1;
    for (const st of p.streams) for (const { bitmap } of st.buf.values()) bitmap.close();
    if (p.streams[0].last >= 0) s.index = p.streams[0].last;
    p.stats.playing = false;
    p.stats.pausedAt = performance.now();
    p.stats.pausedOn = s.data.frames[s.primary].frame[s.index];
    document.body.dataset.playedFps = p.stats.fps.toFixed(1);
    WB.lastPlay = p.stats.wall0 ? p.stats : null;
    return true;
  };
})();

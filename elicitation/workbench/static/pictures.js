// Still pictures: one JPEG per camera, decoded on the server by frame index. One request per camera in
// flight; the newest wanted frame goes next. The caption (and a point key) follow the picture on screen,
// never the frame asked for: until it is shown the card says loading. While playing, playback.js paints
// a canvas over the card instead; the still picture of the paused frame replaces it when it has arrived.
"use strict";
(() => {
  const WB = window.WB, $ = WB.$, s = WB.s;
  const loading = {}, wanted = {}, wantedInfo = {};
  WB.pendingPoint = null;
  // key-to-picture times (ms) of steps and jumps, measured from the keydown to the new picture painted
  const keyTimes = window.__keyToPicture = [];
  WB.keyMark = null;  // { action, t0 }: set by the key handler, closed when the picture it asked for is shown

  const canvasShown = WB.canvasShown = (camera) => !$(`play-${camera}`).hidden;
  WB.shownFrame = (camera) => {
    const el = canvasShown(camera) ? $(`play-${camera}`) : $(`img-${camera}`);
    return el.dataset.frame === undefined ? null : parseInt(el.dataset.frame, 10);
  };
  const shownZoom = (camera) => parseInt((canvasShown(camera) ? $(`play-${camera}`) : $(`img-${camera}`)).dataset.zoom || "1", 10);

  function load(camera) {
    const frame = wanted[camera], info = wantedInfo[camera], z = s.zoom[camera] || 1;
    wanted[camera] = null;
    loading[camera] = true;
    const img = $(`img-${camera}`);
    img.onload = img.onerror = () => {
      loading[camera] = false;
      img.dataset.frame = String(frame);
      img.dataset.zoom = String(z);
      img.classList.toggle("zoomed", z > 1);
      if (!WB.playing) { $(`play-${camera}`).hidden = true; img.hidden = false; }  // the still replaces the play canvas
      zoomLabel(camera, z);
      $(`info-${camera}`).textContent = info;
      $(`info-${camera}`).dataset.frame = String(frame);
      if (wanted[camera] !== null && wanted[camera] !== undefined) load(camera);
      else markLoading(camera);
      const mark = WB.keyMark;
      if (mark && camera === s.primary && frame === s.data.frames[s.primary].frame[s.index] && wanted[camera] == null) {
        WB.keyMark = null;  // the frame that paints it runs the animation frame callback, then paints; a task
        // queued there runs once that frame is done (a second animation frame would add a whole frame period)
        requestAnimationFrame(() => setTimeout(() => keyTimes.push({ action: mark.action, frame, ms: performance.now() - mark.t0 }), 0));
      }
      const p = WB.pendingPoint;
      if (p && p.camera === camera && p.frame === frame) { WB.pendingPoint = null; WB.applyPoint(p.point, frame); }
    };
    img.src = `/s/${WB.config.session}/frame/${encodeURIComponent(camera)}/${frame}` + (z > 1 ? `?zoom=${z}` : "");
    markLoading(camera);
  }
  function markLoading(camera) {
    const card = document.querySelector(`.cam[data-camera="${camera}"]`);
    const target = parseInt($(`info-${camera}`).dataset.target, 10);
    const waiting = WB.shownFrame(camera) !== target || shownZoom(camera) !== (s.zoom[camera] || 1);
    card.classList.toggle("loading", waiting);
    const p = WB.pendingPoint, point = p && p.camera === camera ? ` (${p.point} is set when it is shown)` : "";
    $(`wait-${camera}`).textContent = waiting ? `loading frame ${target}…${point}` : "";
  }
  WB.markLoading = markLoading;
  WB.isLoading = (camera) => !!loading[camera];

  // The other camera's nearest frame is this far from the coded instant; marked past half its frame period
  // plus 1 ms of timestamp jitter (the rule `dataset build` applies, elicitation/dataset/build_plan.py).
  function distanceText(camera, i, t) {
    const times = s.data.frames[camera].host_time;
    const gapMs = (times[i] - t) * 1000;
    const period = times.length > 1 ? ((times[times.length - 1] - times[0]) / (times.length - 1)) * 1000 : 1000 / 60;
    const far = Math.abs(gapMs) > period / 2 + 1;
    $(`info-${camera}`).classList.toggle("far", far);
    return ` · ${gapMs >= 0 ? "+" : "−"}${Math.abs(gapMs).toFixed(1)} ms from the coded frame${far ? " (more than half a frame period + 1 ms)" : ""}`;
  }
  WB.caption = (camera, i) => {
    const f = s.data.frames[camera], gap = camera === s.primary ? "" : distanceText(camera, i, WB.now());
    return `frame ${f.frame[i]} · file frame ${f.file_frame[i]} · camera frame id ${f.camera_frame_id[i]} · ` +
      `clock ${f.host_time[i].toFixed(6)} s${gap}`;
  };

  WB.show = () => {
    const t = WB.now();
    for (const camera of WB.config.cameras) {
      const card = document.querySelector(`.cam[data-camera="${camera}"]`);
      card.classList.toggle("primary", camera === s.primary);
      card.hidden = s.single && camera !== s.primary;
      if (card.hidden || WB.playing) continue;  // while playing, playback.js paints and captions
      const f = s.data.frames[camera];
      const i = camera === s.primary ? s.index : WB.nearest(camera, t);
      if (i < 0) continue;
      const info = $(`info-${camera}`);
      info.dataset.target = f.frame[i];
      info.dataset.cameraFrameId = f.camera_frame_id[i];
      wantedInfo[camera] = WB.caption(camera, i);
      const img = $(`img-${camera}`), still = img.dataset.frame === undefined ? null : parseInt(img.dataset.frame, 10);
      if (still === f.frame[i] && parseInt(img.dataset.zoom || "1", 10) === (s.zoom[camera] || 1) && !loading[camera]) {
        if (!$(`play-${camera}`).hidden) { $(`play-${camera}`).hidden = true; img.hidden = false; }  // the same frame
        info.textContent = wantedInfo[camera]; markLoading(camera);
        if (camera === s.primary && WB.keyMark) WB.keyMark = null;  // nothing new to paint
        continue;
      }
      wanted[camera] = f.frame[i];
      if (!loading[camera]) load(camera); else markLoading(camera);
    }
    WB.status();
    WB.drawTimeline();
  };
  WB.status = () => {
    const el = $("status"), p = WB.playing;
    let text = `coding on ${s.primary} · frame ${s.index + 1} of ${WB.frameCount()}`;
    if (p) text += ` · playing ×${p.speed}` + (p.stats.wall0 ? ` · ${p.stats.fps.toFixed(1)} pictures/s of ` +
      `${p.stats.contentFps.toFixed(0)} · ${p.stats.skipped} skipped` + (p.stats.stride > 1 ? ` (cannot keep up: ` +
      `1 frame in ${p.stats.stride} fetched)` : "") : " · buffering…");
    else if (WB.lastPlay) text += ` · last play: ${WB.lastPlay.fps.toFixed(1)} pictures/s of ${WB.lastPlay.contentFps.toFixed(0)}, ${WB.lastPlay.skipped} skipped`;
    el.textContent = text;
    el.classList.toggle("warn", !!p && p.stats.skipped > 0);
  };

  // Face zoom (key z) on the coded camera: 1x, 2x, 4x. The server found the face once per episode and camera
  // and sends the crop around it at full resolution; where it found none it zooms on the centre, said here.
  function zoomLabel(camera, z) {
    const face = s.faces[camera], label = $(`zoom-${camera}`);
    if (z === 1 || !face) { label.textContent = ""; label.className = "zoom"; return; }
    const [x, y, w, h] = face.crops[String(z)];
    label.textContent = face.found
      ? `zoom ${z}×: face crop ${w}×${h} at (${x}, ${y}), full resolution`
      : `zoom ${z}×: no face found on ${camera} (frame ${face.frame}): zoomed on the centre, ${w}×${h}`;
    label.className = face.found ? "zoom" : "zoom warn";
  }
  WB.cycleZoom = async () => {
    const camera = s.primary, next = WB.ZOOMS[(WB.ZOOMS.indexOf(s.zoom[camera] || 1) + 1) % WB.ZOOMS.length];
    if (next > 1 && !s.faces[camera]) {
      const response = await fetch(`${WB.api}/face/${encodeURIComponent(camera)}`, { credentials: "same-origin" });
      const answer = await response.json().catch(() => ({ error: `${response.status}` }));
      if (!response.ok) { WB.message(`zoom: ${answer.error}`); return; }
      s.faces[camera] = answer;
    }
    s.zoom[camera] = next;
    WB.show();
  };
})();

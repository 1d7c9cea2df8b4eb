// The coders' player: pictures decoded on the server by frame index, stepped and played from here.
// The frame numbers stored are always those of the picture on screen (data-frame on each <img>).
"use strict";
(() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const api = `/api/s/${config.session}/e/${encodeURIComponent(config.episode)}`;
  const $ = (id) => document.getElementById(id);
  const POINTS = ["onset", "apex", "apex2", "offset"];
  let data = null, primary = config.cameras[0], index = 0, editing = null, playing = null, armedDone = false;
  let form = { camera: null, onset: null, apex: null, apex2: null, offset: null };
  const loading = {}, wanted = {}, wantedInfo = {};
  let shownDuringPlay = 0, single = false, pendingPoint = null;
  const ZOOMS = [1, 2, 4], zoom = {}, faces = {};  // per camera: the zoom asked for; the face the server found

  function message(text, ok) { const m = $("message"); m.textContent = text; m.className = ok ? "ok" : "bad"; }

  function nearest(camera, t) {
    const times = data.frames[camera].host_time;
    let lo = 0, hi = times.length - 1;
    if (hi < 0) return -1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] < t) lo = mid + 1; else hi = mid; }
    return lo > 0 && Math.abs(times[lo - 1] - t) <= Math.abs(times[lo] - t) ? lo - 1 : lo;
  }
  const now = () => data.frames[primary].host_time[index];

  // One picture request per camera in flight; the newest wanted frame goes next. The caption (and a point
  // key) follow the picture on screen, never the frame asked for: until it is shown the card says loading.
  function load(camera) {
    const frame = wanted[camera], info = wantedInfo[camera], z = zoom[camera] || 1;
    wanted[camera] = null;
    loading[camera] = true;
    const img = $(`img-${camera}`);
    img.onload = img.onerror = () => {
      loading[camera] = false;
      img.dataset.frame = String(frame);
      img.dataset.zoom = String(z);
      img.classList.toggle("zoomed", z > 1);
      zoomLabel(camera, z);
      $(`info-${camera}`).textContent = info;
      $(`info-${camera}`).dataset.frame = String(frame);
      if (playing && camera === primary) shownDuringPlay += 1;
      if (wanted[camera] !== null && wanted[camera] !== undefined) load(camera);
      else markLoading(camera);
      if (pendingPoint && pendingPoint.camera === camera && pendingPoint.frame === frame) {
        const point = pendingPoint.point;
        pendingPoint = null;
        applyPoint(point, frame);
      }
    };
    img.src = `/s/${config.session}/frame/${encodeURIComponent(camera)}/${frame}` + (z > 1 ? `?zoom=${z}` : "");
    markLoading(camera);
  }
  function shownFrame(camera) { const f = $(`img-${camera}`).dataset.frame; return f === undefined ? null : parseInt(f, 10); }
  const shownZoom = (camera) => parseInt($(`img-${camera}`).dataset.zoom || "1", 10);
  function markLoading(camera) {
    const card = document.querySelector(`.cam[data-camera="${camera}"]`);
    const target = parseInt($(`info-${camera}`).dataset.target, 10);
    const waiting = shownFrame(camera) !== target || shownZoom(camera) !== (zoom[camera] || 1);
    card.classList.toggle("loading", waiting);
    const point = pendingPoint && pendingPoint.camera === camera ? ` (${pendingPoint.point} is set when it is shown)` : "";
    $(`wait-${camera}`).textContent = waiting ? `loading frame ${target}…${point}` : "";
  }

  // The other camera's nearest frame is this far from the coded instant; marked past half its frame period
  // plus 1 ms of timestamp jitter (the rule `dataset build` applies, elicitation/dataset/build_plan.py).
  function distanceText(camera, i, t) {
    const times = data.frames[camera].host_time;
    const gapMs = (times[i] - t) * 1000;
    const period = times.length > 1 ? ((times[times.length - 1] - times[0]) / (times.length - 1)) * 1000 : 1000 / 60;
    const far = Math.abs(gapMs) > period / 2 + 1;
    $(`info-${camera}`).classList.toggle("far", far);
    return ` · ${gapMs >= 0 ? "+" : "−"}${Math.abs(gapMs).toFixed(1)} ms from the coded frame${far ? " (more than half a frame period + 1 ms)" : ""}`;
  }

  function show() {
    const t = now();
    for (const camera of config.cameras) {
      const card = document.querySelector(`.cam[data-camera="${camera}"]`);
      card.classList.toggle("primary", camera === primary);
      card.hidden = single && camera !== primary;
      if (card.hidden) continue;
      const f = data.frames[camera];
      const i = camera === primary ? index : nearest(camera, t);
      if (i < 0) continue;
      const info = $(`info-${camera}`);
      info.dataset.target = f.frame[i];
      info.dataset.cameraFrameId = f.camera_frame_id[i];
      const gap = camera === primary ? "" : distanceText(camera, i, t);
      wantedInfo[camera] = `frame ${f.frame[i]} · file frame ${f.file_frame[i]} · camera frame id ` +
        `${f.camera_frame_id[i]} · clock ${f.host_time[i].toFixed(6)} s${gap}`;
      if (shownFrame(camera) === f.frame[i] && shownZoom(camera) === (zoom[camera] || 1) && !loading[camera]) { info.textContent = wantedInfo[camera]; markLoading(camera); continue; }
      wanted[camera] = f.frame[i];
      if (!loading[camera]) load(camera); else markLoading(camera);
    }
    const rate = playing ? ` · playing ×${playing.speed}` : "";
    $("status").textContent = `coding on ${primary} · frame ${index + 1} of ${data.frames[primary].frame.length}${rate}`;
    drawTimeline();
  }

  function cancelPending() {
    if (pendingPoint) { message(`${pendingPoint.point} not set: you moved on before frame ${pendingPoint.frame} was shown`); pendingPoint = null; }
  }
  function step(by) { cancelPending(); stop(); index = Math.max(0, Math.min(data.frames[primary].frame.length - 1, index + by)); show(); }
  function stop() {
    if (!playing) return;
    const seconds = (performance.now() - playing.wall0) / 1000;
    document.body.dataset.playedFps = (shownDuringPlay / Math.max(seconds, 1e-3)).toFixed(1);
    playing = null;
  }
  function play(speed) {
    if (playing && playing.speed === speed) { stop(); show(); return; }
    stop();
    shownDuringPlay = 0;
    playing = { speed, t0: now(), wall0: performance.now() };
    const tick = () => {
      if (!playing) return;
      const t = playing.t0 + ((performance.now() - playing.wall0) / 1000) * playing.speed;
      const last = data.frames[primary].frame.length - 1;
      index = Math.min(nearest(primary, t), last);
      show();
      if (index >= last) stop(); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
  function jump(text) {
    const value = text.trim();
    const clock = /^(\d+(?:\.\d+)?)\s*s$/.exec(value);
    if (clock) {
      const t = parseFloat(clock[1]), times = data.frames[primary].host_time;
      const half = times.length > 1 ? (times[1] - times[0]) / 2 : 0.01;
      if (t < times[0] - half || t > times[times.length - 1] + half) {
        message(`clock time ${t} s is outside this episode on ${primary} (${times[0].toFixed(3)}–${times[times.length - 1].toFixed(3)} s)`);
        return;
      }
      cancelPending(); index = nearest(primary, t); stop(); show(); return;
    }
    if (!/^\d+$/.test(value)) { message(`jump: give a frame number (1234) or a clock time (11196.6s), not "${value}"`); return; }
    const i = data.frames[primary].frame.indexOf(parseInt(value, 10));
    if (i < 0) { message(`frame ${value} is not in this episode on ${primary}`); return; }
    cancelPending(); index = i; stop(); show();
  }

  function setPoint(point) {
    if (data.done) { message("this episode is marked done: its codes are fixed"); return; }
    if (form.camera && form.camera !== primary && POINTS.some((p) => form[p] !== null)) {
      message(`this event's frames are on ${form.camera}: switch back (camera key) or start a new event`); return;
    }
    const target = data.frames[primary].frame[index];
    if (shownFrame(primary) !== target || loading[primary]) {  // not on screen yet: set when it is
      pendingPoint = { point, frame: target, camera: primary };
      markLoading(primary);
      return;
    }
    applyPoint(point, target);
  }
  function applyPoint(point, frame) {
    form.camera = primary;
    form[point] = frame;
    renderForm(); drawTimeline();
  }
  function renderForm() {
    $("f-camera").textContent = form.camera || primary;
    for (const p of POINTS) $(`f-${p}`).textContent = form[p] === null ? "-" : String(form[p]);
    $("editing").textContent = editing ? `(changing ${editing})` : "(new)";
  }
  function clearForm() {
    editing = null;
    form = { camera: null, onset: null, apex: null, apex2: null, offset: null };
    for (const id of ["f-aus", "f-note"]) $(id).value = "";
    $("f-emotion").value = ""; $("f-kind").value = "micro"; $("f-category").value = "";
    $("aus-check").textContent = ""; $("suggested").textContent = "";
    renderForm(); drawTimeline();
  }
  function loadEvent(event) {
    editing = event.event_id;
    form = { camera: event.camera, onset: event.onset, apex: event.apex, apex2: event.apex2, offset: event.offset };
    $("f-kind").value = event.kind; $("f-category").value = event.category; $("f-aus").value = event.action_units;
    $("f-emotion").value = event.emotion; $("f-note").value = event.note;
    checkAus(); renderForm();
  }

  async function send(body) {
    const response = await fetch(api, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({ error: `${response.status}` }));
    if (!response.ok) throw new Error(answer.error || `${response.status}`);
    return answer;
  }
  async function save() {
    const body = { action: editing ? "change" : "add", event_id: editing, camera: form.camera || primary,
      kind: $("f-kind").value, category: $("f-category").value, action_units: $("f-aus").value,
      emotion: $("f-emotion").value, note: $("f-note").value };
    for (const p of POINTS) body[p] = form[p];
    try {
      const answer = await send(body);
      message(`saved ${answer.event.event_id}`, true);
      clearForm(); await refresh();
    } catch (error) { message(`refused: ${error.message}`); }
  }
  async function remove() {
    if (!editing) { message("choose one of your events first (click it)"); return; }
    try { await send({ action: "delete", event_id: editing }); message(`deleted ${editing}`, true); clearForm(); await refresh(); }
    catch (error) { message(`refused: ${error.message}`); }
  }
  async function done() {
    if (!armedDone) { armedDone = true; $("done").textContent = "click again: no more changes to this episode"; return; }
    armedDone = false;
    try { await send({ action: "done" }); message("episode marked done", true); await refresh(); }
    catch (error) { message(`refused: ${error.message}`); }
  }
  let ausTimer = null;
  function checkAus() {
    clearTimeout(ausTimer);
    ausTimer = setTimeout(async () => {
      const text = $("f-aus").value;
      if (!text.trim()) { $("aus-check").textContent = ""; $("suggested").textContent = ""; return; }
      const response = await fetch(`/api/aus?text=${encodeURIComponent(text)}`, { credentials: "same-origin" });
      const answer = await response.json();
      $("aus-check").textContent = response.ok ? `= ${answer.canonical}` : answer.error;
      $("aus-check").className = response.ok ? "ok" : "bad";
      $("suggested").textContent = response.ok ? `Table IV suggests: ${answer.suggested.join(", ") || "-"}` : "";
    }, 150);
  }

  function renderEvents() {
    const rows = data.events.map((e) => `<tr data-id="${Elicit.esc(e.event_id)}"${e.event_id === editing ? ' class="selected"' : ""}>` +
      `<td>${Elicit.esc(e.event_id)}</td><td>${Elicit.esc(e.kind)}</td><td>${e.onset}/${e.apex}/${e.apex2 ?? "-"}/${e.offset}</td>` +
      `<td>${Elicit.esc(e.action_units || "-")}</td><td>${Elicit.esc(e.emotion || "-")}</td>` +
      `<td>${e.duration_ms === null ? "" : e.duration_ms.toFixed(1) + " ms"}</td>` +
      `<td class="note" title="${Elicit.esc(e.note)}">${Elicit.esc(e.note.length > 40 ? e.note.slice(0, 40) + "…" : e.note)}</td></tr>`);
    $("events").innerHTML = "<tr><th>id</th><th>kind</th><th>on/apex/apex-2/off</th><th>AUs</th><th>emotion</th><th>duration</th><th>note</th></tr>" + rows.join("");
    for (const tr of $("events").querySelectorAll("tr[data-id]")) {
      tr.onclick = () => goToEvent(data.events.find((e) => e.event_id === tr.dataset.id));
    }
    for (const el of document.querySelectorAll("#form input, #form select, #form button, #done")) el.disabled = data.done;
    $("done-state").textContent = data.done ? "done: codes fixed" : "";
    const shown = Object.entries(data.others.shown).map(([coder, events]) => `<p><b>${Elicit.esc(coder)}</b>: ` +
      events.map((e) => `${e.onset}/${e.apex}/${e.offset} ${Elicit.esc(e.action_units)} ${Elicit.esc(e.emotion)}`).join("; ") + "</p>");
    const hidden = Object.entries(data.others.hidden).map(([coder, why]) => `<p class="dim">${Elicit.esc(coder)}: ${Elicit.esc(why)}</p>`);
    $("others").innerHTML = shown.concat(hidden).join("") || '<p class="dim">none</p>';
    const r = data.timeline.rating;
    $("rating").textContent = r ? `${r.emotion} (intensity ${r.intensity})` : "none recorded";
  }
  function goToEvent(event) {
    cancelPending();
    loadEvent(event);
    if (event.camera !== primary) { primary = event.camera; $("camera").value = primary; }
    const i = data.frames[primary].frame.indexOf(event.onset);
    if (i >= 0) { index = i; stop(); }
    show();
  }
  async function refresh() {
    const response = await fetch(api, { credentials: "same-origin", cache: "no-store" });
    const fresh = await response.json();
    if (!response.ok) { message(fresh.error); return; }
    const first = data === null;
    data = fresh;
    if (first) index = 0;
    renderEvents(); show();
    document.body.dataset.ready = "1";
  }

  function drawTimeline() {
    const canvas = $("timeline"), g = canvas.getContext("2d"), tl = data.timeline;
    const w = canvas.width, h = canvas.height, span = Math.max(tl.end - tl.start, 1e-6);
    const x = (t) => ((t - tl.start) / span) * w;
    const band = (a, b, y, height, colour) => { g.fillStyle = colour; g.fillRect(x(a), y, Math.max(2, x(b) - x(a)), height); };
    g.clearRect(0, 0, w, h);
    if (tl.clip) band(tl.clip.onset, tl.clip.offset, 2, 12, "#1f6feb");
    for (const f of tl.flags) band(f.start, f.end, 16, 12, "#d29922");
    for (const f of tl.face_lost) band(f.start, f.end, 30, 12, "#f85149");
    for (const t of tl.penalties) band(t, t, 2, 40, "#ffffff");
    const timeOf = (camera, frame) => { const f = data.frames[camera]; const i = f.frame.indexOf(frame); return i < 0 ? null : f.host_time[i]; };
    for (const s of tl.spotting) { const a = timeOf(s.camera, s.onset), b = timeOf(s.camera, s.offset); if (a !== null && b !== null) band(a, b, 44, 10, "#a371f7"); }
    for (const e of data.events) { const r = e.frames[e.camera]; if (r && r.onset && r.offset) band(r.onset.host_time, r.offset.host_time, 58, 14, e.event_id === editing ? "#7ee787" : "#3fb950"); }
    for (const p of POINTS) { if (form[p] !== null && form.camera) { const t = timeOf(form.camera, form[p]); if (t !== null) band(t, t, 56, 18, "#7ee787"); } }
    g.fillStyle = "#e8e8e8"; g.fillRect(x(now()) - 1, 0, 2, h);
  }
  $("timeline").onclick = (event) => {
    const rect = event.target.getBoundingClientRect(), tl = data.timeline;
    index = nearest(primary, tl.start + ((event.clientX - rect.left) / rect.width) * (tl.end - tl.start)); stop(); show();
  };

  function nextCandidate() {
    const later = data.timeline.spotting.filter((s) => s.camera === primary && s.onset > data.frames[primary].frame[index]);
    const s = later[0] || data.timeline.spotting.find((c) => c.camera === primary);
    if (!s) { message(`no spotting candidates on ${primary}`); return; }
    clearForm();
    form = { camera: s.camera, onset: s.onset, apex: s.apex, apex2: null, offset: s.offset };
    index = Math.max(0, data.frames[primary].frame.indexOf(s.onset));
    message(`spotting candidate ${s.onset}-${s.offset} (score ${s.score}) in the form: check it, then save`, true);
    renderForm(); show();
  }
  // Face zoom (key z) on the coded camera: 1x, 2x, 4x. The server found the face once per episode and camera
  // and sends the crop around it at full resolution; where it found none it zooms on the centre, said here.
  function zoomLabel(camera, z) {
    const face = faces[camera], label = $(`zoom-${camera}`);
    if (z === 1 || !face) { label.textContent = ""; label.className = "zoom"; return; }
    const [x, y, w, h] = face.crops[String(z)];
    label.textContent = face.found
      ? `zoom ${z}×: face crop ${w}×${h} at (${x}, ${y}), full resolution`
      : `zoom ${z}×: no face found on ${camera} (frame ${face.frame}): zoomed on the centre, ${w}×${h}`;
    label.className = face.found ? "zoom" : "zoom warn";
  }
  async function cycleZoom() {
    const camera = primary, next = ZOOMS[(ZOOMS.indexOf(zoom[camera] || 1) + 1) % ZOOMS.length];
    if (next > 1 && !faces[camera]) {
      const response = await fetch(`${api}/face/${encodeURIComponent(camera)}`, { credentials: "same-origin" });
      const answer = await response.json().catch(() => ({ error: `${response.status}` }));
      if (!response.ok) { message(`zoom: ${answer.error}`); return; }
      faces[camera] = answer;
    }
    zoom[camera] = next;
    show();
  }
  function switchCamera(camera) {
    const t = now();
    primary = camera || config.cameras[(config.cameras.indexOf(primary) + 1) % config.cameras.length];
    $("camera").value = primary;
    index = nearest(primary, t); show();
  }

  const actions = {
    next: () => step(1), prev: () => step(-1), next10: () => step(10), prev10: () => step(-10),
    play: () => play(1), half: () => play(0.5), jump: () => { $("jump").value = ""; $("jump").focus(); },
    onset: () => setPoint("onset"), apex: () => setPoint("apex"), apex2: () => setPoint("apex2"),
    offset: () => setPoint("offset"), save: () => save(), new: () => clearForm(), camera: () => switchCamera(),
    candidate: () => nextCandidate(), view: () => { single = !single; show(); }, zoom: () => cycleZoom(),
  };
  // Letters are matched whatever the case (Shift or Caps Lock); Shift+ is part of a key name only for the
  // non-letter keys (Shift+ArrowRight). Page keys work whatever has focus, except while typing in a text
  // field; a focused list (the emotion, the kind) takes no arrow: the page does. Escape leaves any field.
  const keyName = (key, shift) => {
    if (key.length === 1 && key.toLowerCase() !== key.toUpperCase()) return key.toLowerCase();
    return (shift && key.length > 1 ? "Shift+" : "") + key;
  };
  const byKey = Object.fromEntries(Object.entries(config.keys).map(([action, key]) => {
    const shifted = key.startsWith("Shift+");
    return [keyName(shifted ? key.slice(6) : key, shifted), action];
  }));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || data === null) return;
    const action = byKey[keyName(event.key, event.shiftKey)];
    const target = event.target;
    if (event.key === "Escape" && target && target !== document.body) { target.blur(); return; }
    const typing = target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "button"));
    if (typing) {
      if (event.key === "Enter" && target.id === "jump") { event.preventDefault(); jump(target.value); target.blur(); }
      else if (event.key === "Enter" && action === "save") { event.preventDefault(); target.blur(); save(); }
      return;
    }
    if (target && target.tagName === "SELECT" && event.key === "Enter" && action === "save") { target.blur(); }
    if (action) { event.preventDefault(); if (target && target.tagName === "SELECT") target.blur(); actions[action](); }
  });
  $("go").onclick = () => jump($("jump").value);
  $("save").onclick = save; $("new").onclick = clearForm; $("delete").onclick = remove; $("done").onclick = done;
  $("clear-apex2").onclick = () => { form.apex2 = null; renderForm(); };
  $("f-aus").oninput = checkAus;
  $("camera").onchange = (event) => switchCamera(event.target.value);
  refresh().then(() => renderForm());
})();

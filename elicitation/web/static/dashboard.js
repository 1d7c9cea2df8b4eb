// The live dashboard (elicitation/dashboard): polls /state.json, refreshes each camera's picture
// when it has a new frame, draws the face box, a centring guide and (live view) clipped pixels,
// and sends the experimenter's buttons to /press/<action>.
"use strict";
(() => {
  const POLL_MS = 250;
  const CLIPPED = 250; // a channel at or above this (after JPEG) counts as clipped
  const $ = (id) => document.getElementById(id);
  const shown = {}; // camera -> seq of the picture on the page
  let framing = false;

  function setText(id, text) { const el = $(id); if (el) el.textContent = text; }

  function drawOverlay(name, img, check) {
    const canvas = img.parentElement.querySelector("canvas");
    const w = img.naturalWidth, h = img.naturalHeight;
    if (!w || !h) return;
    canvas.width = w; canvas.height = h;
    canvas.style.width = img.clientWidth + "px"; canvas.style.height = img.clientHeight + "px";
    const g = canvas.getContext("2d");
    g.clearRect(0, 0, w, h);
    if (framing) { // clipped pixels in magenta
      const probe = document.createElement("canvas");
      probe.width = w; probe.height = h;
      const pg = probe.getContext("2d");
      pg.drawImage(img, 0, 0);
      const src = pg.getImageData(0, 0, w, h), out = g.createImageData(w, h);
      let clipped = 0;
      for (let i = 0; i < src.data.length; i += 4) {
        if (src.data[i] >= CLIPPED || src.data[i + 1] >= CLIPPED || src.data[i + 2] >= CLIPPED) {
          out.data[i] = 255; out.data[i + 1] = 0; out.data[i + 2] = 255; out.data[i + 3] = 160; clipped++;
        }
      }
      g.putImageData(out, 0, 0);
      img.dataset.clipped = String(clipped);
    }
    g.lineWidth = Math.max(1, w / 320);
    g.strokeStyle = "rgba(255,255,255,0.6)"; g.setLineDash([6, 6]); // centring guide
    g.beginPath(); g.moveTo(w / 2, 0); g.lineTo(w / 2, h); g.moveTo(0, h / 2); g.lineTo(w, h / 2); g.stroke();
    g.strokeRect(w * 0.3, h * 0.2, w * 0.4, h * 0.6);
    g.setLineDash([]);
    const face = check && check.face;
    if (face) {
      g.strokeStyle = check.ok ? "#3fb950" : "#d29922"; g.lineWidth *= 2;
      g.strokeRect(face.x, face.y, face.w, face.h);
    }
  }

  function updateCamera(name, cam, health) {
    const card = document.querySelector(`[data-camera="${CSS.escape(name)}"]`);
    if (!card) return;
    const img = card.querySelector("img"), pic = cam.picture;
    if (pic && shown[name] !== pic.seq && !img.dataset.loading) {
      img.dataset.loading = "1";
      img.onload = img.onerror = () => {
        delete img.dataset.loading;
        img.dataset.seq = String(pic.seq);
        drawOverlay(name, img, cam.framing);
      };
      shown[name] = pic.seq;
      img.src = `/camera/${encodeURIComponent(name)}.jpg?seq=${pic.seq}`;
    }
    const h = health || {};
    const state = h.state || "-";
    const cls = state === "failed" ? "bad" : (h.dropped ? "warn" : "ok");
    card.querySelector("[data-health]").innerHTML =
      `<span class="${cls}">${Elicit.esc(state)}</span> ` +
      `${h.fps !== undefined ? h.fps.toFixed(1) : "-"} fps, ` +
      (framing ? `${h.frames ?? "-"} frames (none recorded), ` : `${h.written ?? "-"} frames written, `) +
      `<span class="${h.dropped ? "warn" : ""}">${h.dropped ?? "-"} dropped</span>` +
      (pic ? ` <span class="dim">${pic.width}x${pic.height} preview, frame ${pic.frame_id}</span>` : "") +
      (h.error ? `<br><span class="bad">${Elicit.esc(h.error)}</span>` : "");
    const table = card.querySelector("[data-checks]");
    if (table && cam.framing) {
      const rows = Object.entries(cam.framing.checks).map(([check, c]) =>
        `<tr data-check="${Elicit.esc(check)}"><th>${Elicit.esc(check)}</th>` +
        `<td class="${c.ok ? "ok" : "bad"}">${c.ok ? "ok" : "check"}</td><td>${Elicit.esc(c.text)}</td></tr>`);
      const ref = cam.framing.reference_focus;
      rows.push(`<tr><th>verdict</th><td class="${cam.framing.ok ? "ok" : "bad"}">` +
        `${cam.framing.ok ? "ready" : "not ready"}</td><td class="dim">focus reference ` +
        `${ref === null || ref === undefined ? "not taken" : ref.toFixed(1)}</td></tr>`);
      table.innerHTML = rows.join("");
    }
  }

  function updateSession(live) {
    setText("where", live.where || "-");
    setText("episode", live.episode || "-");
    setText("penalties", String(live.penalties));
    const clip = live.clip;
    setText("clip", clip ? `${clip.left_s.toFixed(1)} s left of ${clip.duration.toFixed(1)} s` : "no clip playing");
    const lost = live.face_lost_count;
    const face = live.face;
    let faceText = "-";
    if (face && face.found === true) faceText = `found (${face.camera})`;
    if (face && face.lost) {
      faceText = `LOST (${face.camera})` + (face.lost_for_s != null ? ` for ${face.lost_for_s.toFixed(1)} s` : "");
    }
    setText("face", `${faceText}${lost ? `; face_lost ${lost} time(s) so far` : ""}`);
    const el = $("face"); if (el) el.className = face && face.lost ? "bad" : "";
    const pause = $("pause");
    if (pause) pause.textContent = live.overlay === "pause" ? "Resume" : "Pause";
    const question = $("abort-question");
    if (question) question.hidden = live.overlay !== "abort_confirm";
    const body = document.querySelector("#events tbody");
    if (body) {
      body.innerHTML = live.events.slice().reverse().map((e) =>
        `<tr data-event="${Elicit.esc(e.trial_type)}"><td>${Elicit.esc(e.onset)}</td><td>${Elicit.esc(e.trial_type)}</td>` +
        `<td>${Elicit.esc(e.duration)}</td><td>${Elicit.esc(e.episode)}</td><td>${Elicit.esc(e.source ?? "n/a")}</td></tr>`
      ).join("");
    }
  }

  function update(data) {
    const live = data.live;
    const paused = live.overlay === "pause" ? " - PAUSED" : (live.overlay === "abort_confirm" ? " - ABORT?" : "");
    setText("status", `${live.status}${paused}`);
    $("status").className = live.overlay ? "warn" : "dim";
    for (const [name, cam] of Object.entries(data.cameras)) updateCamera(name, cam, live.cameras[name]);
    const warnings = $("warnings");
    warnings.innerHTML = live.warnings.length
      ? live.warnings.map((w) => `<li class="warn">${Elicit.esc(w)}</li>`).join("") : '<li class="dim">none</li>';
    if (document.querySelector("main").dataset.mode === "session") updateSession(live);
  }

  function press(action) {
    Elicit.post(`/press/${action}`).then(
      (r) => setText("pressed", `sent ${action} (key ${r.key})`),
      (e) => setText("pressed", `${action}: ${e.message}`));
  }

  document.addEventListener("DOMContentLoaded", () => {
    framing = document.querySelector("main").dataset.framing === "true";
    for (const action of ["pause", "penalty", "abort", "confirm", "cancel"]) {
      const button = $(action);
      if (button) button.addEventListener("click", () => press(action));
    }
    document.querySelectorAll("[data-focus]").forEach((button) => button.addEventListener("click", () =>
      Elicit.post(`/focus/${encodeURIComponent(button.dataset.focus)}`).catch(() => {})));
    let last = Date.now();
    Elicit.poll("/state.json", POLL_MS, (data) => { last = Date.now(); update(data); });
    setInterval(() => { if (Date.now() - last > 3000) setText("status", "disconnected"); }, 1000);
  });
})();

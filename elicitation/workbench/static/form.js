// The event form and your events: points from the picture on screen, save / delete / done / undo through the
// server (which appends each to your coding log), the AU check, your events and the other coders' list.
"use strict";
(() => {
  const WB = window.WB, $ = WB.$, s = WB.s;
  let armedDone = false, ausTimer = null;

  WB.cancelPending = () => {
    const p = WB.pendingPoint;
    if (p) { WB.message(`${p.point} not set: you moved on before frame ${p.frame} was shown`); WB.pendingPoint = null; }
  };
  WB.setPoint = (point) => {
    if (s.data.done) { WB.message("this episode is marked done: its codes are fixed"); return; }
    const form = s.form;
    if (form.camera && form.camera !== s.primary && WB.POINTS.some((p) => form[p] !== null)) {
      WB.message(`this event's frames are on ${form.camera}: switch back (camera key) or start a new event`); return;
    }
    const target = s.data.frames[s.primary].frame[s.index];
    // not on screen yet (a still on its way counts only when no played picture of this frame is shown meanwhile)
    if (WB.shownFrame(s.primary) !== target || (WB.isLoading(s.primary) && !WB.canvasShown(s.primary))) {
      WB.pendingPoint = { point, frame: target, camera: s.primary };
      WB.markLoading(s.primary);
      return;
    }
    WB.applyPoint(point, target);
  };
  WB.applyPoint = (point, frame) => { s.form.camera = s.primary; s.form[point] = frame; WB.renderForm(); WB.drawTimeline(); };
  WB.renderForm = () => {
    $("f-camera").textContent = s.form.camera || s.primary;
    for (const p of WB.POINTS) $(`f-${p}`).textContent = s.form[p] === null ? "-" : String(s.form[p]);
    $("editing").textContent = s.editing ? `(changing ${s.editing})` : "(new)";
  };
  WB.clearForm = () => {
    s.editing = null;
    s.form = { camera: null, onset: null, apex: null, apex2: null, offset: null };
    for (const id of ["f-aus", "f-note"]) $(id).value = "";
    $("f-emotion").value = ""; $("f-kind").value = "micro"; $("f-category").value = "";
    $("aus-check").textContent = ""; $("suggested").textContent = "";
    WB.renderForm(); WB.drawTimeline();
  };
  function loadEvent(event) {
    s.editing = event.event_id;
    s.form = { camera: event.camera, onset: event.onset, apex: event.apex, apex2: event.apex2, offset: event.offset };
    $("f-kind").value = event.kind; $("f-category").value = event.category; $("f-aus").value = event.action_units;
    $("f-emotion").value = event.emotion; $("f-note").value = event.note;
    checkAus(); WB.renderForm();
  }

  async function send(body) {
    const response = await fetch(WB.api, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({ error: `${response.status}` }));
    if (!response.ok) throw new Error(answer.error || `${response.status}`);
    return answer;
  }
  async function act(body, said, clear = true) {
    try {  // said once the page shows the new state
      const answer = await send(body);
      if (clear) WB.clearForm();
      await WB.refresh();
      WB.message(said(answer), true);
    }
    catch (error) { WB.message(`refused: ${error.message}`); }
  }
  WB.save = () => {
    const body = { action: s.editing ? "change" : "add", event_id: s.editing, camera: s.form.camera || s.primary,
      kind: $("f-kind").value, category: $("f-category").value, action_units: $("f-aus").value,
      emotion: $("f-emotion").value, note: $("f-note").value };
    for (const p of WB.POINTS) body[p] = s.form[p];
    return act(body, (answer) => `saved ${answer.event.event_id}`);
  };
  WB.remove = () => {
    if (!s.editing) { WB.message("choose one of your events first (click it)"); return; }
    const id = s.editing;
    return act({ action: "delete", event_id: id }, () => `deleted ${id}`);
  };
  // undo your last add, change or delete of this episode: the server appends the opposite row to your log
  WB.undo = () => {
    if (s.data.done) { WB.message("this episode is marked done: its codes are fixed"); return; }
    return act({ action: "undo" }, (answer) => answer.undone);
  };
  WB.done = async () => {
    if (!armedDone) { armedDone = true; $("done").textContent = "click again: no more changes to this episode"; return; }
    armedDone = false;
    await act({ action: "done" }, () => "episode marked done", false);
  };
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
  WB.checkAus = checkAus;

  function renderEvents() {
    const data = s.data, esc = Elicit.esc;
    const rows = data.events.map((e) => `<tr data-id="${esc(e.event_id)}"${e.event_id === s.editing ? ' class="selected"' : ""}>` +
      `<td>${esc(e.event_id)}</td><td>${esc(e.kind)}</td><td>${e.onset}/${e.apex}/${e.apex2 ?? "-"}/${e.offset}</td>` +
      `<td>${esc(e.action_units || "-")}</td><td>${esc(e.emotion || "-")}</td>` +
      `<td>${e.duration_ms === null ? "" : e.duration_ms.toFixed(1) + " ms"}</td>` +
      `<td class="note" title="${esc(e.note)}">${esc(e.note.length > 40 ? e.note.slice(0, 40) + "…" : e.note)}</td></tr>`);
    $("events").innerHTML = "<tr><th>id</th><th>kind</th><th>on/apex/apex-2/off</th><th>AUs</th><th>emotion</th><th>duration</th><th>note</th></tr>" + rows.join("");
    for (const tr of $("events").querySelectorAll("tr[data-id]")) {
      tr.onclick = () => goToEvent(data.events.find((e) => e.event_id === tr.dataset.id));
    }
    for (const el of document.querySelectorAll("#form input, #form select, #form button, #done")) el.disabled = data.done;
    $("done-state").textContent = data.done ? "done: codes fixed" : "";
    const shown = Object.entries(data.others.shown).map(([coder, events]) => `<p><b>${esc(coder)}</b>: ` +
      events.map((e) => `${e.onset}/${e.apex}/${e.offset} ${esc(e.action_units)} ${esc(e.emotion)}`).join("; ") + "</p>");
    const hidden = Object.entries(data.others.hidden).map(([coder, why]) => `<p class="dim">${esc(coder)}: ${esc(why)}</p>`);
    $("others").innerHTML = shown.concat(hidden).join("") || '<p class="dim">none</p>';
    const r = data.timeline.rating;
    $("rating").textContent = r ? `${r.emotion} (intensity ${r.intensity})` : "none recorded";
  }
  function goToEvent(event) {
    WB.cancelPending();
    loadEvent(event);
    if (event.camera !== s.primary) { s.primary = event.camera; $("camera").value = s.primary; }
    const i = s.data.frames[s.primary].frame.indexOf(event.onset);
    if (i >= 0) { s.index = i; WB.stopPlay(); }
    WB.show();
  }
  WB.refresh = async () => {
    const response = await fetch(WB.api, { credentials: "same-origin", cache: "no-store" });
    const fresh = await response.json();
    if (!response.ok) { WB.message(fresh.error); return; }
    const first = s.data === null;
    s.data = fresh;
    if (first) s.index = 0;
    renderEvents(); WB.show();
    document.body.dataset.ready = "1";
  };
})();

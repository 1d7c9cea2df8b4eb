// Small helpers shared by the browser pages. Requests are relative: the token cookie set by the
// first (?token=...) response carries them.
"use strict";
window.Elicit = {
  // Bind keyboard shortcuts: map of KeyboardEvent.key -> function(event). Ignored while typing.
  keys(map) {
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const action = map[event.key];
      if (action) { event.preventDefault(); action(event); }
    });
  },
  // POST a JSON body, resolve with the parsed JSON answer (or reject with the status text).
  async post(url, body) {
    const response = await fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}) });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return response.json();
  },
  // Call fn(json) with url's JSON every ms milliseconds; one request in flight at a time.
  poll(url, ms, fn) {
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
        if (response.ok) fn(await response.json());
      } catch (error) { /* the server went away: keep trying */ }
      busy = false;
    };
    tick();
    return setInterval(tick, ms);
  },
  // Text-escape for building HTML from JSON.
  esc(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  },
};

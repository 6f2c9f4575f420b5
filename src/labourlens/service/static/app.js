// labourlens: review actions, missed passages, cases and uploads. No library; text is set with
// textContent only, never as HTML.
"use strict";

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function send(method, url, body) {
  const init = { method: method, headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin" };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  let data = {};
  try { data = await response.json(); } catch (e) { data = { ok: false, error: "HTTP " + response.status }; }
  if (!response.ok) { throw new Error(data.error || ("HTTP " + response.status)); }
  return data;
}

function say(el, text, bad) {
  if (!el) { return; }
  el.textContent = text;
  el.className = bad ? "error" : "ok";
}

// ---------------------------------------------------------------- document page: reviews

function setupReviews() {
  document.querySelectorAll(".finding .review-actions button").forEach(function (button) {
    button.addEventListener("click", async function () {
      const finding = button.closest(".finding");
      const payload = { evidence_id: Number(finding.dataset.evidence), decision: button.dataset.decision };
      if (payload.decision === "relabel") { payload.new_indicator = finding.querySelector(".relabel-to").value; }
      const list = finding.querySelector(".decisions");
      try {
        const data = await send("POST", "/api/reviews", payload);
        const r = data.review;
        const li = document.createElement("li");
        li.className = "decision " + r.decision;
        li.textContent = r.decision + (r.new_indicator ? " → " + r.new_indicator : "") + " by " + r.reviewer +
          " at " + r.created_at.slice(0, 16).replace("T", " ");
        list.appendChild(li);
      } catch (err) {
        const li = document.createElement("li");
        li.className = "error";
        li.textContent = err.message;
        list.appendChild(li);
      }
    });
  });
}

// ---------------------------------------------------------------- document page: missed passages

function offsetIn(root, node, offset) {
  // The character offset of (node, offset) in root's text: the document text, since the page
  // shows it verbatim (anchors are empty).
  const range = document.createRange();
  range.selectNodeContents(root);
  range.setEnd(node, offset);
  return range.toString().length;
}

function setupMissed() {
  const form = document.getElementById("missed-form");
  const doc = document.getElementById("doc");
  if (!form || !doc) { return; }
  const page = document.querySelector(".docpage");
  let picked = null;
  document.addEventListener("selectionchange", function () {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    const range = sel.getRangeAt(0);
    if (!doc.contains(range.startContainer) || !doc.contains(range.endContainer)) { return; }
    const start = offsetIn(doc, range.startContainer, range.startOffset);
    const end = offsetIn(doc, range.endContainer, range.endOffset);
    if (end > start) { picked = { start: start, end: end, quote: range.toString() }; }
  });
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const status = document.getElementById("missed-status");
    if (!picked) { say(status, "Select a passage of the text first.", true); return; }
    const body = {
      start: picked.start, end: picked.end, quote: picked.quote,
      indicator: document.getElementById("missed-indicator").value,
    };
    try {
      const data = await send("POST", "/api/documents/" + encodeURIComponent(page.dataset.ref) + "/missed", body);
      const list = document.getElementById("missed-list");
      const none = list.querySelector(".none");
      if (none) { none.remove(); }
      const li = document.createElement("li");
      li.textContent = data.missed.indicator + ": “" + data.missed.quote + "” by " + data.missed.reviewer;
      list.appendChild(li);
      say(status, "Marked.", false);
    } catch (err) {
      say(status, err.message, true);
    }
  });
}

// ---------------------------------------------------------------- cases

function setupCases() {
  const form = document.getElementById("case-form");
  if (!form) { return; }
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const status = document.getElementById("case-status");
    const where = document.getElementById("case-where").value.trim();
    try {
      const data = await send("POST", "/api/cases", {
        name: document.getElementById("case-name").value, where: where || null,
      });
      window.location.href = "/cases/" + encodeURIComponent(data.case.name);
    } catch (err) {
      say(status, err.message, true);
    }
  });
}

// ---------------------------------------------------------------- upload

function jobLine(job) {
  let text = job.state + ": " + job.done + " of " + job.total + " analysed";
  if (job.added.length) { text += ", " + job.added.length + " added"; }
  if (job.duplicates) { text += ", " + job.duplicates + " already stored"; }
  return text;
}

function watch(job) {
  const list = document.getElementById("jobs");
  const li = document.createElement("li");
  li.className = "job";
  const line = document.createElement("span");
  const bar = document.createElement("progress");
  bar.max = Math.max(1, job.total);
  const extra = document.createElement("ul");
  li.append(bar, " ", line, extra);
  list.prepend(li);
  async function tick() {
    try {
      const data = await send("GET", "/api/jobs/" + job.id);
      const j = data.job;
      bar.max = Math.max(1, j.total);
      bar.value = j.done;
      line.textContent = jobLine(j);
      if (j.state === "done") {
        li.classList.add("done");
        extra.textContent = "";
        j.added.forEach(function (ref) {
          const item = document.createElement("li");
          const a = document.createElement("a");
          a.href = "/documents/" + encodeURIComponent(ref);
          a.textContent = "Open " + ref;
          item.appendChild(a);
          extra.appendChild(item);
        });
        j.errors.forEach(function (e) {
          const item = document.createElement("li");
          item.className = "error";
          item.textContent = e.source + ": " + e.error;
          extra.appendChild(item);
        });
        return;
      }
    } catch (err) {
      line.textContent = err.message;
    }
    window.setTimeout(tick, 400);
  }
  tick();
}

async function uploadFiles(fileList) {
  if (!fileList || fileList.length === 0) { return; }
  const body = new FormData();
  Array.from(fileList).forEach(function (f) { body.append("files", f, f.name); });
  try {
    const data = await send("POST", "/api/documents", body);
    watch(data.job);
  } catch (err) {
    const li = document.createElement("li");
    li.className = "error";
    li.textContent = err.message;
    document.getElementById("jobs").prepend(li);
  }
}

function setupUpload() {
  const zone = document.getElementById("dropzone");
  if (!zone) { return; }
  const input = document.getElementById("file-input");
  input.addEventListener("change", function () { uploadFiles(input.files); input.value = ""; });
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    uploadFiles(e.dataTransfer.files);
  });
  document.getElementById("paste-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const text = document.getElementById("paste-text").value;
    const title = document.getElementById("paste-title").value;
    try {
      const data = await send("POST", "/api/documents/text", { text: text, title: title || null });
      watch(data.job);
    } catch (err) {
      const li = document.createElement("li");
      li.className = "error";
      li.textContent = err.message;
      document.getElementById("jobs").prepend(li);
    }
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupReviews();
  setupMissed();
  setupCases();
  setupUpload();
});

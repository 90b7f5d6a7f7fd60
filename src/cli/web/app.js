// ocrqa review in the browser: the documents worst first, then one document's text with its
// proposed changes, keyboard first. Every decision is posted at once; the server refuses one
// on an item someone else decided meanwhile (409), and the page shows what they decided.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { batch: [], selected: 0, doc: null, current: -1, undo: [], editing: false };
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  return { status: response.status, body: await response.json() };
}

function reviewer() {
  return $("reviewer").value.trim();
}

function awaits(item) {
  return item.decision === "pending" && item.applicability !== "auto";
}

function say(text, conflict) {
  $("message").textContent = text || "";
  $("message").className = conflict ? "conflict" : "";
}

// ---------------------------------------------------------------- the documents
async function showBatch() {
  const { body } = await getJson("api/batch");
  state.batch = body.documents;
  if (body.reviewer && !reviewer()) $("reviewer").value = body.reviewer;
  $("doc").hidden = true;
  $("batch").hidden = false;
  $("where").textContent = `${state.batch.length} documents, worst first`;
  const rows = state.batch.map((d, k) => {
    const tr = document.createElement("tr");
    tr.dataset.index = d.index;
    if (d.awaiting === 0) tr.classList.add("done");
    const reviewed = d.items ? Math.round((100 * d.decided) / d.items) : 100;
    const cells = [k + 1, d.path, d.grade, `${(100 * d.estimated_error_rate).toFixed(2)} %`, d.items, d.awaiting];
    for (const value of cells) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(td);
    }
    const td = document.createElement("td");
    const bar = document.createElement("span");
    bar.className = "bar";
    const fill = document.createElement("span");
    fill.style.width = `${reviewed}%`;
    bar.append(fill);
    td.append(bar, ` ${d.decided} decided`);
    tr.append(td);
    tr.addEventListener("click", () => { state.selected = k; openSelected(); });
    return tr;
  });
  $("documents").replaceChildren(...rows);
  const awaiting = state.batch.reduce((n, d) => n + d.awaiting, 0);
  $("progress").textContent = `${awaiting} changes await review in the batch`;
  selectRow(Math.min(state.selected, state.batch.length - 1));
}

function selectRow(k) {
  state.selected = Math.max(0, Math.min(k, state.batch.length - 1));
  [...$("documents").children].forEach((tr, i) => tr.classList.toggle("selected", i === state.selected));
}

function openSelected() {
  const d = state.batch[state.selected];
  if (d) location.hash = `doc=${d.index}`;
}

// ---------------------------------------------------------------- one document
async function showDoc(index, itemHint) {
  const { status, body } = await getJson(`api/doc/${index}`);
  if (status !== 200) { say(body.error, true); return; }
  state.doc = body;
  $("batch").hidden = true;
  $("doc").hidden = false;
  $("where").textContent = body.path;
  renderText();
  const first = body.items.findIndex(awaits);
  select(itemHint ?? (first >= 0 ? first : 0));
}

function renderText() {
  const doc = state.doc;
  const parts = [];
  if (doc.text !== null) {
    const bytes = utf8.encode(doc.text);
    let at = 0;
    doc.items.forEach((item, k) => {
      parts.push(fromUtf8.decode(bytes.slice(at, item.span.start)));
      parts.push(itemSpan(item, k, fromUtf8.decode(bytes.slice(item.span.start, item.span.end))));
      at = item.span.end;
    });
    parts.push(fromUtf8.decode(bytes.slice(at)));
  } else {
    doc.items.forEach((item, k) => {
      parts.push(`… ${item.context.before}`, itemSpan(item, k, item.original), `${item.context.after} …\n`);
    });
  }
  $("text").replaceChildren(...parts);
  updateProgress();
}

function itemSpan(item, k, shown) {
  const span = document.createElement("span");
  span.className = `item ${item.applicability} ${item.decision}`;
  span.dataset.item = k;
  span.textContent = shown || "⌫";
  span.title = `${item.original} → ${item.proposal ?? "?"} (${item.applicability}; ${item.reasons.join(", ")})`;
  span.addEventListener("click", () => select(k));
  return span;
}

function updateProgress() {
  const items = state.doc.items;
  const waiting = items.filter(awaits).length;
  const decided = items.filter((i) => i.decision !== "pending").length;
  $("progress").textContent = `${decided} decided · ${waiting} await review · ${items.length} changes`;
}

function select(k) {
  const items = state.doc.items;
  if (!items.length) { $("current").textContent = "No change in this document."; return; }
  state.current = Math.max(0, Math.min(k, items.length - 1));
  document.querySelectorAll("#text .item").forEach((el) => el.classList.toggle("current", Number(el.dataset.item) === state.current));
  const el = document.querySelector(`#text .item[data-item="${state.current}"]`);
  if (el) el.scrollIntoView({ block: "center" });
  renderPanel();
}

function renderPanel() {
  const item = state.doc.items[state.current];
  const current = $("current");
  current.replaceChildren();
  const change = document.createElement("div");
  change.className = "change";
  const o = document.createElement("span");
  o.className = "original";
  o.textContent = JSON.stringify(item.original);
  const p = document.createElement("span");
  p.className = "proposal";
  p.textContent = item.proposal === null ? "?" : JSON.stringify(item.proposal);
  change.append(o, " → ", p);
  const stateLine = document.createElement("div");
  stateLine.className = "state";
  const replacement = item.replacement !== null ? ` ${JSON.stringify(item.replacement)}` : "";
  stateLine.textContent = `${item.applicability} · ${item.decision}${replacement}${item.reviewer ? ` by ${item.reviewer}` : ""}`;
  const why = document.createElement("div");
  why.textContent = `why: ${item.reasons.join(", ")} · line ${item.line}`;
  current.append(change, stateLine, why);
  $("alternatives").replaceChildren(...item.alternatives.slice(0, 9).map((a) => {
    const li = document.createElement("li");
    li.textContent = `${a.text} (${a.score.toFixed(1)})`;
    if (item.replacement === a.text) li.className = "chosen";
    return li;
  }));
  showCrop(item);
}

function showCrop(item) {
  const layout = item.layout;
  const crop = $("crop");
  if (!layout || !layout.boxes.length || !state.doc.images.includes(layout.page)) { crop.hidden = true; return; }
  const url = `image/${state.doc.index}/${layout.page}`;
  const image = new Image();
  image.onload = () => {
    const [x0, y0, x1, y1] = layout.boxes.reduce((u, b) => [Math.min(u[0], b[0]), Math.min(u[1], b[1]), Math.max(u[2], b[2]), Math.max(u[3], b[3])]);
    const cx0 = Math.max(0, x0 - 300), cx1 = Math.min(image.naturalWidth, x1 + 300);
    const cy0 = Math.max(0, y0 - 25), cy1 = Math.min(image.naturalHeight, y1 + 25);
    const scale = 420 / Math.max(1, cx1 - cx0);
    const box = $("crop-image");
    box.style.height = `${Math.round((cy1 - cy0) * scale)}px`;
    box.style.backgroundImage = `url("${url}")`;
    box.style.backgroundSize = `${image.naturalWidth * scale}px ${image.naturalHeight * scale}px`;
    box.style.backgroundPosition = `${-cx0 * scale}px ${-cy0 * scale}px`;
    const outline = $("crop-box");
    outline.style.left = `${(x0 - cx0) * scale}px`;
    outline.style.top = `${(y0 - cy0) * scale}px`;
    outline.style.width = `${(x1 - x0) * scale}px`;
    outline.style.height = `${(y1 - y0) * scale}px`;
    crop.hidden = false;
  };
  image.src = url;
}

function step(direction, onlyAwaiting) {
  const items = state.doc.items;
  for (let k = state.current + direction; k >= 0 && k < items.length; k += direction) {
    if (!onlyAwaiting || awaits(items[k])) { select(k); return; }
  }
  say(direction > 0 ? "No further change to review here: n goes to the next document." : "");
}

// ---------------------------------------------------------------- decisions
async function post(doc, k, item, verdict, text, group) {
  const response = await fetch("api/decide", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      doc, item: k, expect: { decision: item.decision, replacement: item.replacement },
      verdict, text, group, reviewer: reviewer(),
    }),
  });
  return { status: response.status, body: await response.json() };
}

async function decide(verdict, text, group) {
  const item = state.doc.items[state.current];
  const k = state.current;
  const { status, body } = await post(state.doc.index, k, item, verdict, text, group);
  if (status === 409) {
    if (body.item) state.doc.items[k] = body.item;
    renderText();
    select(k);
    say(`Not saved: ${body.error}`, true);
    return;
  }
  if (status !== 200) { say(body.error || "not saved", true); return; }
  const before = { decision: item.decision, replacement: item.replacement };
  const changed = [];
  for (const d of body.decided) {
    if (d.doc === state.doc.index) state.doc.items[d.item] = d.state;
    changed.push({ doc: d.doc, item: d.item, before: d.doc === state.doc.index && d.item === k ? before : { decision: "pending", replacement: null }, after: d.state });
  }
  state.undo.push(changed);
  say(body.decided.length > 1 ? `${body.decided.length} identical changes decided in the batch.` : "Saved.");
  renderText();
  select(k);
  step(1, true);
}

async function undo() {
  const changed = state.undo.pop();
  if (!changed) { say("Nothing to undo."); return; }
  for (const c of changed.slice().reverse()) {
    const verdicts = { pending: "pending", rejected: "reject", accepted: "choose", edited: "edit" };
    const verdict = verdicts[c.before.decision];
    const { status, body } = await post(c.doc, c.item, c.after, verdict, c.before.replacement, false);
    if (status !== 200) { say(`Not undone: ${body.error}`, true); break; }
    if (c.doc === state.doc?.index) state.doc.items[c.item] = body.decided[0].state;
  }
  const k = changed[0].doc === state.doc?.index ? changed[0].item : state.current;
  renderText();
  select(k);
  say("Undone.");
}

function startEdit() {
  state.editing = true;
  $("edit").hidden = false;
  const input = $("edit-text");
  input.value = state.doc.items[state.current].proposal ?? "";
  input.focus();
  input.select();
}

function stopEdit() {
  state.editing = false;
  $("edit").hidden = true;
  $("text").focus();
}

$("edit").addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = $("edit-text").value;
  stopEdit();
  if (typed.trim() === "") { say("Edit cancelled: nothing typed."); return; }
  decide("edit", typed, false);
});

$("edit-text").addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    // Handled here: the page's own Escape (back to the documents) must not see it.
    event.preventDefault();
    event.stopPropagation();
    stopEdit();
    say("Edit cancelled.");
  }
});

// ---------------------------------------------------------------- keys
function toggleHelp(show) {
  $("help").hidden = !show;
}

document.addEventListener("keydown", (event) => {
  if (state.editing || event.target === $("reviewer") || event.ctrlKey || event.metaKey || event.altKey) return;
  if (!$("help").hidden) { toggleHelp(false); event.preventDefault(); return; }
  const key = event.key;
  if (key === "?") { toggleHelp(true); return; }
  if (!$("batch").hidden) {
    if (key === "j" || key === "ArrowDown") selectRow(state.selected + 1);
    else if (key === "k" || key === "ArrowUp") selectRow(state.selected - 1);
    else if (key === "Enter" || key === "o") openSelected();
    else return;
    event.preventDefault();
    return;
  }
  if ($("doc").hidden || !state.doc) return;
  const item = state.doc.items[state.current];
  const alternatives = item ? item.alternatives : [];
  if (key === "j" || key === "ArrowDown") step(1, true);
  else if (key === "k" || key === "ArrowUp") step(-1, true);
  else if (key === "J") step(1, false);
  else if (key === "K") step(-1, false);
  else if (key === "a" && item && item.proposal !== null) decide("accept", "", false);
  else if (key === "A" && item && item.proposal !== null) decide("accept", "", true);
  else if (key === "r" && item) decide("reject", "", false);
  else if (key === "R" && item) decide("reject", "", true);
  else if (key >= "1" && key <= "9" && alternatives[Number(key) - 1]) decide("choose", alternatives[Number(key) - 1].text, false);
  else if (key === "e" && item) startEdit();
  else if (key === "u") undo();
  else if (key === "n" || key === "p") moveDoc(key === "n" ? 1 : -1);
  else if (key === "b" || key === "Escape") location.hash = "";
  else return;
  event.preventDefault();
});

async function moveDoc(direction) {
  if (!state.batch.length) await getJson("api/batch").then(({ body }) => { state.batch = body.documents; });
  const at = state.batch.findIndex((d) => d.index === state.doc.index);
  const next = state.batch[at + direction];
  if (next) { state.selected = at + direction; location.hash = `doc=${next.index}`; }
}

$("help-button").addEventListener("click", () => toggleHelp(true));
$("reviewer").value = localStorage.getItem("ocrqa-reviewer") || "";
$("reviewer").addEventListener("change", () => localStorage.setItem("ocrqa-reviewer", reviewer()));

// ---------------------------------------------------------------- routes
async function route() {
  say("");
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has("doc")) return showDoc(Number(hash.get("doc")));
  if (hash.has("path")) {
    const { body } = await getJson("api/batch");
    const d = body.documents.find((x) => x.path === hash.get("path"));
    if (d) { location.hash = `doc=${d.index}`; return; }
  }
  return showBatch();
}

window.addEventListener("hashchange", route);
route();

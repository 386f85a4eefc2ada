// GenLab's latent pad: the latent model's decoder (and encoder) run here, in the browser, on every pointer
// move; the server hears only the final code. Plain JavaScript (no build step): a Streamlit v2 component
// module, mounted by ui/latent_pad.py, which sends the weights as base64 float32 (models/latent/export.py).
//
// A layer is y = W x + b, W (out, in) row-major, LeakyReLU(slope) between layers; the decoder's last layer
// gives logits and the pixel means are sigmoid(logits). The VAE's encoder gives [mu, logvar] (logvar
// clamped as in models/latent/vae.py); the AE's and AAE's give z.

const MODELS = new Map(); // model id -> parsed spec (weights as Float32Array), kept while the page lives
const INK = new Map(); // component key + model id -> the drawing, kept when the server redraws the pad

function floats(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

export function parseModel(s) {
  return { kind: s.kind, latent_dim: s.latent_dim, shape: s.shape, logvar_clamp: s.logvar_clamp,
    decoder: parseMlp(s.decoder), encoder: s.encoder ? parseMlp(s.encoder) : null };
}

function parseMlp(spec) {
  return { act: spec.act || "leaky_relu", slope: spec.slope,
    layers: spec.layers.map((l) => ({ n: l.in, m: l.out, w: floats(l.w), b: floats(l.b) })) };
}

// SELU's constants as PyTorch's (Klambauer et al. 2017)
const SELU_ALPHA = 1.6732632423543772848170429916717, SELU_SCALE = 1.0507009873554804934193349852946;

export function mlp(net, x) {
  let h = Float64Array.from(x);
  const act = net.act === "selu" ? (s) => SELU_SCALE * (s > 0 ? s : SELU_ALPHA * Math.expm1(s))
    : (s) => (s < 0 ? s * net.slope : s);
  net.layers.forEach((l, k) => {
    const y = new Float64Array(l.m);
    for (let o = 0; o < l.m; o++) {
      let s = l.b[o];
      const row = o * l.n;
      for (let i = 0; i < l.n; i++) s += l.w[row + i] * h[i];
      y[o] = k < net.layers.length - 1 ? act(s) : s;
    }
    h = y;
  });
  return h;
}

export function decode(model, z) {
  const logits = mlp(model.decoder, z);
  const px = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) px[i] = 1 / (1 + Math.exp(-logits[i]));
  return px;
}

export function encode(model, pixels) {
  const out = mlp(model.encoder, pixels);
  const d = model.latent_dim;
  if (model.kind !== "vae") return { mu: Array.from(out.slice(0, d)), logvar: null };
  const [lo, hi] = model.logvar_clamp;
  return { mu: Array.from(out.slice(0, d)), logvar: Array.from(out.slice(d, 2 * d), (v) => Math.min(Math.max(v, lo), hi)) };
}

function paint(canvas, pixels, h, w) {
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    const v = Math.round(Math.min(Math.max(pixels[i], 0), 1) * 255);
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  const off = new OffscreenCanvas(w, h);
  off.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
}

function el(tag, attrs = {}, parent = null) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  if (parent) parent.appendChild(e);
  return e;
}

const fmt = (z) => z.map((v) => v.toFixed(2)).join(", ");

// lerp and slerp exactly as models/latent/interpolate.py (same fallbacks to lerp)
export function lerp(z0, z1, t) { return z0.map((v, j) => (1 - t) * v + t * z1[j]); }
export function slerp(z0, z1, t, eps = 1e-7) {
  const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const n0 = norm(z0), n1 = norm(z1);
  if (n0 < eps || n1 < eps) return lerp(z0, z1, t);
  const cos = Math.min(Math.max(z0.reduce((s, v, j) => s + v * z1[j], 0) / (n0 * n1), -1), 1);
  const omega = Math.acos(cos);
  if (Math.abs(omega) < 1e-4) return lerp(z0, z1, t);
  const so = Math.sin(omega), a = Math.sin((1 - t) * omega) / so, b = Math.sin(t * omega) / so;
  return z0.map((v, j) => a * v + b * z1[j]);
}

// The interpolation's morph: one fraction t, the lerp and slerp codes decoded here on every move; nothing
// goes to the server (the strips below it are the server's).
function morph(component, model) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".genlab-latent-pad") || parentElement;
  const [, H, W] = model.shape, z0 = data.z0, z1 = data.z1, suffix = data.suffix || [];
  root.replaceChildren();
  const notice = parentElement.querySelector(".genlab-fallback");
  if (notice) notice.remove();
  const row = el("label", { class: "glp-slider glp-morph-t" }, root);
  el("span", { text: "t" }, row);
  const inp = el("input", { type: "range", min: 0, max: 1, step: 0.01, value: 0.5,
    "aria-label": `Fraction t of the way from ${data.names[0]} to ${data.names[1]}` }, row);
  const shown = el("output", {}, row);
  const figs = el("div", { class: "glp-draw-row" }, root);
  const scale = Math.max(1, Math.floor(168 / W));
  const canvases = ["lerp", "slerp"].map((name) => {
    const fig = el("figure", {}, figs);
    const c = el("canvas", { width: W * scale, height: H * scale, class: "glp-image", role: "img" }, fig);
    const cap = el("figcaption", {}, fig);
    return [name, c, cap];
  });
  const api = { redraws: 0, t: () => parseFloat(inp.value), images: {}, ends: () => [z0.slice(), z1.slice()] };
  function redraw() {
    const t = parseFloat(inp.value);
    shown.textContent = t.toFixed(2);
    for (const [name, c, cap] of canvases) {
      const z = (name === "lerp" ? lerp : slerp)(z0, z1, t);
      const px = decode(model, z.concat(suffix)); // suffix: what is fixed along the walk (a cGAN's class)
      paint(c, px, H, W);
      api.images[name] = px;
      c.setAttribute("aria-label", `${name} at t = ${t.toFixed(2)}: decoded from z = (${fmt(z)})`);
      cap.textContent = `${name}, t = ${t.toFixed(2)}`;
    }
    api.redraws += 1;
  }
  inp.addEventListener("input", redraw);
  window.genlabLatentMorph = { ...api, images: () => Object.fromEntries(Object.entries(api.images).map(([k, v]) => [k, Array.from(v)])),
    redraws: () => api.redraws, input: inp };
  redraw();
  return () => { delete window.genlabLatentMorph; };
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  const root = parentElement.querySelector(".genlab-latent-pad") || parentElement;
  if (!MODELS.has(data.model_id)) {
    if (!data.spec) { // the server sends the weights once per session; this page has not got them (reload)
      setTriggerValue("need_weights", data.model_id);
      return;
    }
    MODELS.set(data.model_id, parseModel(data.spec));
  }
  const model = MODELS.get(data.model_id);
  if (data.mode === "morph") return morph(component, model);
  const d = model.latent_dim, [, H, W] = model.shape;
  const lo = data.lo, hi = data.hi, view = data.view;
  let z = data.z.slice();
  let redraws = 0, drawnCode = null;
  root.replaceChildren();
  const notice = parentElement.querySelector(".genlab-fallback");
  if (notice) notice.remove();

  // -- layout: sliders and decoded image | the code map with the point | draw a digit -------------------
  const grid = el("div", { class: "glp-grid" }, root);
  const left = el("div", { class: "glp-col" }, grid);
  const sliders = el("div", { class: "glp-sliders", style: `grid-template-columns: repeat(${d === 2 ? 1 : 2}, 1fr)` }, left);
  const inputs = z.map((v, j) => {
    const row = el("label", { class: "glp-slider" }, sliders);
    el("span", { text: `z${j + 1}` }, row);
    const inp = el("input", { type: "range", min: lo[j], max: hi[j], step: 0.01, value: v, "aria-label": `z${j + 1}` }, row);
    const out = el("output", { text: v.toFixed(2) }, row);
    inp.addEventListener("input", () => { z[j] = parseFloat(inp.value); out.textContent = z[j].toFixed(2); redraw(); });
    inp.addEventListener("change", commit);
    return [inp, out];
  });
  const scale = Math.max(1, Math.floor(196 / W));
  const out = el("canvas", { width: W * scale, height: H * scale, class: "glp-image", role: "img" }, left);
  const outCaption = el("p", { class: "glp-caption" }, left);

  const mid = el("div", { class: "glp-col" }, grid);
  const PAD = 300;
  const pad = el("canvas", { width: PAD, height: PAD, class: "glp-pad", tabindex: "0", role: "slider",
    "aria-label": view.title + ": drag the point, or use the arrow keys, to move the code" }, mid);
  const legend = el("p", { class: "glp-legend" }, mid);
  view.classes.forEach((name, c) => {
    const item = el("span", { class: "glp-key" }, legend);
    el("span", { class: "glp-swatch", style: `background:${view.palette[c % view.palette.length]}` }, item);
    item.appendChild(document.createTextNode(name));
  });
  el("p", { class: "glp-caption", text: view.linear ? "Drag the point over the map: the decoder redraws as you move."
    : "t-SNE has no inverse map: the sliders move z; switch to PCA to drag on the map." }, mid);

  const right = el("div", { class: "glp-col" }, grid);
  el("p", { class: "glp-caption", text: "Draw a digit: the encoder runs here and puts it on the map" + (model.kind === "vae" ? " (the ellipse: mean \u00b1 2 standard deviations of q(z|x))." : ".") }, right);
  const drawScale = Math.max(1, Math.floor(168 / W));
  const drawRow = el("div", { class: "glp-draw-row" }, right);
  const boardFig = el("figure", {}, drawRow), reconFig = el("figure", {}, drawRow);
  const board = el("canvas", { width: W * drawScale, height: H * drawScale, class: "glp-board", role: "img",
    "aria-label": "Drawing board (pointer only): draw a digit here" }, boardFig);
  el("figcaption", { text: "your drawing" }, boardFig);
  const recon = el("canvas", { width: W * drawScale, height: H * drawScale, class: "glp-image", role: "img",
    "aria-label": "Reconstruction of the drawing: nothing drawn yet" }, reconFig);
  el("figcaption", { text: "decoded from its code" }, reconFig);
  const buttons = el("div", { class: "glp-buttons" }, right);
  const clear = el("button", { type: "button", text: "Clear" }, buttons);
  const use = el("button", { type: "button", text: "Decode from this code", disabled: "" }, buttons);
  const drawCaption = el("p", { class: "glp-caption" }, right);
  const inkKey = `${component.key}/${data.model_id}`;
  if (!INK.has(inkKey)) INK.set(inkKey, new Float32Array(H * W));
  const ink = INK.get(inkKey);

  // -- the map: test codes in the picture's coordinates, the current point, the drawn code ---------------
  const coords = floats(view.coords), labels = Uint8Array.from(atob(view.labels), (c) => c.charCodeAt(0));
  const [x0, x1, y0, y1] = view.extent;
  const toPx = (u) => [((u[0] - x0) / (x1 - x0)) * PAD, PAD - ((u[1] - y0) / (y1 - y0)) * PAD];
  const fromPx = (px, py) => [x0 + (px / PAD) * (x1 - x0), y0 + ((PAD - py) / PAD) * (y1 - y0)];
  const center = view.linear ? floats(view.center) : null, basis = view.linear ? floats(view.basis) : null; // basis (2, d)
  const project = (c) => { // u = (z - center) basis^T
    const u = [0, 0];
    for (let k = 0; k < 2; k++) for (let j = 0; j < d; j++) u[k] += (c[j] - center[j]) * basis[k * d + j];
    return u;
  };
  const lift = (u) => Array.from({ length: d }, (_, j) => center[j] + u[0] * basis[j] + u[1] * basis[d + j]);
  const background = new OffscreenCanvas(PAD, PAD);
  {
    const g = background.getContext("2d");
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, PAD, PAD);
    for (let i = 0; i < labels.length; i++) {
      const [px, py] = toPx([coords[2 * i], coords[2 * i + 1]]);
      g.fillStyle = view.palette[labels[i] % view.palette.length]; g.globalAlpha = 0.6;
      g.fillRect(px - 1.5, py - 1.5, 3, 3);
    }
    g.globalAlpha = 1; g.strokeStyle = "#555"; g.strokeRect(0.5, 0.5, PAD - 1, PAD - 1);
  }

  function drawMap() {
    const g = pad.getContext("2d");
    g.drawImage(background, 0, 0);
    if (!view.linear) return;
    if (drawnCode) {
      const [px, py] = toPx(project(drawnCode.mu));
      if (drawnCode.logvar) { // the posterior's covariance seen in the picture: B diag(sigma^2) B^T (2 x 2)
        const c = [0, 0, 0];
        for (let j = 0; j < d; j++) {
          const v = Math.exp(drawnCode.logvar[j]);
          c[0] += basis[j] * basis[j] * v; c[1] += basis[j] * basis[d + j] * v; c[2] += basis[d + j] * basis[d + j] * v;
        }
        const tr = c[0] + c[2], det = c[0] * c[2] - c[1] * c[1], disc = Math.sqrt(Math.max(tr * tr / 4 - det, 0));
        const l1 = tr / 2 + disc, l2 = Math.max(tr / 2 - disc, 0); // eigenvalues; (c01, l1 - c00) the first axis
        const angle = c[1] !== 0 ? Math.atan2(l1 - c[0], c[1]) : (c[0] >= c[2] ? 0 : Math.PI / 2);
        const sx = PAD / (x1 - x0), sy = PAD / (y1 - y0);
        g.save(); g.translate(px, py); g.scale(sx, -sy); g.rotate(angle);
        g.beginPath(); g.ellipse(0, 0, 2 * Math.sqrt(l1), 2 * Math.sqrt(l2), 0, 0, 2 * Math.PI); g.restore();
        g.strokeStyle = "#000"; g.lineWidth = 1.5; g.stroke();
      }
      g.fillStyle = "#000"; g.beginPath(); g.moveTo(px, py - 7); g.lineTo(px + 6, py + 5); g.lineTo(px - 6, py + 5); g.fill();
    }
    const [px, py] = toPx(project(z));
    g.beginPath(); g.arc(px, py, 7, 0, 2 * Math.PI); g.fillStyle = "#ffffff"; g.fill();
    g.lineWidth = 3; g.strokeStyle = "#000"; g.stroke();
  }

  function redraw() {
    const px = decode(model, z);
    paint(out, px, H, W);
    out.setAttribute("aria-label", `Decoder output at z = (${fmt(z)})`);
    outCaption.textContent = `Decoded in this browser at z = (${fmt(z)})`;
    drawMap();
    if (view.linear) pad.setAttribute("aria-valuetext", `point at (${fmt(project(z))}) on the map`);
    redraws += 1;
    api.redraws = redraws;
  }

  function setZ(next) {
    z = next.map((v, j) => Math.min(Math.max(v, lo[j]), hi[j]));
    inputs.forEach(([inp, o], j) => { inp.value = z[j]; o.textContent = z[j].toFixed(2); });
    redraw();
  }

  function commit() { setStateValue("z", z.map((v) => Math.round(v * 100) / 100)); }

  // -- pointer and keyboard on the map ----------------------------------------------------------------
  let dragging = false;
  const padPoint = (e) => { const r = pad.getBoundingClientRect(); return fromPx((e.clientX - r.left) * PAD / r.width, (e.clientY - r.top) * PAD / r.height); };
  pad.addEventListener("pointerdown", (e) => { if (!view.linear) return; dragging = true; pad.setPointerCapture(e.pointerId); setZ(lift(padPoint(e))); });
  pad.addEventListener("pointermove", (e) => { if (dragging) setZ(lift(padPoint(e))); });
  const release = () => { if (dragging) { dragging = false; commit(); } };
  pad.addEventListener("pointerup", release);
  pad.addEventListener("pointercancel", release);
  pad.addEventListener("keydown", (e) => {
    if (!view.linear) return;
    const step = (x1 - x0) / 50, moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const u = project(z);
    setZ(lift([u[0] + moves[e.key][0], u[1] + moves[e.key][1]]));
    commit();
  });

  // -- drawing: a soft round brush on the 28 x 28 (or 8 x 8) grid -----------------------------------------
  let drawing = false;
  const brush = W >= 28 ? 1.1 : 0.45; // radius in pixels of the model's grid
  function stroke(e) {
    const r = board.getBoundingClientRect();
    const cx = ((e.clientX - r.left) / r.width) * W - 0.5, cy = ((e.clientY - r.top) / r.height) * H - 0.5;
    for (let y = Math.floor(cy - 3); y <= Math.ceil(cy + 3); y++) for (let x = Math.floor(cx - 3); x <= Math.ceil(cx + 3); x++) {
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      const dist = Math.hypot(x - cx, y - cy);
      const v = Math.max(0, Math.min(1, 1.5 - dist / (2 * brush)));
      ink[y * W + x] = Math.max(ink[y * W + x], v);
    }
    encodeDrawing();
  }
  function encodeDrawing() {
    paint(board, ink, H, W);
    drawnCode = encode(model, ink);
    paint(recon, decode(model, drawnCode.mu), H, W);
    recon.setAttribute("aria-label", `Reconstruction of the drawing from its code (${fmt(drawnCode.mu)})`);
    drawCaption.textContent = model.kind === "vae"
      ? `q(z|x): mean (${fmt(drawnCode.mu)}), standard deviations (${fmt(drawnCode.logvar.map((v) => Math.exp(v / 2)))})`
      : `code (${fmt(drawnCode.mu)})`;
    use.removeAttribute("disabled");
    drawMap();
  }
  board.addEventListener("pointerdown", (e) => { drawing = true; board.setPointerCapture(e.pointerId); stroke(e); });
  board.addEventListener("pointermove", (e) => { if (drawing) stroke(e); });
  board.addEventListener("pointerup", () => { drawing = false; });
  clear.addEventListener("click", () => { ink.fill(0); drawnCode = null; paint(board, ink, H, W); paint(recon, ink, H, W); use.setAttribute("disabled", ""); drawCaption.textContent = ""; drawMap(); });
  use.addEventListener("click", () => { if (drawnCode) { setZ(drawnCode.mu); commit(); } });
  if (ink.some((v) => v > 0)) encodeDrawing();
  else { paint(board, ink, H, W); paint(recon, ink, H, W); }

  // for the browser tests: the same functions the pad runs
  const api = { decode: (c) => Array.from(decode(model, c)), encode: (px) => encode(model, px),
    ink: () => Array.from(ink), drawn: () => drawnCode, redraws: 0, z: () => z.slice(), padElement: pad };
  window.genlabLatentPad = api;
  redraw();
  return () => { if (window.genlabLatentPad === api) delete window.genlabLatentPad; };
}

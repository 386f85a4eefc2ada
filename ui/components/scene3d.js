// GenLab's 3-D scene: points and translucent planes drawn with the canvas's 2-D API, turned with the pointer
// or the keyboard. Plain JavaScript (no build step): a Streamlit v2 component module, mounted by
// ui/scene3d.py, which reads the traces of the backend's Plotly figure.
//
// Why not Plotly's own 3-D: it draws with WebGL, and every new chart compiles its shader programs; without a
// GPU (Chromium's software WebGL) that took about a second per chart, most of the PCA page's first visit.
// A few hundred points and two planes need no GPU.
//
// The camera (as Plotly's: z is up, the eye looks at the scene's centre): azimuth `yaw` about z and
// elevation `pitch`. The eye's direction is e = (cos p cos y, cos p sin y, sin p), the screen's right vector
// r = (-sin y, cos y, 0) and its up vector u = e x r = (-sin p cos y, -sin p sin y, cos p). A point q (scaled so the
// scene's longest half-side is 1, equal scales on every axis, as aspectmode "data") is drawn at
// (q . r, q . u) * s / (1 - (q . e) / D), a perspective with the eye at distance D = 4, nearer points
// drawn over farther ones (painter's algorithm).

const CAMERAS = new Map(); // component key -> {yaw, pitch, zoom, hidden}: kept while the page reruns
const DISTANCE = 4;

function floats(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

function el(tag, attrs, parent) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

// The camera's unit vectors: e (towards the eye), r (screen right), u (screen up); z is up.
export function basis(yaw, pitch) {
  const cp = Math.cos(pitch), sp = Math.sin(pitch), cy = Math.cos(yaw), sy = Math.sin(yaw);
  const e = [cp * cy, cp * sy, sp];
  const r = [-sy, cy, 0];
  const u = [-sp * cy, -sp * sy, cp]; // e x r, already unit length
  return { e, r, u };
}

// Screen coordinates (x right, y up, before the canvas's scale) and depth of a scene point q (already
// centred and scaled): [x, y, depth].
export function project(q, cam) {
  const { e, r, u } = basis(cam.yaw, cam.pitch);
  const depth = q[0] * e[0] + q[1] * e[1] + q[2] * e[2];
  const f = 1 / (1 - depth / DISTANCE);
  return [(q[0] * r[0] + q[1] * r[1] + q[2] * r[2]) * f, (q[0] * u[0] + q[1] * u[1] + q[2] * u[2]) * f, depth];
}

// The scene's centre and the scale that maps its longest half-side to 1 (equal scales on every axis).
export function frame(traces) {
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const t of traces) {
    const xyz = t.xyz;
    for (let i = 0; i < xyz.length; i += 3) {
      for (let a = 0; a < 3; a++) {
        const v = xyz[i + a];
        if (Number.isFinite(v)) { lo[a] = Math.min(lo[a], v); hi[a] = Math.max(hi[a], v); }
      }
    }
  }
  if (!Number.isFinite(lo[0])) return { lo: [-1, -1, -1], hi: [1, 1, 1], centre: [0, 0, 0], scale: 1 };
  const centre = lo.map((v, a) => (v + hi[a]) / 2);
  const half = Math.max(...lo.map((v, a) => (hi[a] - v) / 2), 1e-9);
  return { lo, hi, centre, scale: 1 / half };
}

// The canvas scale that fits the scene's bounding box, seen from the reset camera, in 80% of the canvas
// (the rest for the axes' labels).
function fitter(fr, camera) {
  let mx = 1e-9, my = 1e-9;
  for (const i of [0, 1]) for (const j of [0, 1]) for (const k of [0, 1]) {
    const q = [[fr.lo[0], fr.hi[0]][i], [fr.lo[1], fr.hi[1]][j], [fr.lo[2], fr.hi[2]][k]]
      .map((v, a) => (v - fr.centre[a]) * fr.scale);
    const [x, y] = project(q, camera);
    mx = Math.max(mx, Math.abs(x));
    my = Math.max(my, Math.abs(y));
  }
  return (w, h) => 0.4 * Math.min(w / mx, h / my);
}

function ticks(lo, hi) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const step0 = Math.pow(10, Math.floor(Math.log10(span / 3)));
  const step = [1, 2, 5, 10].map((m) => m * step0).find((s) => span / s <= 5);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) out.push(+v.toPrecision(6));
  return out;
}

function label(v) {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(+v.toPrecision(4));
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".genlab-scene3d") || parentElement;
  const notice = parentElement.querySelector(".genlab-fallback");
  if (notice) notice.remove();
  const traces = data.traces.map((t) => ({ ...t, xyz: floats(t.xyz) }));
  let view = root.__genlabScene;
  if (!view || view.key !== data.key) view = root.__genlabScene = build(root, data);
  view.update(data, traces);
}

function build(root, data) {
  root.replaceChildren();
  const key = data.key;
  if (!CAMERAS.has(key)) CAMERAS.set(key, { ...data.camera, zoom: 1, hidden: null });
  const cam = CAMERAS.get(key);
  const legend = el("div", { class: "gs3-legend", role: "group", "aria-label": "Show or hide" }, root);
  const wrap = el("div", { class: "gs3-wrap" }, root);
  const canvas = el("canvas", { class: "gs3-canvas", tabindex: "0", role: "img" }, wrap);
  const tip = el("div", { class: "gs3-tip", "aria-hidden": "true" }, wrap);
  el("p", { class: "gs3-help", text: "Drag to turn; once clicked, the wheel or + and − zoom; double-click or 0 resets; "
    + "arrow keys turn it when focused." }, root);
  const ctx = canvas.getContext("2d");
  let state = { data, traces: [], frame: null, fit: null, projected: [] };
  let queued = false, redraws = 0;

  function visible(i) { return !(cam.hidden && cam.hidden.has(i)); }

  function draw() {
    queued = false;
    redraws += 1;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, wrap.clientWidth || 600), h = state.data.height;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    // projector mode (ui/style.py) enlarges the root font: larger labels and points, as for its Plotly charts
    const big = parseFloat(getComputedStyle(document.documentElement).fontSize) > 16;
    const tickFont = big ? "15px sans-serif" : "11px sans-serif", titleFont = big ? "bold 16px sans-serif" : "bold 12px sans-serif";
    const grow = big ? 1.4 : 1;
    const { centre, scale, lo, hi } = state.frame;
    const s = state.fit(w, h) * cam.zoom;
    state.screen = { w, h, s };
    const toScene = (p) => [(p[0] - centre[0]) * scale, (p[1] - centre[1]) * scale, (p[2] - centre[2]) * scale];
    const toScreen = (q) => { const [x, y, d] = project(q, cam); return [w / 2 + s * x, h / 2 - s * y, d]; };

    // the bounding box, its axis ticks and titles
    const corner = (i, j, k) => toScreen(toScene([[lo[0], hi[0]][i], [lo[1], hi[1]][j], [lo[2], hi[2]][k]]));
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#c8c8c8";
    for (const [a, b] of [[[0,0,0],[1,0,0]], [[0,1,0],[1,1,0]], [[0,0,1],[1,0,1]], [[0,1,1],[1,1,1]],
      [[0,0,0],[0,1,0]], [[1,0,0],[1,1,0]], [[0,0,1],[0,1,1]], [[1,0,1],[1,1,1]],
      [[0,0,0],[0,0,1]], [[1,0,0],[1,0,1]], [[0,1,0],[0,1,1]], [[1,1,0],[1,1,1]]]) {
      const p = corner(...a), q = corner(...b);
      ctx.beginPath(); ctx.moveTo(p[0], p[1]); ctx.lineTo(q[0], q[1]); ctx.stroke();
    }
    ctx.fillStyle = "#404040";
    ctx.font = tickFont;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    // each axis is labelled along the one of its four parallel edges that lies lowest on the screen (the
    // vertical axis: leftmost), ticks and title pushed outwards from the scene's centre
    const mid = toScreen([0, 0, 0]);
    const out = (p, px) => {
      const dx = p[0] - mid[0], dy = p[1] - mid[1], n = Math.hypot(dx, dy) || 1;
      return [p[0] + (px * dx) / n, p[1] + (px * dy) / n];
    };
    state.data.axes.forEach((title, a) => {
      const others = [0, 1, 2].filter((b) => b !== a);
      let best = null;
      for (const i of [0, 1]) for (const j of [0, 1]) {
        const base = [lo[0], lo[1], lo[2]];
        base[others[0]] = [lo[others[0]], hi[others[0]]][i];
        base[others[1]] = [lo[others[1]], hi[others[1]]][j];
        const m = base.slice(); m[a] = (lo[a] + hi[a]) / 2;
        const p = toScreen(toScene(m));
        const score = a === 2 ? -p[0] : p[1];
        if (!best || score > best.score) best = { score, base };
      }
      const at = (v) => { const p = best.base.slice(); p[a] = v; return toScreen(toScene(p)); };
      // ticks thinned where the edge is foreshortened (at least 28 px apart)
      const marks = ticks(lo[a], hi[a]).map((v) => [v, at(v)]);
      const gap = marks.length > 1 ? Math.hypot(marks[1][1][0] - marks[0][1][0], marks[1][1][1] - marks[0][1][1]) : 99;
      const every = Math.ceil(28 / Math.max(gap, 1e-6));
      ctx.font = tickFont;
      if (every <= marks.length) marks.forEach(([v, p], n) => { if (n % every === 0) { const q = out(p, 14); ctx.fillText(label(v), q[0], q[1]); } });
      const q = out(at((lo[a] + hi[a]) / 2), 34);
      ctx.font = titleFont;
      ctx.fillText(title, q[0], q[1]);
    });

    // planes and points, farthest first
    const items = [];
    state.projected = [];
    state.traces.forEach((t, i) => {
      if (!visible(i)) return;
      if (t.kind === "quads") {
        for (let k = 0; k < t.xyz.length; k += 12) {
          const pts = [0, 1, 2, 3].map((c) => toScreen(toScene([t.xyz[k + 3 * c], t.xyz[k + 3 * c + 1], t.xyz[k + 3 * c + 2]])));
          items.push({ depth: pts.reduce((m, p) => m + p[2], 0) / 4, quad: pts, t });
        }
      } else {
        for (let k = 0; k < t.xyz.length; k += 3) {
          const src = [t.xyz[k], t.xyz[k + 1], t.xyz[k + 2]];
          if (!src.every(Number.isFinite)) continue;
          const p = toScreen(toScene(src));
          const colour = t.colors ? t.colors[k / 3] : t.color;
          items.push({ depth: p[2], p, t, colour });
          state.projected.push({ x: p[0], y: p[1], trace: i, src });
        }
      }
    });
    items.sort((a, b) => a.depth - b.depth);
    for (const it of items) {
      if (it.quad) {
        ctx.globalAlpha = it.t.opacity;
        ctx.fillStyle = it.t.color;
        ctx.beginPath();
        it.quad.forEach((p, c) => (c ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
        ctx.closePath();
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.strokeStyle = it.t.color;
        ctx.stroke();
      } else {
        ctx.fillStyle = it.colour;
        const r = it.t.radius * grow;
        if (it.t.symbol === "diamond") {
          ctx.beginPath(); ctx.moveTo(it.p[0], it.p[1] - r - 0.5); ctx.lineTo(it.p[0] + r + 0.5, it.p[1]);
          ctx.lineTo(it.p[0], it.p[1] + r + 0.5); ctx.lineTo(it.p[0] - r - 0.5, it.p[1]); ctx.closePath(); ctx.fill();
        } else {
          ctx.beginPath(); ctx.arc(it.p[0], it.p[1], r, 0, 2 * Math.PI); ctx.fill();
        }
      }
    }
  }

  function redraw() {
    if (!queued) { queued = true; requestAnimationFrame(draw); }
  }

  function legendButtons() {
    legend.replaceChildren();
    state.traces.forEach((t, i) => {
      const b = el("button", { type: "button", class: "gs3-key", "aria-pressed": String(visible(i)) }, legend);
      const sw = el("span", { class: "gs3-swatch" }, b);
      sw.style.background = t.color;
      if (t.kind === "quads") sw.style.opacity = "0.6";
      el("span", { text: t.name }, b);
      b.addEventListener("click", () => {
        cam.hidden = cam.hidden || new Set();
        if (cam.hidden.has(i)) cam.hidden.delete(i); else cam.hidden.add(i);
        b.setAttribute("aria-pressed", String(visible(i)));
        redraw();
      });
    });
  }

  function reset() {
    Object.assign(cam, state.data.camera, { zoom: 1 });
    redraw();
  }

  // -- turning, zooming, hovering -------------------------------------------------------------------------
  let drag = null;
  canvas.addEventListener("pointerdown", (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, yaw: cam.yaw, pitch: cam.pitch };
    canvas.focus({ preventScroll: true });
    canvas.setPointerCapture(ev.pointerId);
    tip.style.display = "none";
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (drag) {
      cam.yaw = drag.yaw - (ev.clientX - drag.x) * 0.01;
      cam.pitch = Math.max(-1.55, Math.min(1.55, drag.pitch + (ev.clientY - drag.y) * 0.01));
      redraw();
      return;
    }
    const box = canvas.getBoundingClientRect();
    const x = ev.clientX - box.left, y = ev.clientY - box.top;
    let best = null, bestD = 64; // within 8 px
    for (const p of state.projected) {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (d < bestD) { best = p; bestD = d; }
    }
    if (!best) { tip.style.display = "none"; return; }
    const t = state.traces[best.trace];
    tip.textContent = `${t.name}: (${best.src.map((v) => label(+v.toPrecision(4))).join(", ")})`;
    tip.style.left = `${best.x + 10}px`;
    tip.style.top = `${best.y + 10}px`;
    tip.style.display = "block";
  });
  const end = () => { drag = null; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("pointerleave", () => { tip.style.display = "none"; });
  canvas.addEventListener("wheel", (ev) => {
    // only once the view has been clicked or tabbed to (or with Ctrl): a page scrolled with the pointer
    // passing over the view keeps scrolling
    if (canvas.getRootNode().activeElement !== canvas && !ev.ctrlKey) return;
    ev.preventDefault();
    cam.zoom = Math.max(0.3, Math.min(6, cam.zoom * Math.exp(-ev.deltaY * 0.001)));
    redraw();
  }, { passive: false });
  canvas.addEventListener("dblclick", reset);
  canvas.addEventListener("keydown", (ev) => {
    const step = 5 * Math.PI / 180;
    const act = { ArrowLeft: () => { cam.yaw += step; }, ArrowRight: () => { cam.yaw -= step; },
      ArrowUp: () => { cam.pitch = Math.min(1.55, cam.pitch + step); },
      ArrowDown: () => { cam.pitch = Math.max(-1.55, cam.pitch - step); },
      "+": () => { cam.zoom = Math.min(6, cam.zoom * 1.15); }, "=": () => { cam.zoom = Math.min(6, cam.zoom * 1.15); },
      "-": () => { cam.zoom = Math.max(0.3, cam.zoom / 1.15); }, "0": () => Object.assign(cam, state.data.camera, { zoom: 1 }),
      Home: () => Object.assign(cam, state.data.camera, { zoom: 1 }) }[ev.key];
    if (!act) return;
    ev.preventDefault();
    act();
    redraw();
  });
  if (window.ResizeObserver) new ResizeObserver(redraw).observe(wrap);

  const view = {
    key,
    update(data, traces) {
      const first = state.traces.length === 0;
      const sameTraces = traces.length === state.traces.length && traces.every((t, i) => t.kind === state.traces[i].kind);
      const fr = frame(traces);
      state = { ...state, data, traces, frame: fr, fit: fitter(fr, data.camera) };
      if (first && cam.hidden === null) cam.hidden = new Set(traces.flatMap((t, i) => (t.hidden ? [i] : [])));
      canvas.setAttribute("aria-label", `${data.title}: a 3-D view you can turn (its data are summarised below)`);
      if (first || !sameTraces) legendButtons();
      else legend.querySelectorAll(".gs3-key").forEach((b, i) => { b.lastChild.textContent = traces[i].name; });
      // (renamed in place, e.g. "autoencoder plane (epoch 120)" while it trains: a focused button keeps focus)
      redraw();
    },
  };
  // for tests and the benchmark: the camera, the redraw count, and the projected points
  window.genlabScene3d = window.genlabScene3d || {};
  window.genlabScene3d[key] = { camera: cam, redraws: () => redraws, projected: () => state.projected,
    frame: () => state.frame, screen: () => state.screen };
  return view;
}

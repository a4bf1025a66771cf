/*
 * The sentiment chart on the conversation page: one SVG drawn from the per-turn series.
 *
 * It exists so the agent sees at a glance how the customer's mood went, with no chart library
 * (the desk loads nothing from a CDN). Sentiment (-1..+1, blue) and smoothed frustration
 * (0..1, red dashed) share one axis; each dot's title gives the turn's text and cues. Its words
 * are in the agent's language (words.js); the cues come worded by the desk (`reason_labels`).
 */
import { word } from "./words.js";

export function drawSentimentChart(figure, turns) {
  const NS = "http://www.w3.org/2000/svg";
  const W = 640, H = 230, left = 38, right = 12, top = 12, bottom = 40;
  const el = (name, attrs, text) => {
    const node = document.createElementNS(NS, name);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const last = turns[turns.length - 1];
  const level = (t) => (t.level ? word(t.level) : word("unknown"));
  const summary = last
    ? word("Sentiment and frustration over %(turns)s customer turns; latest sentiment %(sentiment)s, frustration %(frustration)s (%(level)s)", {
      turns: turns.length,
      sentiment: Number(last.sentiment || 0).toFixed(2),
      frustration: Number(last.smoothed ?? last.frustration ?? 0).toFixed(2),
      level: level(last),
    })
    : word("Sentiment chart: no analysed turns yet");
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": summary });
  const y = (v) => top + (1 - (v + 1) / 2) * (H - top - bottom);
  const n = turns.length;
  const x = (i) => left + (n <= 1 ? (W - left - right) / 2 : (i * (W - left - right)) / (n - 1));
  [-1, -0.5, 0, 0.5, 1].forEach((v) => {
    svg.appendChild(el("line", { class: v === 0 ? "axis" : "grid", x1: left, x2: W - right, y1: y(v), y2: y(v) }));
    svg.appendChild(el("text", { class: "label", x: left - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)));
  });
  if (n === 0) {
    svg.appendChild(el("text", { class: "empty", x: W / 2, y: H / 2, "text-anchor": "middle" },
      word("No analysed turns yet")));
  } else {
    const series = [
      ["sentiment", (t) => Number(t.sentiment || 0)],
      ["frustration", (t) => Number(t.smoothed ?? t.frustration ?? 0)],
    ];
    series.forEach(([name, value]) => {
      const points = turns.map((t, i) => `${x(i).toFixed(1)},${y(value(t)).toFixed(1)}`).join(" ");
      svg.appendChild(el("polyline", { class: `line-${name}`, points }));
      turns.forEach((t, i) => {
        const dot = el("circle", { class: `dot-${name}`, cx: x(i), cy: y(value(t)), r: 3.5, "data-turn": i + 1 });
        const reasons = (t.reason_labels || t.reasons || []).join(", ") || word("no cues");
        dot.appendChild(el("title", {}, word("Turn %(turn)s: “%(text)s”", { turn: i + 1, text: t.text || "" }) + "\n" +
          word("sentiment %(sentiment)s, frustration %(frustration)s, smoothed %(smoothed)s (%(level)s); %(cues)s", {
            sentiment: Number(t.sentiment || 0).toFixed(2),
            frustration: Number(t.frustration || 0).toFixed(2),
            smoothed: Number(t.smoothed || 0).toFixed(2),
            level: level(t),
            cues: reasons,
          })));
        svg.appendChild(dot);
      });
    });
    turns.forEach((t, i) => {
      if (n <= 12 || i % Math.ceil(n / 12) === 0) {
        svg.appendChild(el("text", { class: "label", x: x(i), y: H - bottom + 14, "text-anchor": "middle" }, String(i + 1)));
      }
    });
  }
  svg.appendChild(el("text", { class: "label", x: left, y: H - 6 }, word("turn →")));
  svg.appendChild(el("line", { class: "line-sentiment", x1: 110, x2: 135, y1: H - 10, y2: H - 10 }));
  svg.appendChild(el("text", { class: "label", x: 140, y: H - 6 }, word("sentiment (−1 … +1)")));
  svg.appendChild(el("line", { class: "line-frustration", x1: 280, x2: 305, y1: H - 10, y2: H - 10 }));
  svg.appendChild(el("text", { class: "label", x: 310, y: H - 6 }, word("frustration, smoothed (0 … 1)")));
  figure.replaceChildren(svg);
  figure.dataset.points = String(n);
}

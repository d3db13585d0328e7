// Small helpers shared by the board's modules: DOM building, times, distances, colours.

/** h('div', {class: 'x', onclick: f}, child, 'text', ...) → an element (no HTML strings anywhere). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (name === 'style' && typeof value === 'object') {
      for (const [property, v] of Object.entries(value)) {
        if (property.startsWith('--')) node.style.setProperty(property, v);
        else node.style[property] = v;
      }
    }
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** Minutes since midnight of ``day`` (YYYY-MM-DD) of a local instant 'YYYY-MM-DDTHH:MM'. */
export function minutesOf(instant, day) {
  if (!instant) return null;
  const [date, time] = instant.split('T');
  const [hours, minutes] = time.split(':').map(Number);
  const offsetDays = day ? Math.round((Date.parse(date) - Date.parse(day)) / 86400000) : 0;
  return offsetDays * 1440 + hours * 60 + minutes;
}

export function clock(minutes) {
  const m = Math.round(minutes);
  const hh = Math.floor(((m % 1440) + 1440) % 1440 / 60);
  const mm = ((m % 60) + 60) % 60;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

export function hhmm(instant) {
  return instant ? instant.slice(11, 16) : '';
}

/** Great-circle distance, km. */
export function haversineKm(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(s));
}

/** Distinct colours for technicians (first 12 after ColorBrewer Paired/Dark2, then golden-angle hues). */
const PALETTE = [
  '#1f77b4', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#a6761d', '#e6ab02',
  '#17becf', '#8c564b', '#6a3d9a', '#b15928',
];

export function colour(index) {
  if (index < PALETTE.length) return PALETTE[index];
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue} 65% 40%)`;
}

/** Reasons are written 'Greek / English': the half for the language (the whole when unsure). */
export function reasonIn(text, lang) {
  if (!text) return '';
  const parts = text.split(' / ');
  if (parts.length < 2 || parts.length % 2) return text;
  const half = parts.length / 2;
  return (lang === 'en' ? parts.slice(half) : parts.slice(0, half)).join(' / ');
}

/** Helpdesk categories are 'Ελληνικά / English' too. */
export const categoryIn = reasonIn;

export function money(value) {
  return value === null || value === undefined ? '–' : `${Number(value).toFixed(2)} €`;
}

export function km(value) {
  return value === null || value === undefined ? '–' : `${Number(value).toFixed(1)} km`;
}

/** The next working day (Monday to Friday), YYYY-MM-DD: what "plan the day" offers first. */
export function tomorrow() {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  while (d.getDay() === 0 || d.getDay() === 6) d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A small printer icon (SVG built in the DOM: no font needs the glyph). */
export function printerIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M4 1h8v4H4zM2 6h12a1 1 0 0 1 1 1v5h-3v3H4v-3H1V7a1 1 0 0 1 1-1zm3 5v3h6v-3z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

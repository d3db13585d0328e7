// The time board: one row per technician, drive / sailing / visit / wait / break blocks on an hours axis,
// in the technician's map colour.  Rows take dropped tickets (lock to that technician).

import { t } from './i18n.js';
import { clock, clear, h, km, money, printerIcon } from './util.js';

export class TimeBoard {
  constructor(container, { onHighlight, onSelect, onTicket, onDropTicket, onSheet } = {}) {
    this.container = container;
    this.onHighlight = onHighlight || (() => {});
    this.onSelect = onSelect || (() => {});
    this.onTicket = onTicket || (() => {});
    this.onDropTicket = onDropTicket || null;
    this.onSheet = onSheet || null;
    this.rows = new Map();
  }

  draw(model, ctx) {
    this.rows.clear();
    if (!model || !model.routes.length) {
      clear(this.container, h('p', { class: 'empty' }, t('no_plan')));
      return;
    }
    const span = model.t1 - model.t0;
    const pct = (m) => `${(((m - model.t0) / span) * 100).toFixed(3)}%`;
    const ticks = [];
    for (let m = model.t0; m <= model.t1; m += 60) {
      ticks.push(h('span', { class: 'tick', style: { left: pct(m) } }, clock(m)));
    }
    const grid = [];
    for (let m = model.t0; m <= model.t1; m += 60) grid.push(h('span', { class: 'gridline', style: { left: pct(m) } }));
    const rows = model.routes.map((route) => {
      const blocks = route.blocks.map((b) => {
        const width = Math.max(b.end - b.start, 0);
        const title = this.blockTitle(b, ctx);
        const node = h('div', {
          class: `block ${b.kind}`,
          title,
          style: {
            left: pct(b.start),
            width: `${((width / span) * 100).toFixed(3)}%`,
            '--c': route.colour,
          },
          dataset: b.ticketIds ? { ticket: b.ticketIds[0] } : {},
        });
        if (b.kind === 'visit') {
          const states = b.ticketIds.map((id) => ctx.visits?.get(id)?.state || 'planned');
          const finished = states.every((x) => x === 'done' || x === 'not_solved');
          if (finished) node.classList.add(states.includes('not_solved') ? 'not-solved' : 'done');
          node.append(h('span', { class: 'block-label' }, `${finished ? (node.classList.contains('done') ? '✓ ' : '↺ ') : ''}${ctx.schools.get(b.schoolId)?.name || b.schoolId}`));
          node.addEventListener('click', (e) => {
            e.stopPropagation();
            this.onTicket(b.ticketIds[0]);
          });
        }
        return node;
      });
      const label = h('div', { class: 'row-label' },
        h('span', { class: 'swatch', style: { background: route.colour } }),
        h('div', { class: 'row-name' },
          h('strong', {}, route.name),
          h('small', {}, `${route.technicianId} · ${km(route.distanceKm)} · ${money(route.costEur)}`)),
        this.onSheet
          ? h('button', { class: 'sheet-link', title: t('print_sheet'), onclick: (e) => { e.stopPropagation(); this.onSheet(route.technicianId); } }, printerIcon())
          : null);
      const row = h('div', { class: 'tb-row', dataset: { technician: route.technicianId } }, label, h('div', { class: 'track' }, grid.map((g) => g.cloneNode()), blocks));
      row.addEventListener('mouseenter', () => this.onHighlight(route.technicianId, false));
      row.addEventListener('mouseleave', () => this.onHighlight(null, false));
      row.addEventListener('click', () => this.onSelect(route.technicianId));
      if (this.onDropTicket) {
        row.addEventListener('dragover', (e) => {
          e.preventDefault();
          row.classList.add('drop');
        });
        row.addEventListener('dragleave', () => row.classList.remove('drop'));
        row.addEventListener('drop', (e) => {
          e.preventDefault();
          row.classList.remove('drop');
          const ticketId = e.dataTransfer.getData('text/plain');
          if (ticketId) this.onDropTicket(ticketId, route.technicianId);
        });
      }
      this.rows.set(route.technicianId, row);
      return row;
    });
    clear(
      this.container,
      h('div', { class: 'tb-head' }, h('div', { class: 'row-label' }), h('div', { class: 'axis' }, ticks)),
      h('div', { class: 'tb-body' }, rows),
      h('div', { class: 'tb-legend' },
        ['drive', 'sail', 'visit', 'wait', 'break'].map((k) => h('span', {}, h('span', { class: `block ${k} sample` }), t(k)))),
    );
  }

  blockTitle(b, ctx) {
    const when = `${clock(b.start)}–${clock(b.end)}`;
    if (b.kind === 'visit') {
      const school = ctx.schools.get(b.schoolId);
      return `${t('visit')} ${when}: ${school ? school.name : b.schoolId} (${b.ticketIds.join(', ')})`;
    }
    if (b.kind === 'sail') return `${t('sail')} ${when}: ${b.fromPort} → ${b.toPort}`;
    return `${t(b.kind)} ${when}`;
  }

  highlight(technicianId) {
    for (const [id, row] of this.rows) {
      row.classList.toggle('hl', id === technicianId);
      row.classList.toggle('dim', technicianId !== null && id !== technicianId);
    }
  }
}

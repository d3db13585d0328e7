// The day board: plan the day with progress, the ticket queue, the unassigned list, a ticket's
// details with its actions (lock & re-plan, visit done / not solved), the urgent form; the map
// and the time board side by side.  mode: 'dispatch' (dispatcher, admin), 'planner' (read and
// make scenarios), 'partner' (its technicians' routes and costs).

import { currentLang, onLang, priorityName, t } from './i18n.js';
import { DayMap } from './map.js';
import { dayModel, portsFromGeojson, technicianColours } from './model.js';
import { TimeBoard } from './timeboard.js';
import { categoryIn, clear, h, hhmm, km, money, printerIcon, reasonIn, sleep, tomorrow } from './util.js';

const TERMINAL = new Set(['done', 'failed', 'cancelled']);
const PRIORITIES = ['urgent', 'high', 'normal', 'low'];

export class DayBoard {
  constructor(root, api, me, mode) {
    this.root = root;
    this.api = api;
    this.me = me;
    this.mode = mode;
    this.canDispatch = mode === 'dispatch';
    this.canPlan = mode === 'dispatch' || mode === 'planner';
    this.ctx = { technicians: [], schools: new Map(), bases: new Map(), tickets: new Map(), colours: new Map(), ports: new Map(), shownBases: [] };
    this.openTickets = [];
    this.plans = [];
    this.planId = null;
    this.planJob = null;
    this.plan = null;
    this.model = null;
    this.visits = new Map();
    this.check = null;
    this.selected = null;
    this.sticky = null;
    this.tab = mode === 'partner' ? 'costs' : 'queue';
    this.day = null;
    this.filters = { text: '', directorate: '', island: '', category: '', priority: '', minAge: '' };
    this.following = null;
    this.message = null;
    this.build();
    onLang(() => this.rebuild());
  }

  // --- layout ---------------------------------------------------------------------------------

  build() {
    this.mapNode = h('div', { class: 'map', id: 'map' });
    this.boardNode = h('div', { class: 'timeboard', id: 'timeboard' });
    this.planbar = h('div', { class: 'planbar', id: 'planbar' });
    this.tabsNode = h('nav', { class: 'side-tabs' });
    this.panel = h('div', { class: 'side-panel', id: 'side-panel' });
    this.details = h('div', { class: 'details', id: 'details' });
    this.boardTitle = h('h3', {});
    clear(
      this.root,
      h('section', { class: `dayboard mode-${this.mode}` },
        h('aside', { class: 'side' }, this.planbar, this.tabsNode, this.panel, this.details),
        h('div', { class: 'main' },
          h('div', { class: 'map-wrap' }, this.mapNode),
          h('div', { class: 'board-wrap' }, this.boardTitle, this.boardNode))),
    );
    this.renderBoardTitle();
    this.map = new DayMap(this.mapNode, {
      onTicket: (id) => this.select(id),
      onHighlight: (id) => this.highlight(id),
    });
    this.map.map.on('osmfailed', () => this.flash(t('osm_failed'), 'warn'));
    this.timeboard = new TimeBoard(this.boardNode, {
      onHighlight: (id) => this.highlight(id),
      onSelect: (id) => this.toggleSticky(id),
      onTicket: (id) => this.select(id),
      onDropTicket: this.canDispatch ? (ticketId, techId) => this.lockAndReplan(ticketId, techId) : null,
      onSheet: (techId) => this.openSheet(techId),
    });
    new ResizeObserver(() => this.map.invalidate()).observe(this.mapNode);
  }

  renderBoardTitle() {
    clear(this.boardTitle, t('timeboard'), this.canDispatch ? h('small', { class: 'hint' }, t('drop_here')) : null);
  }

  rebuild() {
    this.renderBoardTitle();
    this.renderPlanbar();
    this.renderSide();
    this.timeboard.draw(this.model, this.ctx);
    this.renderDetails();
  }

  flash(text, kind = 'info') {
    this.message = { text, kind };
    this.renderPlanbar();
  }

  // --- data -------------------------------------------------------------------------------------

  async start() {
    const [technicians, schools, bases, plans] = await Promise.all([
      this.api.get('/technicians?limit=5000'),
      this.api.get('/schools?limit=5000'),
      this.api.get('/bases?limit=5000'),
      this.api.get('/plans?limit=50'),
    ]);
    this.ctx.technicians = technicians;
    this.ctx.colours = technicianColours(technicians);
    this.ctx.schools = new Map(schools.map((s) => [s.school_id, s]));
    this.ctx.bases = new Map(bases.map((b) => [b.base_id, b]));
    this.ctx.shownBases = [...new Set(technicians.map((x) => x.base_id))].map((id) => this.ctx.bases.get(id)).filter(Boolean);
    this.plans = plans;
    await this.loadTickets();
    const pick = this.mode === 'dispatch' ? plans.find((p) => !p.scenario) : plans[0];
    this.renderPlanbar();
    this.renderSide();
    if (pick && TERMINAL.has(pick.status) && pick.has_plan) await this.loadPlan(pick.plan_id);
    else if (pick && !TERMINAL.has(pick.status)) this.follow(pick.plan_id);
    else this.drawAll();
  }

  async loadTickets() {
    if (this.mode === 'partner') {
      this.openTickets = [];
      const all = await this.api.get('/tickets?limit=5000');
      this.ctx.tickets = new Map(all.map((x) => [x.ticket_id, x]));
      return;
    }
    const all = await this.api.get('/tickets?limit=5000');
    this.ctx.tickets = new Map(all.map((x) => [x.ticket_id, x]));
    this.openTickets = all.filter((x) => x.status === 'open' && !x.remote && !x.warranty);
  }

  async refreshPlans() {
    this.plans = await this.api.get('/plans?limit=50');
  }

  async loadPlan(planId) {
    this.planId = planId;
    const path = `/plans/${encodeURIComponent(planId)}`;
    const wantCheck = this.mode !== 'partner';
    const [job, plan, geojson, visits, check] = await Promise.all([
      this.api.get(`${path}/job`),
      this.api.get(path),
      this.api.get(`${path}/plan.geojson`),
      this.api.get(`${path}/visits`),
      wantCheck ? this.api.get(`${path}/check`).catch(() => null) : Promise.resolve(null),
      this.loadTickets(),
    ]);
    this.planJob = job;
    this.plan = plan;
    this.check = check;
    this.visits = new Map(visits.map((v) => [v.ticket_id, v]));
    this.ctx.visits = this.visits;
    this.ctx.ports = portsFromGeojson(plan, geojson);
    if (!plan.dates || !plan.dates.includes(this.day)) this.day = plan.dates ? plan.dates[0] : null;
    this.map.refit();
    await this.drawAll();
  }

  /** Everything drawn from the data in hand; the time it takes is kept in window.__board. */
  async drawAll() {
    const began = performance.now();
    const parts = {};
    const step = (name, work) => {
      const t0 = performance.now();
      work();
      parts[name] = Math.round(performance.now() - t0); // script time; style, layout and paint come after
    };
    step('model', () => {
      this.model = this.plan ? dayModel(this.plan, this.ctx, this.day) : null;
    });
    if (this.selected && this.model) {
      const place = this.model.place.get(this.selected);
      this.sticky = place?.kind === 'visit' ? place.technicianId : null;
    }
    step('map', () => this.map.draw(this.model, this.ctx, this.mode === 'partner' ? [] : this.openTickets));
    step('timeboard', () => this.timeboard.draw(this.model, this.ctx));
    step('panels', () => {
      this.renderPlanbar();
      this.renderSide();
      this.renderDetails();
      this.highlight(null);
    });
    // Until the browser has laid out and painted what was drawn.
    const drawn = performance.now();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    parts.layout_paint = Math.round(performance.now() - drawn);
    const board = (window.__board = window.__board || { draws: 0 });
    board.lastDrawMs = performance.now() - began;
    board.parts = parts;
    board.draws += 1;
    board.planId = this.planId;
    board.routes = this.model ? this.model.routes.length : 0;
    board.tickets = this.ctx.tickets.size;
  }

  // --- planning -----------------------------------------------------------------------------------

  async planDay() {
    const date = this.planbar.querySelector('#plan-date').value || tomorrow();
    const limit = Number(this.planbar.querySelector('#time-limit').value) || 10;
    try {
      const job = await this.api.post('/plans', { date, days: 1, time_limit_s: limit, ...(this.mode === 'planner' ? { scenario: true } : {}) });
      this.message = null;
      await this.follow(job.plan_id);
    } catch (error) {
      this.flash(t('error', { msg: error.message }), 'error');
    }
  }

  /** Poll the job until it ends, showing its progress; then load the plan. */
  async follow(planId) {
    const token = {};
    this.following = { token, planId, job: null };
    this.message = null;
    this.renderPlanbar();
    let job;
    for (;;) {
      job = await this.api.get(`/plans/${encodeURIComponent(planId)}/job`);
      if (this.following?.token !== token) return null;
      this.following.job = job;
      this.renderProgress(job);
      if (TERMINAL.has(job.status)) break;
      await sleep(400);
    }
    this.following = null;
    await this.refreshPlans();
    if (job.has_plan) await this.loadPlan(planId);
    else this.flash(`${t(job.status)}: ${job.message}`, 'error');
    return job;
  }

  async cancel() {
    if (!this.following) return;
    try {
      await this.api.del(`/plans/${encodeURIComponent(this.following.planId)}`);
    } catch (error) {
      this.flash(t('error', { msg: error.message }), 'error');
    }
  }

  async lockAndReplan(ticketId, technicianId) {
    if (!this.canDispatch) return;
    const date = this.plan?.dates?.[0] || this.planbar.querySelector('#plan-date').value || tomorrow();
    const limit = Number(this.planbar.querySelector('#time-limit').value) || 10;
    this.select(ticketId);
    this.flash(t('locking', { ticket: ticketId, tech: technicianId }));
    try {
      await this.api.put(`/tickets/${encodeURIComponent(ticketId)}/lock`, { technician_id: technicianId });
      const job = await this.api.post('/plans', { date, days: 1, time_limit_s: limit });
      const done = await this.follow(job.plan_id);
      if (!done || !done.has_plan) return;
      const place = this.model?.place.get(ticketId);
      const text =
        place?.kind === 'visit'
          ? t('lock_result_visit', { ticket: ticketId, tech: place.technicianId, time: hhmm(place.start) })
          : t('lock_result_unassigned', { ticket: ticketId, reason: reasonIn(place?.reason || '', currentLang()) });
      this.flash(`${t('replanned', { id: job.plan_id.slice(0, 8) })} · ${text}`, this.check?.ok ? 'ok' : 'warn');
      this.select(ticketId);
    } catch (error) {
      this.flash(t('error', { msg: error.message }), 'error');
    }
  }

  /** The printable route sheet: fetched with the key (a plain link would not carry it), shown in a new tab. */
  async openSheet(technicianId) {
    const tab = window.open('', '_blank');
    try {
      const response = await fetch(`/plans/${encodeURIComponent(this.planId)}/routes/${encodeURIComponent(technicianId)}.html`, {
        headers: { 'X-API-Key': this.api.key },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/html;charset=utf-8' }));
      if (tab) tab.location.href = url;
      else window.location.assign(url);
    } catch (error) {
      if (tab) tab.close();
      this.flash(t('error', { msg: error.message }), 'error');
    }
  }

  async unlock(ticketId) {
    try {
      const ticket = await this.api.del(`/tickets/${encodeURIComponent(ticketId)}/lock`);
      this.ctx.tickets.set(ticketId, ticket);
      this.renderDetails();
    } catch (error) {
      this.flash(t('error', { msg: error.message }), 'error');
    }
  }

  async markVisit(ticketId, move) {
    const note = this.details.querySelector('#visit-note')?.value || '';
    try {
      const visit = await this.api.post(`/plans/${encodeURIComponent(this.planId)}/visits/${encodeURIComponent(ticketId)}/${move}`, { note });
      this.visits.set(ticketId, visit);
      await this.loadTickets();
      await this.drawAll();
    } catch (error) {
      this.flash(t('error', { msg: error.message }), 'error');
    }
  }

  async urgent(form) {
    if (!this.planId) {
      this.flash(t('urgent_need_plan'), 'warn');
      return;
    }
    const data = new FormData(form);
    const stamp = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    const local = `${stamp.getFullYear()}-${pad(stamp.getMonth() + 1)}-${pad(stamp.getDate())}T${pad(stamp.getHours())}:${pad(stamp.getMinutes())}`;
    // "S0010 · name" from the list, an id, or a school's exact name.
    const typed = String(data.get('school')).trim();
    const byName = [...this.ctx.schools.values()].find((x) => x.name === typed);
    const schoolId = this.ctx.schools.has(typed.split(' ')[0]) ? typed.split(' ')[0] : byName ? byName.school_id : typed;
    const ticket = {
      ticket_id: `U${local.replace(/\D/g, '').slice(2)}${pad(stamp.getSeconds())}`,
      school_id: schoolId,
      opened_at: local,
      category: String(data.get('category')),
      skill: String(data.get('skill')),
      priority: String(data.get('priority')),
      service_minutes: Number(data.get('minutes')),
    };
    const limit = Number(this.planbar.querySelector('#time-limit').value) || 10;
    try {
      const job = await this.api.post(`/plans/${encodeURIComponent(this.planId)}/urgent`, { ticket, time_limit_s: limit });
      this.tab = 'queue';
      this.selected = ticket.ticket_id;
      await this.follow(job.plan_id);
    } catch (error) {
      this.flash(t('error', { msg: error.message }), 'error');
    }
  }

  // --- highlight ----------------------------------------------------------------------------------

  highlight(technicianId) {
    const id = technicianId ?? this.sticky;
    this.map.highlight(id);
    this.timeboard.highlight(id);
  }

  toggleSticky(technicianId) {
    this.sticky = this.sticky === technicianId ? null : technicianId;
    this.highlight(null);
    if (this.sticky) this.map.fitRoute(this.sticky);
  }

  select(ticketId) {
    this.selected = ticketId;
    this.renderDetails();
    const place = this.model?.place.get(ticketId);
    this.sticky = place?.kind === 'visit' ? place.technicianId : null;
    this.highlight(null);
  }

  // --- the plan bar ---------------------------------------------------------------------------------

  renderPlanbar() {
    const bar = this.planbar;
    const keepDate = bar.querySelector('#plan-date')?.value;
    const keepLimit = bar.querySelector('#time-limit')?.value;
    const planOptions = this.plans
      .filter((p) => p.has_plan || p.plan_id === this.planId)
      .map((p) =>
        h('option', { value: p.plan_id, selected: p.plan_id === this.planId },
          `${p.date}${p.label ? ` · ${p.label}` : ''}${p.scenario ? ` · ${t('scenario')}` : ''} · ${p.state && p.state !== 'draft' ? t(`state_${p.state}`, { n: p.version ?? '' }) : t(p.status)} · ${p.plan_id.slice(0, 8)}`));
    const kpis = this.model?.kpis || {};
    const check = this.check;
    clear(
      bar,
      this.canPlan
        ? h('div', { class: 'plan-controls' },
            h('label', {}, t('plan_date'), h('input', { type: 'date', id: 'plan-date', value: keepDate || tomorrow() })),
            h('label', {}, t('time_limit'), h('input', { type: 'number', id: 'time-limit', min: 1, max: 600, step: 1, value: keepLimit || 10 })),
            h('button', { id: 'plan-day', class: 'primary', disabled: !!this.following, onclick: () => this.planDay() }, t('plan_tomorrow')))
        : null,
      h('div', { class: 'progress', id: 'progress', hidden: !this.following },
        h('div', { class: 'bar' }, h('div', { class: 'fill', id: 'progress-fill' })),
        h('div', { class: 'progress-row' },
          h('span', { id: 'progress-text' }, t('loading')),
          this.canPlan ? h('button', { id: 'cancel-plan', onclick: () => this.cancel() }, t('cancel')) : null)),
      h('div', { class: 'plan-pick' },
        h('label', {}, t('plan'),
          h('select', { id: 'plan-select', onchange: (e) => this.loadPlan(e.target.value) }, planOptions.length ? planOptions : h('option', { value: '' }, '—'))),
        this.plan && this.plan.dates && this.plan.dates.length > 1
          ? h('label', {}, t('day'),
              h('select', { id: 'day-select', onchange: (e) => { this.day = e.target.value; this.drawAll(); } },
                this.plan.dates.map((d) => h('option', { value: d, selected: d === this.day }, d))))
          : null),
      this.plan
        ? h('div', { class: 'kpis', id: 'kpis' },
            kpi(kpis.routes_shown ? (kpis.visited ?? '–') : `${kpis.visited ?? '–'}/${kpis.to_visit ?? kpis.tickets ?? '–'}`, t('kpi_visited')),
            kpi(kpis.unassigned ?? (this.plan.unassigned || []).length, t('kpi_unassigned')),
            kpi(kpis.distance_km != null ? Number(kpis.distance_km).toFixed(0) : '–', t('kpi_km')),
            kpi(kpis.cost_eur != null ? `${Math.round(kpis.cost_eur)} €` : '–', t('kpi_cost')),
            kpi(kpis.technicians_used ?? '–', t('kpi_techs')))
        : h('p', { class: 'empty' }, t('no_plan')),
      this.plan && this.mode !== 'partner'
        ? h('div', { id: 'check', class: `check ${check ? (check.ok ? 'ok' : 'bad') : ''}`, dataset: { ok: check ? String(check.ok) : '' } },
            check ? (check.ok ? `✓ ${t('check_ok')}` : `✗ ${t('check_bad', { n: check.violations.length })}`) : t('check_none'),
            check && !check.ok ? h('ul', {}, check.violations.slice(0, 5).map((v) => h('li', {}, v.message || v.rule))) : null)
        : null,
      this.plan ? this.renderLifecycle() : null,
      this.message ? h('div', { class: `flash ${this.message.kind}`, id: 'flash' }, this.message.text) : null,
    );
    if (this.following?.job) this.renderProgress(this.following.job);
  }

  /** Where the plan stands (draft, published version n, superseded, closed), and *publish* for a draft. */
  renderLifecycle() {
    const job = this.planJob;
    if (!job) return null;
    const state = job.scenario ? 'scenario' : job.state || 'draft';
    const canPublish = this.canDispatch && state === 'draft' && job.has_plan;
    return h('div', { class: `lifecycle ${state}`, id: 'plan-state', dataset: { state, version: job.version ?? '' } },
      h('span', { class: 'badge' }, t(`state_${state}`, { n: job.version ?? '' })),
      canPublish ? h('button', { id: 'publish-plan', class: 'primary', onclick: () => this.publish() }, t('publish')) : null);
  }

  async publish() {
    if (!this.planId) return;
    try {
      const job = await this.api.post(`/plans/${encodeURIComponent(this.planId)}/publish`, {});
      this.planJob = job;
      await this.refreshPlans();
      this.flash(t('published_ok', { n: job.version }), 'ok');
    } catch (error) {
      this.flash(t('error', { msg: error.message }), 'error');
    }
  }

  renderProgress(job) {
    const box = this.planbar.querySelector('#progress');
    if (!box) return;
    box.hidden = false;
    const p = job.progress || {};
    const total = job.time_limit_s * (job.days || 1);
    const fraction = job.status === 'done' ? 1 : Math.min(0.98, (p.elapsed_s || 0) / (total || 1));
    this.planbar.querySelector('#progress-fill').style.width = `${(fraction * 100).toFixed(1)}%`;
    const elapsed = (p.elapsed_s ?? 0).toFixed(1);
    const cost = money(p.best_objective_eur);
    const text =
      job.status === 'queued'
        ? t('queued')
        : p.tickets_placed != null
          ? `${t(job.status)} · ${t('progress', { elapsed, cost, placed: `${p.tickets_placed}/${p.tickets_to_visit ?? '?'}` })}`
          : `${t(job.status)} · ${t('progress_solving', { elapsed, cost, found: p.solutions_found ?? 0, to_visit: p.tickets_to_visit ?? '?' })}`;
    this.planbar.querySelector('#progress-text').textContent = text;
    const button = this.planbar.querySelector('#plan-day');
    if (button) button.disabled = !TERMINAL.has(job.status);
  }

  // --- the side panel -------------------------------------------------------------------------------

  renderSide() {
    const tabs = this.mode === 'partner' ? ['costs', 'unassigned'] : this.canDispatch ? ['queue', 'unassigned', 'urgent'] : ['queue', 'unassigned'];
    if (!tabs.includes(this.tab)) this.tab = tabs[0];
    const count = (this.plan?.unassigned || []).length;
    clear(
      this.tabsNode,
      tabs.map((name) =>
        h('button', { class: name === this.tab ? 'active' : '', id: `tab-${name}`, onclick: () => { this.tab = name; this.renderSide(); } },
          name === 'costs' ? t('cost') : t(name), name === 'unassigned' && this.plan ? ` (${count})` : name === 'queue' ? ` (${this.openTickets.length})` : '')),
    );
    if (this.tab === 'queue') this.renderQueue();
    else if (this.tab === 'unassigned') this.renderUnassigned();
    else if (this.tab === 'urgent') this.renderUrgent();
    else this.renderCosts();
  }

  ageDays(ticket) {
    const ref = Date.parse(this.day || this.planbar.querySelector('#plan-date')?.value || tomorrow());
    return Math.max(0, Math.floor((ref - Date.parse(ticket.opened_at.slice(0, 10))) / 86400000));
  }

  renderQueue() {
    const f = this.filters;
    const schools = this.ctx.schools;
    const directorates = [...new Set([...schools.values()].map((s) => s.directorate))].sort();
    const islands = [...new Set([...schools.values()].map((s) => s.island).filter(Boolean))].sort();
    const categories = [...new Set(this.openTickets.map((x) => x.category))].sort();
    const lang = currentLang();
    const select = (key, id, all, values, label = (v) => v) =>
      h('select', { id, onchange: (e) => { f[key] = e.target.value; this.renderQueueRows(); } },
        h('option', { value: '' }, all),
        values.map((v) => h('option', { value: v, selected: f[key] === v }, label(v))));
    this.queueRows = h('ul', { class: 'queue', id: 'queue' });
    this.queueCount = h('small', { class: 'count', id: 'queue-count' });
    clear(
      this.panel,
      h('div', { class: 'filters' },
        h('input', { type: 'search', id: 'q-text', placeholder: t('search'), value: f.text, oninput: (e) => { f.text = e.target.value; this.renderQueueRows(); } }),
        select('directorate', 'q-directorate', t('all_directorates'), directorates),
        select('island', 'q-island', t('all_islands'), ['-', ...islands], (v) => (v === '-' ? t('mainland') : v)),
        select('category', 'q-category', t('all_categories'), categories, (v) => categoryIn(v, lang)),
        select('priority', 'q-priority', t('all_priorities'), PRIORITIES, priorityName),
        h('input', { type: 'number', id: 'q-age', min: 0, placeholder: t('min_age'), title: t('min_age'), value: f.minAge, oninput: (e) => { f.minAge = e.target.value; this.renderQueueRows(); } })),
      this.queueCount,
      this.queueRows,
    );
    this.renderQueueRows();
  }

  renderQueueRows() {
    if (!this.queueRows) return;
    const f = this.filters;
    const text = f.text.trim().toLowerCase();
    const lang = currentLang();
    const minAge = f.minAge === '' ? null : Number(f.minAge);
    const rows = [];
    let shown = 0;
    const order = { urgent: 0, high: 1, normal: 2, low: 3 };
    const tickets = [...this.openTickets].sort((a, b) => order[a.priority] - order[b.priority] || a.opened_at.localeCompare(b.opened_at));
    for (const ticket of tickets) {
      const school = this.ctx.schools.get(ticket.school_id);
      if (!school) continue;
      if (text && !`${ticket.ticket_id} ${school.name} ${school.school_id} ${ticket.category}`.toLowerCase().includes(text)) continue;
      if (f.directorate && school.directorate !== f.directorate) continue;
      if (f.island === '-' ? school.island : f.island && school.island !== f.island) continue;
      if (f.category && ticket.category !== f.category) continue;
      if (f.priority && ticket.priority !== f.priority) continue;
      const age = this.ageDays(ticket);
      if (minAge !== null && age < minAge) continue;
      shown += 1;
      rows.push(
        h('li', {
          class: `${ticket.ticket_id === this.selected ? 'sel' : ''}`,
          draggable: this.canDispatch ? 'true' : null,
          dataset: { ticket: ticket.ticket_id },
          ondragstart: (e) => e.dataTransfer.setData('text/plain', ticket.ticket_id),
          onclick: () => this.select(ticket.ticket_id),
        },
          h('div', { class: 'q-main' }, h('b', {}, ticket.ticket_id), ' ', school.name),
          h('div', { class: 'q-side' }, h('span', { class: `prio ${ticket.priority}` }, priorityName(ticket.priority)), h('span', { class: 'age' }, t('age_days', { n: age }))),
          h('div', { class: 'q-sub' }, `${school.directorate}${school.island ? ` · ${school.island}` : ''} · ${categoryIn(ticket.category, lang)}`),
          h('div', { class: 'q-side' }, this.placeChip(ticket.ticket_id))),
      );
    }
    clear(this.queueRows, rows);
    this.queueCount.textContent = t('tickets_shown', { n: shown, total: this.openTickets.length });
  }

  placeChip(ticketId) {
    const place = this.model?.place.get(ticketId);
    const ticket = this.ctx.tickets.get(ticketId);
    const lock = ticket?.locked_technician_id ? h('span', { class: 'chip lock', title: t('locked_to', { tech: ticket.locked_technician_id }) }, `⇥ ${ticket.locked_technician_id}`) : null;
    if (!place) return [h('span', { class: 'chip muted' }, t('not_in_plan')), lock];
    if (place.kind === 'visit') {
      return [h('span', { class: 'chip', style: { background: this.ctx.colours.get(place.technicianId) || '#555' } }, `${place.technicianId} ${hhmm(place.start)}`), lock];
    }
    if (place.kind === 'unassigned') return [h('span', { class: 'chip bad', title: reasonIn(place.reason, currentLang()) }, place.code || '✗'), lock];
    return [h('span', { class: 'chip muted' }, t(place.kind)), lock];
  }

  renderUnassigned() {
    const lang = currentLang();
    const items = this.plan?.unassigned || [];
    clear(
      this.panel,
      items.length
        ? h('ul', { class: 'unassigned', id: 'unassigned-list' },
            items.map((item) => {
              const ticket = this.ctx.tickets.get(item.ticket_id);
              const school = ticket ? this.ctx.schools.get(ticket.school_id) : null;
              return h('li', {
                class: item.ticket_id === this.selected ? 'sel' : '',
                draggable: this.canDispatch ? 'true' : null,
                dataset: { ticket: item.ticket_id },
                ondragstart: (e) => e.dataTransfer.setData('text/plain', item.ticket_id),
                onclick: () => this.select(item.ticket_id),
              },
                h('div', { class: 'u-head' }, h('strong', {}, item.ticket_id), ' ', school ? school.name : '', item.code ? h('span', { class: 'chip bad' }, item.code) : null),
                h('div', { class: 'reason' }, reasonIn(item.reason, lang)));
            }))
        : h('p', { class: 'empty' }, this.plan ? t('no_unassigned') : t('no_plan')),
    );
  }

  renderUrgent() {
    const skills = [...new Set(this.ctx.technicians.flatMap((x) => x.skills))].sort();
    const schools = [...this.ctx.schools.values()].sort((a, b) => a.name.localeCompare(b.name));
    clear(
      this.panel,
      h('form', { class: 'urgent', id: 'urgent-form', onsubmit: (e) => { e.preventDefault(); this.urgent(e.target); } },
        h('p', {}, t('urgent_help')),
        h('label', {}, t('school'), h('input', { name: 'school', list: 'school-list', required: true, autocomplete: 'off' })),
        h('datalist', { id: 'school-list' }, schools.map((s) => h('option', { value: `${s.school_id} · ${s.name}` }))),
        h('label', {}, t('category'), h('input', { name: 'category', required: true, value: 'Δίκτυο / network' })),
        h('label', {}, t('skill'), h('select', { name: 'skill' }, skills.map((s) => h('option', { value: s, selected: s === 'network' }, s)))),
        h('label', {}, t('priority'), h('select', { name: 'priority' }, PRIORITIES.map((p) => h('option', { value: p }, priorityName(p))))),
        h('label', {}, t('minutes'), h('input', { name: 'minutes', type: 'number', min: 5, max: 600, value: 60 })),
        h('button', { class: 'primary', type: 'submit', disabled: !this.planId }, t('urgent_submit'))),
    );
  }

  renderCosts() {
    const routes = this.model?.routes || [];
    const sum = (f) => routes.reduce((n, r) => n + (Number(f(r)) || 0), 0);
    clear(
      this.panel,
      h('p', { class: 'help' }, t('partner_help')),
      routes.length
        ? h('table', { class: 'costs', id: 'costs' },
            h('thead', {}, h('tr', {}, h('th', {}, t('technician')), h('th', {}, t('visits')), h('th', {}, t('distance')), h('th', {}, t('travel')), h('th', {}, t('cost')))),
            h('tbody', {},
              routes.map((r) =>
                h('tr', { dataset: { technician: r.technicianId }, onmouseenter: () => this.highlight(r.technicianId), onmouseleave: () => this.highlight(null) },
                  h('td', {}, h('span', { class: 'swatch', style: { background: r.colour } }), `${r.name} (${r.technicianId})`,
                    h('small', { class: 'cost-parts' }, Object.entries(r.costs).map(([k, v]) => `${t(k)} ${money(v)}`).join(' · '))),
                  h('td', { class: 'num' }, r.visits.length),
                  h('td', { class: 'num' }, km(r.distanceKm)),
                  h('td', { class: 'num' }, `${r.travelMinutes ?? '–'}′`),
                  h('td', { class: 'num', title: Object.entries(r.costs).map(([k, v]) => `${k}: ${v}`).join('\n') }, money(r.costEur)))),
              h('tr', { class: 'total' }, h('td', {}, t('total')), h('td', { class: 'num' }, sum((r) => r.visits.length)), h('td', { class: 'num' }, km(sum((r) => r.distanceKm))), h('td', { class: 'num' }, `${sum((r) => r.travelMinutes)}′`), h('td', { class: 'num' }, money(sum((r) => r.costEur))))))
        : h('p', { class: 'empty' }, t('no_plan')),
    );
  }

  // --- a ticket's details ---------------------------------------------------------------------------

  renderDetails() {
    const id = this.selected;
    const ticket = id ? this.ctx.tickets.get(id) : null;
    if (!ticket) {
      clear(this.details);
      this.details.hidden = true;
      return;
    }
    this.details.hidden = false;
    const lang = currentLang();
    const school = this.ctx.schools.get(ticket.school_id);
    const place = this.model?.place.get(id);
    const visit = this.visits.get(id);
    const live = this.planJob && !this.planJob.scenario;
    const candidates = this.ctx.technicians.filter((x) => x.skills.includes(ticket.skill));
    // Offered first: the technician it is locked to, else one other than the one visiting it now.
    const visiting = place?.kind === 'visit' ? place.technicianId : null;
    const preferred = ticket.locked_technician_id || candidates.find((x) => x.technician_id !== visiting)?.technician_id;
    let where = t('not_in_plan');
    if (place?.kind === 'visit') where = t('in_route', { tech: place.technicianId, time: `${place.date} ${hhmm(place.start)}` });
    else if (place?.kind === 'unassigned') where = `${t('unassigned')}: ${reasonIn(place.reason, lang)}`;
    else if (place) where = t(place.kind);
    clear(
      this.details,
      h('div', { class: 'd-head' },
        h('strong', {}, `${t('details')} ${id}`), h('span', { class: `prio ${ticket.priority}` }, priorityName(ticket.priority)),
        h('button', { class: 'close', title: '×', onclick: () => { this.selected = null; this.renderDetails(); } }, '×')),
      h('div', {}, school ? `${school.name} · ${school.directorate}${school.island ? ` · ${school.island}` : ''}` : ticket.school_id),
      h('div', { class: 'muted' }, `${categoryIn(ticket.category, lang)} · ${ticket.skill} · ${ticket.service_minutes}′ · ${ticket.opened_at.replace('T', ' ')}`),
      h('div', { class: 'd-place', id: 'ticket-place' }, where),
      ticket.locked_technician_id ? h('div', { class: 'muted', id: 'ticket-lock' }, t('locked_to', { tech: ticket.locked_technician_id })) : null,
      visit ? h('div', { class: 'muted', id: 'visit-state' }, t('visit_state', { state: t(`vs_${visit.state}`) })) : null,
      this.canDispatch && ticket.status === 'open'
        ? h('div', { class: 'd-actions lock' },
            h('label', { for: 'lock-technician' }, t('lock_to')),
            h('select', { id: 'lock-technician' },
              candidates.map((x) => h('option', { value: x.technician_id, selected: x.technician_id === preferred }, `${x.technician_id} · ${x.name}`))),
            h('button', { id: 'lock-replan', class: 'primary', disabled: !candidates.length || !!this.following,
              onclick: () => this.lockAndReplan(id, this.details.querySelector('#lock-technician').value) }, t('lock_replan')),
            ticket.locked_technician_id ? h('button', { id: 'unlock', onclick: () => this.unlock(id) }, t('unlock')) : null)
        : null,
      this.canDispatch && live && visit && ['planned', 'started'].includes(visit.state)
        ? h('div', { class: 'd-actions' },
            h('input', { id: 'visit-note', placeholder: t('note_prompt'), maxlength: 2000 }),
            h('button', { id: 'visit-done', onclick: () => this.markVisit(id, 'done') }, `✓ ${t('mark_done')}`),
            h('button', { id: 'visit-not-solved', onclick: () => this.markVisit(id, 'not-solved') }, `↺ ${t('mark_not_solved')}`))
        : null,
      place?.kind === 'visit'
        ? h('button', { id: 'sheet-link', onclick: () => this.openSheet(place.technicianId) }, printerIcon(), ` ${t('print_sheet')} ${place.technicianId}`)
        : null,
    );
  }
}

function kpi(value, label) {
  return h('div', { class: 'kpi' }, h('b', {}, String(value)), h('small', {}, label));
}

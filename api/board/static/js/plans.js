// Plans and scenarios: the plans a key sees, and the KPIs of the ticked ones side by side.

import { onLang, t } from './i18n.js';
import { clear, h, money, sleep, tomorrow } from './util.js';

const ROWS = [
  ['date', (j) => j.date],
  ['label', (j) => j.label || '–'],
  ['status', (j) => `${t(j.status)}${j.scenario ? ` · ${t('scenario')}` : ` · ${t('live')}`}`],
  ['tickets', (_, k) => k.tickets],
  ['to_visit', (_, k) => k.to_visit],
  ['visited', (_, k) => k.visited],
  ['unassigned', (_, k) => k.unassigned],
  ['technicians_used', (_, k) => k.technicians_used],
  ['distance', (_, k) => (k.distance_km != null ? `${Number(k.distance_km).toFixed(1)} km` : '–')],
  ['travel_min', (_, k) => k.travel_minutes],
  ['cost', (_, k) => money(k.cost_eur)],
  ['objective', (_, k) => money(k.objective_eur)],
  ['nights', (_, k) => k.nights_away],
  ['solve_s', (_, k) => (k.solve_seconds != null ? `${Number(k.solve_seconds).toFixed(1)} s` : '–')],
  ['check', (j) => (j.check_ok == null ? '–' : j.check_ok ? '✓' : '✗')],
];

export class PlansView {
  constructor(root, api, me, { onOpen }) {
    this.root = root;
    this.api = api;
    this.me = me;
    this.onOpen = onOpen;
    this.plans = [];
    this.ticked = new Set();
    this.kpis = new Map();
    this.busy = false;
    onLang(() => this.render());
  }

  async start() {
    this.plans = await this.api.get('/plans?limit=100');
    const done = this.plans.filter((p) => p.has_plan).slice(0, 3);
    for (const p of done) this.ticked.add(p.plan_id);
    await this.loadKpis();
    this.render();
  }

  async loadKpis() {
    await Promise.all(
      [...this.ticked]
        .filter((id) => !this.kpis.has(id))
        .map(async (id) => {
          const plan = await this.api.get(`/plans/${encodeURIComponent(id)}`);
          this.kpis.set(id, plan.kpis || {});
        }),
    );
  }

  async toggle(id, on) {
    if (on) this.ticked.add(id);
    else this.ticked.delete(id);
    await this.loadKpis();
    this.render();
  }

  async newScenario(form) {
    const data = new FormData(form);
    this.busy = true;
    this.render();
    try {
      const job = await this.api.post('/plans', {
        date: String(data.get('date')),
        days: Number(data.get('days')) || 1,
        time_limit_s: Number(data.get('limit')) || 10,
        label: String(data.get('label')),
        scenario: true,
      });
      for (;;) {
        const state = await this.api.get(`/plans/${encodeURIComponent(job.plan_id)}/job`);
        if (['done', 'failed', 'cancelled'].includes(state.status)) break;
        await sleep(500);
      }
      this.plans = await this.api.get('/plans?limit=100');
      this.ticked.add(job.plan_id);
      await this.loadKpis();
    } catch (error) {
      window.alert(t('error', { msg: error.message }));
    }
    this.busy = false;
    this.render();
  }

  compareTable(ticked) {
    if (!ticked.length) return h('p', { class: 'empty' }, t('compare_help'));
    const head = h('tr', {}, h('th', {}), ticked.map((p) => h('th', {}, p.plan_id.slice(0, 8))));
    const rows = ROWS.map(([name, value]) => {
      const cells = ticked.map((p) => {
        const shown = value(p, this.kpis.get(p.plan_id) || {});
        return h('td', {}, shown === undefined || shown === null ? '–' : String(shown));
      });
      return h('tr', {}, h('th', {}, t(name)), cells);
    });
    return h('table', { class: 'kpi-compare', id: 'kpi-compare' }, h('thead', {}, head), h('tbody', {}, rows));
  }

  render() {
    const ticked = this.plans.filter((p) => this.ticked.has(p.plan_id));
    const canPlan = ['admin', 'dispatcher', 'planner'].includes(this.me.role);
    clear(
      this.root,
      h('section', { class: 'plans-view' },
        h('div', { class: 'plans-list' },
          h('h3', {}, t('plans')),
          canPlan
            ? h('form', { class: 'scenario-form', id: 'scenario-form', onsubmit: (e) => { e.preventDefault(); this.newScenario(e.target); } },
                h('strong', {}, t('new_scenario')),
                h('input', { name: 'date', type: 'date', value: tomorrow(), required: true }),
                h('input', { name: 'label', placeholder: t('label'), maxlength: 300 }),
                h('input', { name: 'limit', type: 'number', min: 1, max: 600, value: 10, title: t('time_limit') }),
                h('input', { name: 'days', type: 'number', min: 1, max: 10, value: 1, title: t('day') }),
                h('button', { class: 'primary', disabled: this.busy }, this.busy ? t('running') : t('run')))
            : null,
          h('table', { class: 'plans', id: 'plans-table' },
            h('thead', {}, h('tr', {}, h('th', {}), h('th', {}, t('plan_date')), h('th', {}, t('label')), h('th', {}, t('status')), h('th', {}, t('created')), h('th', {}))),
            h('tbody', {},
              this.plans.map((p) =>
                h('tr', { dataset: { plan: p.plan_id } },
                  h('td', {}, h('input', { type: 'checkbox', checked: this.ticked.has(p.plan_id), disabled: !p.has_plan, onchange: (e) => this.toggle(p.plan_id, e.target.checked) })),
                  h('td', {}, p.date, p.days > 1 ? ` (+${p.days - 1})` : ''),
                  h('td', {}, p.label || '–', p.scenario ? h('span', { class: 'chip muted' }, t('scenario')) : null),
                  h('td', {}, t(p.status)),
                  h('td', {}, p.created_at.replace('T', ' ').slice(0, 16)),
                  h('td', {}, p.has_plan ? h('button', { onclick: () => this.onOpen(p.plan_id) }, t('open_on_map')) : null)))))),
        h('div', { class: 'compare' }, h('h3', {}, t('compare')), this.compareTable(ticked))),
    );
  }
}

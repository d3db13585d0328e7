// The board's entry: sign in with an API key (sessionStorage only), then the views the key's role allows.

import { Api, storeKey, storedKey } from './api.js';
import { DayBoard } from './dayboard.js';
import { currentLang, onLang, setLang, t } from './i18n.js';
import { PlansView } from './plans.js';
import { clear, h } from './util.js';

const app = document.getElementById('app');
const header = document.getElementById('header');

function tabsFor(role) {
  if (role === 'partner') return [['partner', 'tab_partner']];
  if (role === 'planner') return [['plans', 'tab_plans'], ['day', 'tab_day']];
  return [['day', 'tab_day'], ['plans', 'tab_plans']];
}

class Board {
  constructor() {
    this.me = null;
    this.api = null;
    this.views = new Map();
    this.tab = null;
    onLang(() => (this.me ? this.renderHeader() : this.renderSignIn()));
    // A key revoked (or mistyped) while in use: back to the sign-in form.
    window.addEventListener('dromologio:unauthorized', () => {
      if (this.me) this.signOut(t('bad_key'));
    });
    document.documentElement.lang = currentLang();
  }

  async start() {
    const key = storedKey();
    if (key && (await this.signIn(key, true))) return;
    this.renderSignIn();
  }

  async signIn(key, silent = false) {
    const api = new Api(key);
    try {
      this.me = await api.get('/me');
    } catch (error) {
      storeKey(null);
      if (!silent) this.renderSignIn(error.status === 429 ? error.message : t('bad_key'));
      return false;
    }
    storeKey(key);
    this.api = api;
    document.body.dataset.role = this.me.role;
    this.views.clear();
    this.renderHeader();
    this.show(tabsFor(this.me.role)[0][0]);
    return true;
  }

  signOut(message) {
    storeKey(null);
    this.me = null;
    this.api = null;
    this.views.clear();
    this.tab = null;
    delete document.body.dataset.role;
    this.renderSignIn(message);
  }

  renderSignIn(error) {
    this.renderHeader();
    const input = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', required: true, placeholder: t('key') });
    clear(
      app,
      h('form', { class: 'signin', id: 'signin', onsubmit: (e) => { e.preventDefault(); this.signIn(input.value.trim()); } },
        h('h2', {}, t('signin_title')),
        h('p', {}, t('signin_help')),
        h('label', {}, t('key'), input),
        error ? h('p', { class: 'error', id: 'signin-error' }, error) : null,
        h('button', { class: 'primary', type: 'submit', id: 'signin-button' }, t('signin'))),
    );
    input.focus();
  }

  renderHeader() {
    document.title = t('title');
    const lang = currentLang();
    clear(
      header,
      h('h1', {}, t('title')),
      this.me
        ? h('nav', { class: 'tabs', id: 'tabs' },
            tabsFor(this.me.role).map(([name, label]) =>
              h('button', { class: name === this.tab ? 'active' : '', id: `view-${name}`, onclick: () => this.show(name) }, t(label))))
        : h('span'),
      h('div', { class: 'who' },
        this.me
          ? h('span', { id: 'who' }, `${this.me.name} · ${t(`role_${this.me.role}`)}${this.me.employer && !this.me.name.includes(this.me.employer) ? ` · ${this.me.employer}` : ''}`)
          : null,
        h('span', { class: 'lang' },
          h('button', { class: lang === 'el' ? 'active' : '', id: 'lang-el', onclick: () => setLang('el') }, 'ΕΛ'),
          h('button', { class: lang === 'en' ? 'active' : '', id: 'lang-en', onclick: () => setLang('en') }, 'EN')),
        this.me ? h('button', { id: 'signout', onclick: () => this.signOut() }, t('signout')) : null),
    );
  }

  async show(name, planId) {
    this.tab = name;
    this.renderHeader();
    for (const [other, view] of this.views) view.node.hidden = other !== name;
    let view = this.views.get(name);
    if (!view) {
      const node = h('div', { class: 'view', id: `view-root-${name}` });
      app.querySelector('.signin')?.remove();
      if (!this.views.size) clear(app);
      app.append(node);
      const role = this.me.role;
      const make =
        name === 'plans'
          ? () => new PlansView(node, this.api, this.me, { onOpen: (id) => this.show('day', id) })
          : () => new DayBoard(node, this.api, this.me, role === 'partner' ? 'partner' : role === 'planner' ? 'planner' : 'dispatch');
      view = { node, instance: make() };
      this.views.set(name, view);
      try {
        await view.instance.start();
      } catch (error) {
        node.prepend(h('p', { class: 'error' }, t('error', { msg: error.message })));
      }
    }
    if (planId && view.instance.loadPlan) {
      await view.instance.refreshPlans();
      await view.instance.loadPlan(planId);
    }
    if (view.instance.map) view.instance.map.invalidate();
  }
}

window.addEventListener('DOMContentLoaded', () => {
  const board = new Board();
  window.__dromologio = board;
  board.start();
});

// Greek first, English on the switch.  t('key', {n: 3}) fills {n}.

const STRINGS = {
  el: {
    title: 'Δρομολόγιο · πίνακας διανομής',
    signin_title: 'Είσοδος',
    signin_help: 'Δώστε το κλειδί API (το τυπώνει το «dromologio serve» ή το δίνει ο διαχειριστής). Κρατιέται μόνο σε αυτή την καρτέλα.',
    key: 'Κλειδί API',
    signin: 'Είσοδος',
    signout: 'Έξοδος',
    bad_key: 'Το κλειδί δεν έγινε δεκτό.',
    role_admin: 'διαχειριστής', role_dispatcher: 'συντονιστής', role_partner: 'φορέας', role_planner: 'σχεδιαστής',
    tab_day: 'Ημέρα', tab_plans: 'Πλάνα & σενάρια', tab_partner: 'Οι τεχνικοί μας',
    plan_date: 'Ημερομηνία', time_limit: 'Χρόνος (s)', plan_tomorrow: 'Σχεδίαση ημέρας', cancel: 'Διακοπή',
    plan: 'Πλάνο', no_plan: 'Κανένα πλάνο ακόμη — πατήστε «Σχεδίαση ημέρας».',
    queued: 'σε αναμονή', running: 'επίλυση', done: 'έτοιμο', failed: 'απέτυχε', cancelled: 'διακόπηκε',
    progress: '{elapsed} s · καλύτερο κόστος {cost} · {placed} αιτήματα τοποθετημένα',
    progress_solving: '{elapsed} s · καλύτερο κόστος {cost} · {found} λύσεις · {to_visit} αιτήματα για επίσκεψη',
    queue: 'Αιτήματα', unassigned: 'Χωρίς ανάθεση', urgent: 'Επείγον', details: 'Αίτημα',
    search: 'Αναζήτηση σχολείου ή αιτήματος', all_directorates: 'Όλες οι Διευθύνσεις', all_islands: 'Όλα (νησιά & ηπειρωτική)',
    mainland: 'ηπειρωτική', all_categories: 'Όλες οι κατηγορίες', all_priorities: 'Όλες οι προτεραιότητες',
    min_age: 'Ηλικία ≥ (ημ.)', tickets_shown: '{n} από {total} αιτήματα',
    urgent_p: 'επείγον', high: 'υψηλή', normal: 'κανονική', low: 'χαμηλή',
    age_days: '{n} ημ.', school: 'Σχολείο', directorate: 'Διεύθυνση', island: 'Νησί', category: 'Κατηγορία',
    priority: 'Προτεραιότητα', age: 'Ηλικία', state: 'Κατάσταση', skill: 'Ειδικότητα', minutes: 'Λεπτά εργασίας',
    in_route: 'επίσκεψη {tech} {time}', not_in_plan: 'εκτός πλάνου', remote: 'απομακρυσμένα', vendor: 'προμηθευτής',
    locked_to: 'κλειδωμένο σε {tech}',
    map: 'Χάρτης', timeboard: 'Πρόγραμμα ημέρας',
    drive: 'οδήγηση', sail: 'πλοίο', visit: 'επίσκεψη', wait: 'αναμονή', break: 'Διάλειμμα',
    print_sheet: 'Φύλλο δρομολογίου', lock_to: 'Κλείδωμα σε', lock_replan: 'Κλείδωμα & νέα σχεδίαση', unlock: 'Ξεκλείδωμα',
    mark_done: 'Έγινε', mark_not_solved: 'Δεν λύθηκε', visit_state: 'Επίσκεψη: {state}',
    vs_planned: 'προγραμματισμένη', vs_started: 'σε εξέλιξη', vs_done: 'ολοκληρώθηκε', vs_not_solved: 'δεν λύθηκε',
    no_unassigned: 'Όλα τα αιτήματα έχουν επίσκεψη.',
    urgent_help: 'Νέο επείγον αίτημα στο τρέχον πλάνο: νέα σχεδίαση των διαδρομών της ημέρας.',
    urgent_submit: 'Προσθήκη & νέα σχεδίαση', urgent_need_plan: 'Χρειάζεται πρώτα ένα πλάνο.',
    check_ok: 'Ανεξάρτητος έλεγχος: κανένα σφάλμα', check_bad: 'Ανεξάρτητος έλεγχος: {n} παραβιάσεις',
    check_none: 'Ανεξάρτητος έλεγχος: —',
    publish: 'Δημοσίευση', published_ok: 'Δημοσιεύτηκε: το πλάνο της ημέρας, έκδοση {n}',
    state_draft: 'Πρόχειρο', state_published: 'Δημοσιευμένο · έκδοση {n}', state_superseded: 'Αντικαταστάθηκε (έκδοση {n})',
    state_closed: 'Κλειστή ημέρα · έκδοση {n}', state_scenario: 'Σενάριο',
    kpi_visited: 'επισκέψεις', kpi_unassigned: 'χωρίς ανάθεση', kpi_km: 'km', kpi_cost: 'κόστος', kpi_techs: 'τεχνικοί',
    drop_here: 'Σύρετε αίτημα σε τεχνικό για κλείδωμα',
    locking: 'Κλείδωμα {ticket} σε {tech} και νέα σχεδίαση…',
    lock_result_visit: '{ticket}: επίσκεψη από {tech} στις {time}.',
    lock_result_unassigned: '{ticket}: χωρίς ανάθεση — {reason}',
    replanned: 'Νέο πλάνο {id}',
    technician: 'Τεχνικός', visits: 'Επισκέψεις', distance: 'Απόσταση', travel: 'Μετακίνηση', cost: 'Κόστος',
    total: 'Σύνολο', costs_breakdown: 'ανάλυση',
    plans: 'Πλάνα', compare: 'Σύγκριση', label: 'Ετικέτα', scenario: 'σενάριο', live: 'ημέρας', status: 'Κατάσταση',
    created: 'Δημιουργία', compare_help: 'Επιλέξτε πλάνα για σύγκριση των δεικτών τους δίπλα-δίπλα.',
    open_on_map: 'Άνοιγμα', new_scenario: 'Νέο σενάριο', run: 'Εκτέλεση',
    tickets: 'αιτήματα', to_visit: 'για επίσκεψη', visited: 'με επίσκεψη', objective: 'στόχος', nights: 'διανυκτερεύσεις',
    solve_s: 'χρόνος επίλυσης', check: 'έλεγχος', technicians_used: 'τεχνικοί σε χρήση', travel_min: 'λεπτά μετακίνησης',
    partner_help: 'Οι διαδρομές και το κόστος των τεχνικών του φορέα σας στο επιλεγμένο πλάνο.',
    base_offline: 'Χάρτης χωρίς σύνδεση', base_osm: 'OpenStreetMap (με σύνδεση)', osm_failed: 'Οι χάρτες OpenStreetMap δεν φορτώνουν: χάρτης χωρίς σύνδεση.',
    bases: 'Βάσεις', schools: 'Σχολεία', routes: 'Διαδρομές', unassigned_layer: 'Χωρίς ανάθεση',
    error: 'Σφάλμα: {msg}', date: 'Ημερομηνία',
    distance_eur: 'χιλιόμετρα', ferry_eur: 'ναύλα', per_diem_eur: 'ημερήσια', overnight_eur: 'διανυκτέρευση', tolls_eur: 'διόδια', loading: 'Φόρτωση…', note_prompt: 'Σημείωση (προαιρετική)', day: 'Ημέρα',
  },
  en: {
    title: 'Dromologio · dispatch board',
    signin_title: 'Sign in',
    signin_help: 'Enter your API key (printed by “dromologio serve” or given by the admin). It is kept in this tab only.',
    key: 'API key',
    signin: 'Sign in',
    signout: 'Sign out',
    bad_key: 'The key was not accepted.',
    role_admin: 'admin', role_dispatcher: 'dispatcher', role_partner: 'partner', role_planner: 'planner',
    tab_day: 'Day', tab_plans: 'Plans & scenarios', tab_partner: 'Our technicians',
    plan_date: 'Date', time_limit: 'Time (s)', plan_tomorrow: 'Plan the day', cancel: 'Stop',
    plan: 'Plan', no_plan: 'No plan yet — press “Plan the day”.',
    queued: 'queued', running: 'solving', done: 'done', failed: 'failed', cancelled: 'stopped',
    progress: '{elapsed} s · best cost {cost} · {placed} tickets placed',
    progress_solving: '{elapsed} s · best cost {cost} · {found} solutions · {to_visit} tickets to visit',
    queue: 'Tickets', unassigned: 'Unassigned', urgent: 'Urgent', details: 'Ticket',
    search: 'Search school or ticket', all_directorates: 'All Directorates', all_islands: 'All (islands & mainland)',
    mainland: 'mainland', all_categories: 'All categories', all_priorities: 'All priorities',
    min_age: 'Age ≥ (days)', tickets_shown: '{n} of {total} tickets',
    urgent_p: 'urgent', high: 'high', normal: 'normal', low: 'low',
    age_days: '{n} d', school: 'School', directorate: 'Directorate', island: 'Island', category: 'Category',
    priority: 'Priority', age: 'Age', state: 'State', skill: 'Skill', minutes: 'Minutes on site',
    in_route: 'visit {tech} {time}', not_in_plan: 'not in plan', remote: 'remote', vendor: 'vendor',
    locked_to: 'locked to {tech}',
    map: 'Map', timeboard: 'Day schedule',
    drive: 'drive', sail: 'sailing', visit: 'visit', wait: 'wait', break: 'Break',
    print_sheet: 'Route sheet', lock_to: 'Lock to', lock_replan: 'Lock & re-plan', unlock: 'Unlock',
    mark_done: 'Done', mark_not_solved: 'Not solved', visit_state: 'Visit: {state}',
    vs_planned: 'planned', vs_started: 'started', vs_done: 'done', vs_not_solved: 'not solved',
    no_unassigned: 'Every ticket has a visit.',
    urgent_help: 'A new urgent ticket in the current plan: the day’s routes are planned again.',
    urgent_submit: 'Add & re-plan', urgent_need_plan: 'A plan is needed first.',
    check_ok: 'Independent checker: no violation', check_bad: 'Independent checker: {n} violations',
    check_none: 'Independent checker: —',
    publish: 'Publish', published_ok: 'Published: the plan of the day, version {n}',
    state_draft: 'Draft', state_published: 'Published · version {n}', state_superseded: 'Superseded (version {n})',
    state_closed: 'Day closed · version {n}', state_scenario: 'Scenario',
    kpi_visited: 'visited', kpi_unassigned: 'unassigned', kpi_km: 'km', kpi_cost: 'cost', kpi_techs: 'technicians',
    drop_here: 'Drag a ticket onto a technician to lock it',
    locking: 'Locking {ticket} to {tech} and planning again…',
    lock_result_visit: '{ticket}: visited by {tech} at {time}.',
    lock_result_unassigned: '{ticket}: unassigned — {reason}',
    replanned: 'New plan {id}',
    technician: 'Technician', visits: 'Visits', distance: 'Distance', travel: 'Travel', cost: 'Cost',
    total: 'Total', costs_breakdown: 'breakdown',
    plans: 'Plans', compare: 'Compare', label: 'Label', scenario: 'scenario', live: 'day', status: 'Status',
    created: 'Created', compare_help: 'Tick plans to compare their KPIs side by side.',
    open_on_map: 'Open', new_scenario: 'New scenario', run: 'Run',
    tickets: 'tickets', to_visit: 'to visit', visited: 'visited', objective: 'objective', nights: 'nights away',
    solve_s: 'solve time', check: 'check', technicians_used: 'technicians used', travel_min: 'travel minutes',
    partner_help: 'Your body’s technicians: their routes and costs in the chosen plan.',
    base_offline: 'Offline base map', base_osm: 'OpenStreetMap (online)', osm_failed: 'OpenStreetMap tiles do not load: offline base map.',
    bases: 'Bases', schools: 'Schools', routes: 'Routes', unassigned_layer: 'Unassigned',
    error: 'Error: {msg}', date: 'Date',
    distance_eur: 'km', ferry_eur: 'fares', per_diem_eur: 'per diem', overnight_eur: 'overnight', tolls_eur: 'tolls', loading: 'Loading…', note_prompt: 'Note (optional)', day: 'Day',
  },
};

const LANG = 'dromologio.lang';
let lang = localStorage.getItem(LANG) === 'en' ? 'en' : 'el';
const listeners = [];

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'el';
  localStorage.setItem(LANG, lang);
  document.documentElement.lang = lang;
  for (const listener of listeners) listener(lang);
}

export function onLang(listener) {
  listeners.push(listener);
}

export function t(key, vars = {}) {
  const text = STRINGS[lang][key] ?? STRINGS.el[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}

export function priorityName(priority) {
  return t(priority === 'urgent' ? 'urgent_p' : priority);
}

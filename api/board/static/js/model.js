// The day's model: a plan (the contract's JSON) turned into map legs and time-board blocks.

import { colour, haversineKm, minutesOf } from './util.js';

/** Technician id → colour, stable for a key: by the order of the technicians it sees. */
export function technicianColours(technicians) {
  const ids = technicians.map((x) => x.technician_id).sort();
  return new Map(ids.map((id, i) => [id, colour(i)]));
}

/** Port id → [lat, lon], read off the plan's GeoJSON export (its route lines pass through the ports). */
export function portsFromGeojson(plan, geojson) {
  const ports = new Map();
  const lines = new Map();
  for (const feature of geojson?.features || []) {
    const p = feature.properties || {};
    if (p.kind === 'route') lines.set(`${p.technician_id}|${p.date}`, feature.geometry.coordinates);
  }
  for (const route of plan.routes || []) {
    const line = lines.get(`${route.technician_id}|${route.date}`);
    if (!line) continue;
    const expected = route.stops.reduce((n, s) => n + (s.type === 'ferry' ? 2 : s.lat != null ? 1 : 0), 0);
    if (expected !== line.length) continue; // a port without a position: leave this route's ports out
    let i = 0;
    for (const stop of route.stops) {
      if (stop.type === 'ferry') {
        ports.set(stop.from_port, [line[i][1], line[i][0]]);
        ports.set(stop.to_port, [line[i + 1][1], line[i + 1][0]]);
        i += 2;
      } else if (stop.lat != null) {
        i += 1;
      }
    }
  }
  return ports;
}

/**
 * Blocks of one route's day, minutes since that day's midnight.  Visits and waits at schools
 * are exact (arrive → start → end); sailings and the lunch break are exact; the road time of a leg that ends at a
 * port is not in the plan, so it is estimated from the straight-line distance, scaled so that
 * the route's road legs add up to its travel_minutes.
 */
function routeBlocks(route, ports) {
  const day = route.date;
  const stops = route.stops;
  const legs = [];
  let position = stops[0] && stops[0].lat != null ? [stops[0].lat, stops[0].lon] : null;
  let time = minutesOf(stops[0]?.depart, day);
  const raw = [];
  for (const stop of stops.slice(1)) {
    if (stop.type === 'ferry') {
      const from = ports.get(stop.from_port) || null;
      const to = ports.get(stop.to_port) || null;
      const depart = minutesOf(stop.depart, day);
      raw.push({ kind: 'road', start: time, end: depart, from: position, to: from, toPort: true });
      raw.push({ kind: 'sail', start: depart, end: minutesOf(stop.arrive, day), from, to, stop });
      time = minutesOf(stop.arrive, day);
      position = to;
    } else {
      const here = [stop.lat, stop.lon];
      const arrive = minutesOf(stop.arrive, day);
      raw.push({ kind: 'road', start: time, end: arrive, from: position, to: here, toPort: false });
      if (stop.type === 'visit') {
        const start = minutesOf(stop.start, day);
        if (start > arrive) raw.push({ kind: 'wait', start: arrive, end: start, stop });
        raw.push({ kind: 'visit', start, end: minutesOf(stop.end, day), stop });
        time = minutesOf(stop.end, day);
      } else {
        time = arrive;
      }
      position = here;
    }
  }
  // Road time: estimated per leg, scaled to the route's travel minutes less its sailings.
  const sailMinutes = raw.filter((b) => b.kind === 'sail').reduce((n, b) => n + (b.end - b.start), 0);
  const roadLegs = raw.filter((b) => b.kind === 'road');
  const estimate = (b) => (b.from && b.to ? (haversineKm(b.from, b.to) * 1.3) / 0.75 : 0); // ~45 km/h
  const estimated = roadLegs.reduce((n, b) => n + estimate(b), 0);
  const roadMinutes = Math.max(0, (route.travel_minutes ?? 0) - sailMinutes);
  const scale = estimated > 0 ? roadMinutes / estimated : 1;
  const blocks = [];
  // The lunch break ("Διάλειμμα / Break"): in a leg's slack or a wait, which it splits; before the
  // drive when the drive no longer fits ahead of it.  Before leaving or once back, on its own.
  const pause = route.lunch_break
    ? { kind: 'break', start: minutesOf(route.lunch_break.start, day), end: minutesOf(route.lunch_break.end, day) }
    : null;
  let paused = false;
  const within = (b) => pause && !paused && pause.start >= b.start && pause.end <= b.end;
  const waitAround = (start, end, extra = {}) => {
    if (within({ start, end })) {
      paused = true;
      if (pause.start > start) blocks.push({ ...extra, kind: 'wait', start, end: pause.start });
      blocks.push(pause);
      if (end > pause.end) blocks.push({ ...extra, kind: 'wait', start: pause.end, end });
    } else if (end > start) {
      blocks.push({ ...extra, kind: 'wait', start, end });
    }
  };
  for (const b of raw) {
    if (b.kind === 'road') {
      const gap = Math.max(0, b.end - b.start);
      let drive = Math.min(gap, Math.round(estimate(b) * scale));
      if (b.from && b.to && (b.from[0] !== b.to[0] || b.from[1] !== b.to[1])) {
        legs.push({ kind: 'road', latlngs: [b.from, b.to] });
      }
      if (within(b) && pause.start - b.start < drive) {
        // The break first, then the drive.
        waitAround(b.start, pause.end);
        drive = Math.min(drive, b.end - pause.end);
        if (drive > 0) blocks.push({ kind: 'drive', start: pause.end, end: pause.end + drive });
        if (b.end > pause.end + drive) blocks.push({ kind: 'wait', start: pause.end + drive, end: b.end });
        continue;
      }
      if (drive > 0) blocks.push({ kind: 'drive', start: b.start, end: b.start + drive });
      // Waiting for a sailing happens at the port; any other slack, before arriving.
      waitAround(b.start + drive, b.end);
    } else if (b.kind === 'wait') {
      waitAround(b.start, b.end, { schoolId: b.stop.school_id, ticketIds: b.stop.ticket_ids || [] });
    } else if (b.kind === 'sail') {
      if (b.from && b.to) legs.push({ kind: 'sea', latlngs: [b.from, b.to] });
      blocks.push({ kind: 'sail', start: b.start, end: b.end, fromPort: b.stop.from_port, toPort: b.stop.to_port });
    } else {
      blocks.push({
        kind: b.kind,
        start: b.start,
        end: b.end,
        schoolId: b.stop.school_id,
        ticketIds: b.stop.ticket_ids || [],
      });
    }
  }
  if (pause && !paused) blocks.push(pause);
  return { blocks, legs };
}

/**
 * The model the map and the time board draw.  ``context``: technicians (list), schools,
 * tickets, bases (Maps by id), colours (Map), ports (Map).
 */
export function dayModel(plan, context, day) {
  const dates = plan.dates || [];
  const shown = day || dates[0];
  const routes = [];
  const place = new Map();
  const technicianById = new Map(context.technicians.map((x) => [x.technician_id, x]));
  for (const route of plan.routes || []) {
    const visits = route.stops.filter((s) => s.type === 'visit');
    for (const stop of visits) {
      for (const ticketId of stop.ticket_ids) {
        place.set(ticketId, { kind: 'visit', technicianId: route.technician_id, date: route.date, start: stop.start, schoolId: stop.school_id });
      }
    }
    if (route.date !== shown) continue;
    const { blocks, legs } = routeBlocks(route, context.ports);
    const technician = technicianById.get(route.technician_id);
    routes.push({
      technicianId: route.technician_id,
      name: technician ? technician.name : route.technician_id,
      baseId: technician ? technician.base_id : null,
      colour: context.colours.get(route.technician_id) || '#555',
      date: route.date,
      stops: route.stops,
      visits,
      blocks,
      legs,
      distanceKm: route.distance_km,
      travelMinutes: route.travel_minutes,
      costEur: route.cost_eur,
      costs: route.costs || {},
    });
  }
  routes.sort((a, b) => a.technicianId.localeCompare(b.technicianId));
  for (const item of plan.unassigned || []) place.set(item.ticket_id, { kind: 'unassigned', reason: item.reason, code: item.code });
  for (const id of plan.remote || []) place.set(id, { kind: 'remote' });
  for (const id of plan.vendor || []) place.set(id, { kind: 'vendor' });
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const route of routes) {
    for (const b of route.blocks) {
      t0 = Math.min(t0, b.start);
      t1 = Math.max(t1, b.end);
    }
  }
  if (!Number.isFinite(t0)) {
    t0 = 8 * 60;
    t1 = 16 * 60;
  }
  return {
    dates,
    day: shown,
    routes,
    unassigned: plan.unassigned || [],
    place,
    kpis: plan.kpis || {},
    t0: Math.floor(t0 / 60) * 60,
    t1: Math.max(Math.ceil(t1 / 60) * 60, Math.floor(t0 / 60) * 60 + 240),
  };
}

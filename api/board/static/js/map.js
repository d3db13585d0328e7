// The map of the day (Leaflet, shipped in vendor/): bases, schools, routes in each technician's
// colour, sailings as dashed sea legs, unassigned tickets marked.  Offline base map by default
// (Natural Earth land, ELSTAT settlements); OpenStreetMap tiles only when a user picks them.

import { t, onLang } from './i18n.js';
import { h, haversineKm } from './util.js';

const L = window.L;
const ELSTAT =
  'Settlement, population and terrain data: Hellenic Statistical Authority (ELSTAT), via geodata.gov.gr and the HellasDB project (J. G. Chaparro)';
const NATURAL_EARTH = 'Land: Natural Earth';
const OSM = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
const BASEMAP_CHOICE = 'dromologio.basemap';

export class DayMap {
  constructor(container, { onTicket, onHighlight } = {}) {
    this.onTicket = onTicket || (() => {});
    this.onHighlight = onHighlight || (() => {});
    this.map = L.map(container, { zoomSnap: 0.25, preferCanvas: false, attributionControl: true });
    this.map.attributionControl.setPrefix('Leaflet');
    this.map.attributionControl.addAttribution(ELSTAT);
    this.map.fitBounds([[36.3, 19.8], [40.6, 26.2]]);
    this.svg = L.svg({ padding: 0.3 });
    this.canvas = L.canvas({ padding: 0.3 });
    this.offline = L.layerGroup([], { attribution: NATURAL_EARTH });
    this.osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
      maxZoom: 18,
      attribution: OSM,
    });
    this.osmLoaded = false;
    this.osm.on('tileload', () => {
      this.osmLoaded = true;
    });
    this.osm.on('tileerror', () => {
      if (!this.osmLoaded && this.map.hasLayer(this.osm)) this.useOffline(true);
    });
    this.day = L.layerGroup().addTo(this.map);
    this.routeLayers = new Map();
    this.fitted = false;
    this.layersControl = null;
    this.legend = null;
    this.buildControls();
    onLang(() => this.buildControls());
    this.loadBasemap();
    if (localStorage.getItem(BASEMAP_CHOICE) === 'osm') this.osm.addTo(this.map);
    else this.offline.addTo(this.map);
    this.map.on('baselayerchange', (e) => {
      localStorage.setItem(BASEMAP_CHOICE, e.layer === this.osm ? 'osm' : 'offline');
      this.container().classList.toggle('online', e.layer === this.osm);
    });
  }

  container() {
    return this.map.getContainer();
  }

  buildControls() {
    if (this.layersControl) this.layersControl.remove();
    this.layersControl = L.control.layers(
      { [t('base_offline')]: this.offline, [t('base_osm')]: this.osm },
      {},
      { position: 'topright', collapsed: true },
    ).addTo(this.map);
    if (this.legend) this.legend.remove();
    const Legend = L.Control.extend({
      onAdd: () =>
        h('div', { class: 'map-legend' },
          h('div', {}, h('span', { class: 'lg-road' }), ' ', t('drive')),
          h('div', {}, h('span', { class: 'lg-sea' }), ' ', t('sail')),
          h('div', {}, h('span', { class: 'lg-visit' }), ' ', t('visit')),
          h('div', {}, h('span', { class: 'lg-unassigned' }), ' ', t('unassigned_layer')),
          h('div', {}, h('span', { class: 'lg-base' }), ' ', t('bases'))),
    });
    this.legend = new Legend({ position: 'bottomleft' }).addTo(this.map);
  }

  async loadBasemap() {
    const response = await fetch('basemap.geojson');
    const data = await response.json();
    // Labels for the largest towns, none within 12 km of a larger labelled one.
    const towns = [];
    const byPopulation = data.features
      .filter((f) => f.properties.kind === 'settlement')
      .sort((a, b) => b.properties.pop - a.properties.pop);
    for (const town of byPopulation) {
      if (towns.length >= 16 || town.properties.pop < 800) break;
      const [lon, lat] = town.geometry.coordinates;
      if (towns.every((o) => haversineKm([lat, lon], [o.geometry.coordinates[1], o.geometry.coordinates[0]]) > 12)) towns.push(town);
    }
    L.geoJSON(data, {
      renderer: this.canvas,
      interactive: false,
      style: () => ({ color: '#b9bcae', weight: 0.8, fillColor: '#f4f3ec', fillOpacity: 1 }),
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, {
          renderer: this.canvas,
          interactive: false,
          radius: feature.properties.pop > 5000 ? 2.6 : feature.properties.pop > 1000 ? 1.8 : 1.2,
          stroke: false,
          fillColor: '#9a9a8c',
          fillOpacity: 0.55,
        }),
    }).addTo(this.offline);
    for (const town of towns) {
      const [lon, lat] = town.geometry.coordinates;
      L.marker([lat, lon], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: 'town-label', html: '', iconSize: null }),
      })
        .bindTooltip(town.properties.name, { permanent: true, direction: 'right', className: 'town-tooltip', offset: [2, 0] })
        .addTo(this.offline);
    }
  }

  useOffline(failed) {
    this.map.removeLayer(this.osm);
    this.offline.addTo(this.map);
    localStorage.setItem(BASEMAP_CHOICE, 'offline');
    if (failed) this.map.fire('osmfailed');
  }

  /**
   * Draw the day: ``model`` from dayModel (or null: only the queue), ``ctx`` the lookups, ``openTickets``
   * the queue (schools with open tickets not in the plan are grey dots).
   */
  draw(model, ctx, openTickets = []) {
    this.day.clearLayers();
    this.routeLayers.clear();
    const bounds = L.latLngBounds([]); // routes and bases; the rest only when there is no route
    const others = L.latLngBounds([]);
    const drawnSchools = new Set();
    const options = { renderer: this.svg };
    if (model) {
      for (const route of model.routes) {
        const layers = [];
        const road = route.legs.filter((l) => l.kind === 'road').map((l) => l.latlngs);
        const sea = route.legs.filter((l) => l.kind === 'sea').map((l) => l.latlngs);
        const style = { ...options, color: route.colour, weight: 3, opacity: 0.85, className: `route route-${route.technicianId}` };
        if (road.length) layers.push(L.polyline(road, style));
        if (sea.length) layers.push(L.polyline(sea, { ...style, dashArray: '7 6', weight: 2.5, className: `route sea route-${route.technicianId}` }));
        route.visits.forEach((stop, i) => {
          drawnSchools.add(stop.school_id);
          const school = ctx.schools.get(stop.school_id);
          const marker = L.circleMarker([stop.lat, stop.lon], {
            ...options,
            radius: 6,
            color: '#fff',
            weight: 1.5,
            fillColor: route.colour,
            fillOpacity: 1,
            className: `visit visit-${route.technicianId}`,
          });
          const states = stop.ticket_ids.map((id) => ctx.visits?.get(id)?.state).filter((s) => s && s !== 'planned');
          if (states.length) marker.setStyle({ fillOpacity: 0.35, dashArray: '2 2', color: route.colour });
          marker.bindTooltip(
            `${i + 1}. ${school ? school.name : stop.school_id} · ${stop.start.slice(11, 16)}–${stop.end.slice(11, 16)} · ${stop.ticket_ids.join(', ')}${states.length ? ` · ${states.map((s) => t(`vs_${s}`)).join(', ')}` : ''}`,
          );
          marker.on('click', () => this.onTicket(stop.ticket_ids[0]));
          layers.push(marker);
        });
        for (const layer of layers) {
          layer.on('mouseover', () => this.onHighlight(route.technicianId, false));
          layer.on('mouseout', () => this.onHighlight(null, false));
          layer.addTo(this.day);
          if (layer.getBounds) bounds.extend(layer.getBounds());
          else bounds.extend(layer.getLatLng());
        }
        this.routeLayers.set(route.technicianId, layers);
      }
      const unassignedBySchool = new Map();
      for (const item of model.unassigned) {
        const ticket = ctx.tickets.get(item.ticket_id);
        if (!ticket) continue;
        const list = unassignedBySchool.get(ticket.school_id) || [];
        list.push(item);
        unassignedBySchool.set(ticket.school_id, list);
      }
      for (const [schoolId, items] of unassignedBySchool) {
        const school = ctx.schools.get(schoolId);
        if (!school) continue;
        drawnSchools.add(schoolId);
        const marker = L.circleMarker([school.lat, school.lon], {
          ...options,
          radius: 6,
          color: '#c62828',
          weight: 2.5,
          fillColor: '#fff',
          fillOpacity: 1,
          className: 'unassigned-marker',
        });
        marker.bindTooltip(`${school.name}: ${items.map((x) => x.ticket_id).join(', ')} — ${t('unassigned')}`);
        marker.on('click', () => this.onTicket(items[0].ticket_id));
        marker.addTo(this.day);
        others.extend(marker.getLatLng());
      }
    }
    // Open tickets the plan does not name (not planned yet, or opened since): grey dots.
    const bySchool = new Map();
    for (const ticket of openTickets) {
      if (drawnSchools.has(ticket.school_id) || (model && model.place.has(ticket.ticket_id))) continue;
      const list = bySchool.get(ticket.school_id) || [];
      list.push(ticket);
      bySchool.set(ticket.school_id, list);
    }
    for (const [schoolId, tickets] of bySchool) {
      const school = ctx.schools.get(schoolId);
      if (!school) continue;
      const marker = L.circleMarker([school.lat, school.lon], {
        ...options,
        radius: 4.5,
        color: '#555',
        weight: 1,
        fillColor: '#bbb',
        fillOpacity: 1,
        className: 'open-ticket',
      });
      marker.bindTooltip(`${school.name}: ${tickets.map((x) => x.ticket_id).join(', ')}`);
      marker.on('click', () => this.onTicket(tickets[0].ticket_id));
      marker.addTo(this.day);
      others.extend(marker.getLatLng());
    }
    for (const base of ctx.shownBases || []) {
      const marker = L.marker([base.lat, base.lon], {
        icon: L.divIcon({ className: 'base-icon', iconSize: [12, 12] }),
        title: base.name,
        keyboard: false,
      });
      marker.bindTooltip(base.name);
      marker.addTo(this.day);
      bounds.extend(marker.getLatLng());
    }
    if (!(model && model.routes.length) && others.isValid()) bounds.extend(others);
    if (!this.fitted && bounds.isValid()) {
      this.map.fitBounds(bounds.pad(0.08), { maxZoom: 10 });
      this.fitted = true;
    }
  }

  highlight(technicianId) {
    for (const [id, layers] of this.routeLayers) {
      const on = technicianId === null || id === technicianId;
      for (const layer of layers) {
        if (layer.setRadius) layer.setStyle({ fillOpacity: on ? 1 : 0.2, opacity: on ? 1 : 0.2 });
        else layer.setStyle({ opacity: on ? 0.9 : 0.12, weight: id === technicianId ? 5 : 3 });
        if (on && technicianId !== null && layer.bringToFront) layer.bringToFront();
      }
    }
  }

  /** Zoom to one technician's route (kept when it is already in view). */
  fitRoute(technicianId) {
    const layers = this.routeLayers.get(technicianId) || [];
    const bounds = L.latLngBounds([]);
    for (const layer of layers) bounds.extend(layer.getBounds ? layer.getBounds() : layer.getLatLng());
    if (!bounds.isValid()) return;
    const view = this.map.getBounds();
    if (view.contains(bounds) && this.map.getBoundsZoom(bounds) - this.map.getZoom() < 2) return;
    this.map.fitBounds(bounds.pad(0.25), { maxZoom: 12 });
  }

  focus(lat, lon) {
    this.map.setView([lat, lon], Math.max(this.map.getZoom(), 11));
  }

  refit() {
    this.fitted = false;
  }

  invalidate() {
    this.map.invalidateSize();
  }
}

// The public API, as machines use it: the key travels in X-API-Key; errors are problem details.

const KEY = 'dromologio.key';

export class ApiError extends Error {
  constructor(status, detail, body) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export function storedKey() {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

export class Api {
  constructor(key) {
    this.key = key;
  }

  async request(method, path, body) {
    const headers = { 'X-API-Key': this.key, Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const type = response.headers.get('content-type') || '';
    const data = type.includes('json') ? await response.json() : await response.text();
    if (response.status === 401) window.dispatchEvent(new CustomEvent('dromologio:unauthorized'));
    if (!response.ok) {
      const detail = data && typeof data === 'object' ? data.detail || data.title : String(data).slice(0, 200);
      throw new ApiError(response.status, detail, data);
    }
    return { status: response.status, data };
  }

  async get(path) {
    return (await this.request('GET', path)).data;
  }

  async post(path, body = {}) {
    return (await this.request('POST', path, body)).data;
  }

  async put(path, body = {}) {
    return (await this.request('PUT', path, body)).data;
  }

  async del(path) {
    return (await this.request('DELETE', path)).data;
  }
}

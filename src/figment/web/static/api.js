// Fetch wrapper for the Figment JSON API: same-origin cookies, CSRF header on writes,
// and one error type carrying the API's stable {code, message, details}.

import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details || {};
  }

  // The form field the error is about, if the API named one.
  get field() {
    const d = this.details;
    if (d && typeof d.field === 'string') return d.field;
    const list = Array.isArray(d && d.errors) ? d.errors : null;
    if (list && list[0] && Array.isArray(list[0].loc)) return String(list[0].loc[list[0].loc.length - 1]);
    return null;
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)figment_csrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : '';
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function api(path, { method = 'GET', body, signal, keepalive = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (WRITE.has(method)) {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
      keepalive,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', t('error.network'));
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) throw toError(response.status, data);
  return data;
}

function toError(status, data) {
  if (data && data.error && typeof data.error === 'object') {
    const e = data.error;
    return new ApiError(status, e.code || `http_${status}`, e.message || t('error.generic'), e.details || {});
  }
  // FastAPI's default validation shape, in case a route slips past the error handler.
  if (data && Array.isArray(data.detail) && data.detail[0]) {
    const first = data.detail[0];
    return new ApiError(status, 'validation_error', first.msg || t('error.generic'), { errors: data.detail });
  }
  if (data && typeof data.detail === 'string') return new ApiError(status, `http_${status}`, data.detail);
  if (status === 401) return new ApiError(status, 'unauthenticated', t('error.unauthenticated'));
  if (status === 404) return new ApiError(status, 'not_found', t('error.notFound'));
  if (status === 429) return new ApiError(status, 'rate_limited', t('error.rateLimited'));
  return new ApiError(status, `http_${status}`, t('error.generic'));
}

// Multipart upload (reference images, CSV files): same cookies, CSRF header and error shape as api().
export async function upload(path, formData, { signal } = {}) {
  const headers = { Accept: 'application/json' };
  const token = csrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: formData, credentials: 'same-origin', signal });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', t('error.network'));
  }
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) throw toError(response.status, data);
  return data;
}

export const get = (path, opts = {}) => api(path, { ...opts, method: 'GET' });
export const post = (path, body, opts = {}) => api(path, { ...opts, method: 'POST', body });
export const put = (path, body, opts = {}) => api(path, { ...opts, method: 'PUT', body });
export const del = (path, opts = {}) => api(path, { ...opts, method: 'DELETE' });

export const enc = encodeURIComponent;

export function isAbort(err) {
  return err && err.name === 'AbortError';
}

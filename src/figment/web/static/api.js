// Fetch wrapper for the Figment JSON API: same-origin cookies, CSRF header on writes,
// and one error type carrying the API's stable {code, message, details}.

import { describeError } from './errors.js';

// `message` is the sentence to show, in the reader's language (errors.js builds it from the stable
// code and details); `serverMessage` keeps the API's own English sentence.
export class ApiError extends Error {
  constructor(status, code, serverMessage, details = {}) {
    const safeDetails = details && typeof details === 'object' ? details : {};
    super(describeError({ code, details: safeDetails, serverMessage }));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = safeDetails;
    this.serverMessage = serverMessage;
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
    throw new ApiError(0, 'network_error', '');
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
    return new ApiError(status, e.code || `http_${status}`, e.message || '', e.details || {});
  }
  // FastAPI's default validation shape, in case a route slips past the error handler.
  if (data && Array.isArray(data.detail) && data.detail[0]) {
    const first = data.detail[0];
    return new ApiError(status, 'validation_error', first.msg || '', { errors: data.detail });
  }
  if (data && typeof data.detail === 'string') return new ApiError(status, `http_${status}`, data.detail);
  if (status === 401) return new ApiError(status, 'unauthenticated', '');
  if (status === 404) return new ApiError(status, 'not_found', '');
  if (status === 429) return new ApiError(status, 'rate_limited', '');
  if (status >= 500) return new ApiError(status, 'unavailable', '');
  return new ApiError(status, `http_${status}`, '');
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
    throw new ApiError(0, 'network_error', '');
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

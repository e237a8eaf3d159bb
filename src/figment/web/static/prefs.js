// localStorage that never throws (private windows, disabled storage).

export function readPref(key, fallback = null) {
  try {
    const value = window.localStorage.getItem(`figment.${key}`);
    return value === null ? fallback : value;
  } catch {
    return fallback;
  }
}

export function writePref(key, value) {
  try {
    window.localStorage.setItem(`figment.${key}`, String(value));
  } catch {
    // Preference simply is not remembered.
  }
}

// A like asked for while logged out: remembered in this tab (sessionStorage) while the person logs in
// or signs up, then applied on the clip's own page (/v/{id}), where login sends them back. Kept out of
// the URL on purpose: a link must never make someone like a clip.

const KEY = 'figment.pendingLike';
const MAX_AGE_MS = 30 * 60 * 1000;

export function rememberPendingLike(videoId) {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify({ id: videoId, at: Date.now() }));
  } catch {
    // Storage is off: the person lands on the clip and taps again.
  }
}

// The pending like for this clip, taken (it is forgotten as it is read), or false.
export function takePendingLike(videoId) {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return false;
    const pending = JSON.parse(raw);
    if (!pending || pending.id !== videoId) return false;
    window.sessionStorage.removeItem(KEY);
    return Date.now() - Number(pending.at) < MAX_AGE_MS;
  } catch {
    return false;
  }
}

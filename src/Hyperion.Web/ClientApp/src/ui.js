// Small browser helpers for the web client.
export function focusById(id) {
  document.getElementById(id)?.focus();
}

export function setTheme(dark) {
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  try { localStorage.setItem('hyperion.theme', dark ? 'dark' : 'light'); } catch { /* private mode */ }
}

export function storedTheme() {
  try { return localStorage.getItem('hyperion.theme'); } catch { return null; }
}

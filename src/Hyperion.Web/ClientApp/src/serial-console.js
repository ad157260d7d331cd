// The VM's serial console in xterm.js, fed by polling the Center's serial relay from the last offset it returned.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';

const sessions = new Map();

export function open(key, element, path, intervalMs) {
  close(key);
  const term = new Terminal({ convertEol: true, disableStdin: true, scrollback: 5000, fontSize: 13, cursorBlink: false });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);
  fit.fit();
  const decoder = new TextDecoder();
  const session = { term, fit, offset: 0, stopped: false, timer: 0, received: 0, onResize: () => fit.fit() };
  window.addEventListener('resize', session.onResize);
  sessions.set(key, session);
  const poll = async () => {
    if (session.stopped) return;
    try {
      const response = await fetch(`${path}?offset=${session.offset}`, { credentials: 'same-origin', cache: 'no-store' });
      if (response.ok) {
        const next = response.headers.get('X-Hyperion-Next-Offset');
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (bytes.length > 0) {
          term.write(decoder.decode(bytes, { stream: true }));
          session.received += bytes.length;
          element.dataset.received = String(session.received);
        }
        if (next !== null) session.offset = Number(next);
        element.dataset.state = 'live';
      } else {
        element.dataset.state = `error-${response.status}`;
      }
    } catch {
      element.dataset.state = 'offline';
    }
    if (!session.stopped) session.timer = setTimeout(poll, intervalMs);
  };
  poll();
}

export function text(key) {
  const session = sessions.get(key);
  if (!session) return '';
  const buffer = session.term.buffer.active;
  const lines = [];
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
  return lines.join('\n');
}

export function close(key) {
  const session = sessions.get(key);
  if (!session) return;
  session.stopped = true;
  clearTimeout(session.timer);
  window.removeEventListener('resize', session.onResize);
  session.term.dispose();
  sessions.delete(key);
}

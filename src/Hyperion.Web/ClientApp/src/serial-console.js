// The VM's serial console in xterm.js, fed by polling the Center's serial relay from the last offset it returned.
// The element's data-received counts the bytes shown; data-state is live, error-<status> or offline. With a .NET
// reference, OnSerialState(state, message) is called when the state changes.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';

const sessions = new Map();

async function problemMessage(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

export function open(key, element, path, intervalMs, dotnet) {
  close(key);
  const term = new Terminal({ convertEol: true, disableStdin: true, scrollback: 5000, fontSize: 13, cursorBlink: false });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);
  fit.fit();
  const decoder = new TextDecoder();
  const session = { term, fit, offset: 0, stopped: false, timer: 0, received: 0, scrollLock: false, state: '', onResize: () => fit.fit() };
  window.addEventListener('resize', session.onResize);
  sessions.set(key, session);
  const setState = (state, message) => {
    element.dataset.state = state;
    if (session.state !== state) {
      session.state = state;
      dotnet?.invokeMethodAsync('OnSerialState', state, message || '').catch(() => {});
    }
  };
  const poll = async () => {
    if (session.stopped) return;
    try {
      const response = await fetch(`${path}?offset=${session.offset}`, { credentials: 'same-origin', cache: 'no-store' });
      if (session.stopped) return;
      if (response.ok) {
        const next = response.headers.get('X-Hyperion-Next-Offset');
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (bytes.length > 0) {
          const buffer = term.buffer.active;
          const keepAt = session.scrollLock ? buffer.viewportY : -1;
          term.write(decoder.decode(bytes, { stream: true }), () => {
            if (keepAt >= 0) term.scrollToLine(keepAt);
          });
          session.received += bytes.length;
          element.dataset.received = String(session.received);
        }
        if (next !== null) session.offset = Number(next);
        setState('live', '');
      } else {
        setState(`error-${response.status}`, await problemMessage(response));
      }
    } catch {
      setState('offline', 'The Center cannot be reached');
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

export function clear(key) {
  sessions.get(key)?.term.clear();
}

export function setScrollLock(key, locked) {
  const session = sessions.get(key);
  if (!session) return;
  session.scrollLock = !!locked;
  if (!locked) session.term.scrollToBottom();
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

// The VM's screen over noVNC: a websocket to the Center (which relays it to the host agent's VNC bridge).
// The element's data-state follows the connection: connecting, connected, disconnected.
import RFB from '@novnc/novnc';

const sessions = new Map();

function websocketUrl(path) {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export function connect(key, element, path, dotnet) {
  disconnect(key);
  element.dataset.state = 'connecting';
  let rfb;
  try {
    rfb = new RFB(element, websocketUrl(path), { shared: true });
  } catch (e) {
    element.dataset.state = 'disconnected';
    dotnet.invokeMethodAsync('OnConsoleDisconnected', false).catch(() => {});
    return;
  }
  rfb.scaleViewport = true;
  rfb.focusOnClick = true;
  rfb.background = '#000';
  rfb.addEventListener('connect', () => {
    if (sessions.get(key) !== rfb) return;
    element.dataset.state = 'connected';
    rfb.focus({ preventScroll: true });
    dotnet.invokeMethodAsync('OnConsoleConnected').catch(() => {});
  });
  rfb.addEventListener('disconnect', (e) => {
    // A connection replaced or closed on purpose (disconnect below) reports nothing.
    if (sessions.get(key) !== rfb) return;
    sessions.delete(key);
    element.dataset.state = 'disconnected';
    dotnet.invokeMethodAsync('OnConsoleDisconnected', !!(e.detail && e.detail.clean)).catch(() => {});
  });
  rfb.addEventListener('securityfailure', (e) => {
    if (sessions.get(key) !== rfb) return;
    element.dataset.state = 'disconnected';
    dotnet.invokeMethodAsync('OnConsoleSecurityFailure', (e.detail && e.detail.reason) || '').catch(() => {});
  });
  sessions.set(key, rfb);
}

export function sendCtrlAltDel(key) {
  const rfb = sessions.get(key);
  if (!rfb) return false;
  rfb.sendCtrlAltDel();
  rfb.focus({ preventScroll: true });
  return true;
}

export function focus(key) {
  sessions.get(key)?.focus({ preventScroll: true });
}

// Fullscreen on the console's element (the browser asks the user to leave with Esc).
export async function fullscreen(element) {
  if (!element || !element.requestFullscreen) return false;
  await element.requestFullscreen();
  return true;
}

export function disconnect(key, element) {
  const rfb = sessions.get(key);
  if (rfb) {
    sessions.delete(key);
    try { rfb.disconnect(); } catch { /* already closed */ }
  }
  element?.removeAttribute('data-state');
}

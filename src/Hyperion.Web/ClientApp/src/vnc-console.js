// The VM's screen over noVNC: a websocket to the Center (which relays it to the host agent's VNC bridge).
import RFB from '@novnc/novnc';

const sessions = new Map();

function websocketUrl(path) {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export function connect(key, element, path, dotnet) {
  disconnect(key);
  const rfb = new RFB(element, websocketUrl(path), { shared: true });
  rfb.scaleViewport = true;
  rfb.focusOnClick = true;
  rfb.background = '#000';
  rfb.addEventListener('connect', () => dotnet.invokeMethodAsync('OnConsoleConnected'));
  rfb.addEventListener('disconnect', (e) => {
    sessions.delete(key);
    dotnet.invokeMethodAsync('OnConsoleDisconnected', !!(e.detail && e.detail.clean)).catch(() => {});
  });
  sessions.set(key, rfb);
}

export function sendCtrlAltDel(key) {
  sessions.get(key)?.sendCtrlAltDel();
}

export function focus(key) {
  sessions.get(key)?.focus();
}

export function disconnect(key) {
  const rfb = sessions.get(key);
  if (rfb) {
    sessions.delete(key);
    try { rfb.disconnect(); } catch { /* already closed */ }
  }
}

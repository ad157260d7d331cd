// Starts Blazor with reconnection that never gives up: a lost connection to the Center shows the banner
// (#components-reconnect-modal) and retries every 2 s; when the Center no longer knows the circuit (it restarted),
// the page reloads itself, and the session cookie (kept by the Center's database) brings the user straight back.
(function () {
  window.hyperionCircuitReady = () => { window.__hyperionCircuitUp = true; };
  const banner = () => document.getElementById('components-reconnect-modal');
  Blazor.start({
    circuit: {
      reconnectionOptions: {
        maxRetries: 1000000,
        retryIntervalMilliseconds: (previousAttempts) => (previousAttempts < 5 ? 1000 : 2000),
      },
    },
  }).then(() => {
    const element = banner();
    if (!element) return;
    element.addEventListener('components-reconnect-state-changed', (e) => {
      const state = e.detail && e.detail.state;
      element.dataset.state = state || '';
      if (state === 'rejected') {
        location.reload();
      }
    });
    // Older event-less path: a class change to "rejected" also reloads.
    new MutationObserver(() => {
      if (element.classList.contains('components-reconnect-rejected')) location.reload();
    }).observe(element, { attributes: true, attributeFilter: ['class'] });
  });
})();

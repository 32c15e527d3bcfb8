// A classic script, not part of the app bundle: browsers refuse module scripts (and fetch)
// from a page opened as a file, so the app never starts there and "Loading…" would stay
// forever. This one still runs, and says how to open the dashboard instead.
// In a block of its own, so its names do not become globals of the page.
{
  const hint = location.protocol === 'file:' ? document.getElementById('loading') : null;
  if (hint) {
    hint.textContent =
      'This dashboard cannot run from a file opened on disk: browsers do not let such a page load its scripts and data. ' +
      'Serve it instead: run `gitfleet serve` for a live page, or serve this folder with any static web server ' +
      '(for example `python3 -m http.server` in it) and open the address it prints.';
  }
}

// Observable Framework config for the refstack site. The site must build and render with no network:
// no CDN stylesheets (globalStylesheets: []), no default footer link, a data: favicon, and only bare
// imports that Framework bundles from node_modules (see STYLE.md / DESIGN.md).
//
// Environment (set by src/site/build.ts; defaults suit a manual `observable build` from this folder):
//   REFSTACK_SITE_TITLE   site title (default "refstack")
//   REFSTACK_SITE_OUTPUT  Framework output folder, relative to this folder (default "dist")
//   REFSTACK_WAREHOUSE, REFSTACK_SCHEMA  read by the data loaders, not here
// Light and dark themes: style.css follows prefers-color-scheme unless <html data-theme> says otherwise. This
// inline script (no network) applies the reader's stored choice before first paint and defines the header
// toggle, which flips between the two and remembers the choice in localStorage.
const THEME_SCRIPT = `<script>
(function () {
  var key = 'refstack-theme';
  try { var saved = localStorage.getItem(key); if (saved === 'light' || saved === 'dark') document.documentElement.dataset.theme = saved; } catch (e) {}
  window.refstackToggleTheme = function () {
    var root = document.documentElement;
    var dark = root.dataset.theme ? root.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.theme = dark ? 'light' : 'dark';
    try { localStorage.setItem(key, root.dataset.theme); } catch (e) {}
  };
})();
</script>`;

export default {
  root: 'src',
  output: process.env.REFSTACK_SITE_OUTPUT || 'dist',
  title: process.env.REFSTACK_SITE_TITLE || 'refstack',
  pages: [
    { name: 'Referral funnel', path: '/referral-funnel' },
    { name: 'Referral tree', path: '/referral-tree' },
    { name: 'Attribution', path: '/attribution' },
    { name: 'Cohorts and LTV', path: '/cohorts-ltv' },
    { name: 'Experiments', path: '/experiments' },
    { name: 'Rewards and liability', path: '/rewards' },
    { name: 'Advocates', path: '/advocates' },
    { name: 'Fraud and review', path: '/fraud' },
    { name: 'Data quality', path: '/data-quality' },
  ],
  style: 'style.css',
  globalStylesheets: [],
  head: `<link rel="icon" href="data:,">${THEME_SCRIPT}`,
  header: `<button type="button" class="theme-toggle" data-testid="theme-toggle" onclick="refstackToggleTheme()">Light / dark</button>`,
  footer: '',
  search: false,
  toc: false,
  interpreters: { '.ts': ['node', '--import', 'tsx'] },
};

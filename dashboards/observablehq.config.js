// Observable Framework config for the refstack site. The site must build and render with no network:
// no CDN stylesheets (globalStylesheets: []), no default footer link, a data: favicon, and only bare
// imports that Framework bundles from node_modules (see STYLE.md / DESIGN.md).
//
// Environment (set by src/site/build.ts; defaults suit a manual `observable build` from this folder):
//   REFSTACK_SITE_TITLE   site title (default "refstack")
//   REFSTACK_SITE_OUTPUT  Framework output folder, relative to this folder (default "dist")
//   REFSTACK_WAREHOUSE, REFSTACK_SCHEMA  read by the data loaders, not here
export default {
  root: 'src',
  output: process.env.REFSTACK_SITE_OUTPUT || 'dist',
  title: process.env.REFSTACK_SITE_TITLE || 'refstack',
  pages: [
    { name: 'Referral funnel', path: '/referral-funnel' },
    { name: 'Attribution', path: '/attribution' },
    { name: 'Cohorts and LTV', path: '/cohorts-ltv' },
    { name: 'Experiments', path: '/experiments' },
    { name: 'Rewards and liability', path: '/rewards' },
  ],
  style: 'style.css',
  globalStylesheets: [],
  head: '<link rel="icon" href="data:,">',
  footer: '',
  search: false,
  toc: false,
  interpreters: { '.ts': ['node', '--import', 'tsx'] },
};

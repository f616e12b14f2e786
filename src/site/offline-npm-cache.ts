/**
 * Lets Observable Framework 1.13 build with no network.
 *
 * Framework's client bundle names the libraries behind its implicit globals (Plot, d3, Inputs' htl,
 * Arquero, Leaflet, React, ...) as `npm:` specifiers and, on every build with an empty cache, asks the npm
 * registry for each one's latest version just to write `/_npm/<name>@<version>/...` paths into client.js.
 * It looks in `<root>/.observablehq/cache/_npm/<name>@<version>/` folders first, so seeding those folders
 * answers the lookups offline. Our pages never use the implicit globals (they import from node_modules by
 * bare specifier), so these paths are never requested; a page that did use one would fail its build offline
 * (Framework would try to download the library), which is what we want.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Every library Framework 1.13.4's client.js and stdlib.js resolve by version, with the version to name when
 * the package is not installed locally (the registry's latest when this list was written).
 */
export const FRAMEWORK_IMPLICIT_LIBRARIES: Record<string, string> = {
  '@observablehq/plot': '0.6.17',
  '@observablehq/sample-datasets': '1.0.1',
  'apache-arrow': '21.2.0',
  arquero: '8.0.3',
  d3: '7.9.2',
  'd3-dsv': '3.0.2',
  echarts: '6.1.0',
  htl: '1.0.0',
  leaflet: '1.9.4',
  lodash: '4.18.1',
  'mapbox-gl': '3.32.0',
  'parquet-wasm': '0.8.0',
  react: '19.3.1',
  'react-dom': '19.3.1',
  'topojson-client': '3.1.0',
};

/** The installed version of `name` as resolved from `fromDir`, or undefined. */
function installedVersion(name: string, fromDir: string): string | undefined {
  try {
    const require = createRequire(join(fromDir, 'noop.js'));
    const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string };
    return pkg.version;
  } catch {
    return undefined;
  }
}

/**
 * Creates `<cacheDir>/_npm/<name>@<version>/` for each implicit library (installed version first), so a
 * Framework build with this cache makes no registry requests. `cacheDir` is `<root>/.observablehq/cache`.
 */
export function seedNpmVersionCache(cacheDir: string, projectDir: string): void {
  for (const [name, fallback] of Object.entries(FRAMEWORK_IMPLICIT_LIBRARIES)) {
    const version = installedVersion(name, projectDir) ?? fallback;
    mkdirSync(join(cacheDir, '_npm', `${name}@${version}`), { recursive: true });
  }
}

#!/usr/bin/env node
// Vendor front-end assets from node_modules into src/echos/static/ so that
// nothing is fetched from a CDN at run time.
//
//   cd /work/main && npm install && node scripts/vendor_assets.mjs
//
// Outputs (all committed):
//   src/echos/static/vendor/htmx.min.js            global: htmx
//   src/echos/static/vendor/vega.min.js            global: vega
//   src/echos/static/vendor/vega-lite.min.js       global: vegaLite
//   src/echos/static/vendor/vega-embed.min.js      global: vegaEmbed
//   src/echos/static/vendor/vega-interpreter.min.js global: vegaInterpreter (built here with esbuild:
//                                                  the npm package only ships an ES module)
//   src/echos/static/vendor/pico.min.css
//   src/echos/static/vendor/axe.min.js             global: axe
//   src/echos/static/vendor/LICENSES.md
//   src/echos/static/geo/europe.topo.json          TopoJSON, object "countries", ids = ISO 3166-1 alpha-2
//
// Load order for classic <script> tags: vega, vega-lite, vega-embed (vega-embed's UMD
// build reads the globals `vega` and `vegaLite`). Under a CSP without 'unsafe-eval' call
//   vegaEmbed(el, spec, {ast: true, expr: vegaInterpreter.expressionInterpreter})
// vega-embed 7 picks `vega.expressionInterpreter ?? opts.expr ?? <its own bundled copy of
// vega-interpreter>` whenever ast is true; the vega 6 UMD bundle does NOT define
// vega.expressionInterpreter, so {ast: true} alone also works, and passing `expr` explicitly
// just makes the choice visible.

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { feature, merge, quantize as quantizeTopology } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries');

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_MODULES = join(ROOT, 'node_modules');
const STATIC = join(ROOT, 'src', 'echos', 'static');
const VENDOR = join(STATIC, 'vendor');
const GEO = join(STATIC, 'geo');

// Direct path: some packages (vega 6) do not export ./package.json.
const pkgDir = (name) => join(NODE_MODULES, ...name.split('/'));
const pkgJson = (name) => JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8'));
const kb = (file) => `${(statSync(file).size / 1024).toFixed(1)} KB`;

// ---------------------------------------------------------------------------
// 1. Minified browser builds
// ---------------------------------------------------------------------------

// [package, file inside the package, vendored name, global defined by a classic <script>]
const COPIES = [
  ['htmx.org', 'dist/htmx.min.js', 'htmx.min.js', 'htmx'],
  ['vega', 'build/vega.min.js', 'vega.min.js', 'vega'],
  ['vega-lite', 'build/vega-lite.min.js', 'vega-lite.min.js', 'vegaLite'],
  ['vega-embed', 'build/vega-embed.min.js', 'vega-embed.min.js', 'vegaEmbed'],
  ['@picocss/pico', 'css/pico.min.css', 'pico.min.css', null],
  ['axe-core', 'axe.min.js', 'axe.min.js', 'axe'],
];

async function vendorScripts() {
  mkdirSync(VENDOR, { recursive: true });
  for (const [pkg, src, dest, global] of COPIES) {
    const to = join(VENDOR, dest);
    // Source maps are not shipped, so drop their references (the manifest storage would look for them).
    const text = readFileSync(join(pkgDir(pkg), src), 'utf8').replace(/\n?\/[/*][#@] sourceMappingURL=[^\n]*$/m, '');
    writeFileSync(to, text);
    console.log(`vendor/${dest}  <- ${pkg}/${src}  (${kb(to)})${global ? `  global: ${global}` : ''}`);
  }

  // vega-interpreter ships only an ES module (importing vega-util), so bundle it into an
  // IIFE that defines `var vegaInterpreter = {expressionInterpreter}` for classic <script> tags.
  // (vega-embed.min.js also carries its own copy and uses it when {ast: true} is passed, so
  // this file is only strictly needed when using vega.View directly.)
  const to = join(VENDOR, 'vega-interpreter.min.js');
  const version = pkgJson('vega-interpreter').version;
  await build({
    stdin: {
      contents: "export { expressionInterpreter } from 'vega-interpreter';",
      resolveDir: ROOT,
      sourcefile: 'vega-interpreter-entry.js',
    },
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'vegaInterpreter',
    platform: 'browser',
    target: ['es2020'],
    legalComments: 'none',
    banner: { js: `/* vega-interpreter ${version} (BSD-3-Clause), bundled with vega-util by scripts/vendor_assets.mjs */` },
    outfile: to,
    logLevel: 'warning',
  });
  console.log(`vendor/vega-interpreter.min.js  <- vega-interpreter (esbuild IIFE)  (${kb(to)})  global: vegaInterpreter`);
}

// ---------------------------------------------------------------------------
// 2. Licences
// ---------------------------------------------------------------------------

function writeLicenses() {
  const rows = [
    ['htmx.org', 'htmx.min.js'],
    ['vega', 'vega.min.js (bundles d3 modules, ISC, and other vega-* packages, BSD-3-Clause)'],
    ['vega-lite', 'vega-lite.min.js'],
    ['vega-embed', 'vega-embed.min.js (bundles vega-themes, vega-tooltip, vega-interpreter, BSD-3-Clause; fast-json-patch, MIT; semver, ISC; json-stringify-pretty-compact, MIT)'],
    ['vega-interpreter', 'vega-interpreter.min.js'],
    ['vega-util', 'bundled into vega-interpreter.min.js'],
    ['@picocss/pico', 'pico.min.css'],
    ['axe-core', 'axe.min.js'],
    ['world-atlas', '../geo/europe.topo.json (TopoJSON conversion of Natural Earth)'],
    ['i18n-iso-countries', '../geo/europe.topo.json (English country names)'],
  ];
  const lines = [
    '# Vendored third-party assets',
    '',
    'Generated by `scripts/vendor_assets.mjs` from the npm packages pinned in `package.json`',
    '(do not edit by hand; re-run the script after changing versions).',
    '',
    '| Package | Version | Licence | Used for |',
    '| --- | --- | --- | --- |',
  ];
  for (const [name, use] of rows) {
    const p = pkgJson(name);
    const license = typeof p.license === 'string' ? p.license : (p.license && p.license.type) || 'see package';
    lines.push(`| [${name}](https://www.npmjs.com/package/${name}/v/${p.version}) | ${p.version} | ${license} | ${use} |`);
  }
  lines.push(
    '',
    '## Map data',
    '',
    '`../geo/europe.topo.json` is derived from `world-atlas/countries-50m.json`, which is',
    'made from [Natural Earth](https://www.naturalearthdata.com/) 1:50m Admin 0 – Countries.',
    'Natural Earth data is in the **public domain**',
    '([terms of use](https://www.naturalearthdata.com/about/terms-of-use/)).',
    'Boundaries follow Natural Earth\'s de-facto conventions and imply no political position.',
    '',
    '## Licence texts',
    '',
    '- 0BSD: htmx — https://github.com/bigskysoftware/htmx/blob/master/LICENSE',
    '- BSD-3-Clause: Vega, Vega-Lite, vega-embed, vega-interpreter, vega-util — https://github.com/vega/vega/blob/main/LICENSE',
    '- MIT: Pico CSS — https://github.com/picocss/pico/blob/main/LICENSE.md',
    '- MPL-2.0: axe-core — https://github.com/dequelabs/axe-core/blob/develop/LICENSE (only used by accessibility tests)',
    '- ISC: world-atlas, topojson-* — https://github.com/topojson/world-atlas/blob/master/LICENSE',
    '',
    'Build-time only (not shipped): topojson-client, topojson-server, topojson-simplify (ISC), esbuild (MIT).',
    '',
  );
  const to = join(VENDOR, 'LICENSES.md');
  writeFileSync(to, lines.join('\n'));
  console.log(`vendor/LICENSES.md  (${kb(to)})`);
}

// ---------------------------------------------------------------------------
// 3. Europe TopoJSON
// ---------------------------------------------------------------------------

// Countries kept because their (largest polygon's) centroid lies in this box ...
const CENTROID_BOX = { lonMin: -25, lonMax: 45, latMin: 26, latMax: 72 };
// ... plus these neighbours, whatever their centroid.
const EXTRA = new Set(['CY', 'TR', 'IL', 'PS', 'GE', 'AM', 'AZ', 'TN', 'MA', 'DZ', 'LY', 'EG', 'RU', 'KZ', 'IR', 'TM', 'SA', 'KW']);
// Every kept geometry is clipped to this lon/lat rectangle, so overseas parts (French Guiana,
// Réunion, Caribbean Netherlands, Svalbard, …) and Asian Russia/Kazakhstan do not stretch the
// map. Azores (-31°) and Canary Islands (27.6°N) are inside.
const CLIP_BOX = { lonMin: -32, lonMax: 60, latMin: 27, latMax: 72 };

// world-atlas 50m geometries without an ISO numeric id (id undefined), keyed by name.
// Somaliland and N. Cyprus are merged into the internationally recognised state.
const NAME_TO_ALPHA2 = {
  Kosovo: 'XK', // user-assigned code used by the EU, Eurostat, and others
  'N. Cyprus': 'CY',
  Somaliland: 'SO',
  'Indian Ocean Ter.': 'AU', // Christmas I. / Cocos — not in Europe, dropped by the filter
  'Siachen Glacier': 'IN', // disputed glacier — not in Europe, dropped by the filter
};
// Territories with their own ISO code that most statistics (Eurostat, World Bank) count as part
// of another country: merged into that country so they are not a "no data" hole.
const MERGE_INTO = { AX: 'FI' };
// Shorter English names than i18n-iso-countries' first (official) form.
const NAME_OVERRIDES = {
  CZ: 'Czechia',
  GB: 'United Kingdom',
  IR: 'Iran',
  MD: 'Moldova',
  MK: 'North Macedonia',
  PS: 'Palestine',
  RU: 'Russia',
  SY: 'Syria',
  VA: 'Vatican City',
  XK: 'Kosovo',
};
const TARGET_MAX_BYTES = 200 * 1024; // budget is ~300 KB; keep a margin

function ringArea(ring) {
  let a = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}

function ringCentroid(ring) {
  let a = 0, x = 0, y = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    const [x0, y0] = ring[i], [x1, y1] = ring[i + 1];
    const f = x0 * y1 - x1 * y0;
    a += f; x += (x0 + x1) * f; y += (y0 + y1) * f;
  }
  if (a === 0) return ring[0];
  return [x / (3 * a), y / (3 * a)];
}

const polygonsOf = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []);

// Planar centroid of the largest polygon (so that e.g. France's overseas parts do not matter).
function mainCentroid(geometry) {
  let best = null, bestArea = -1;
  for (const poly of polygonsOf(geometry)) {
    const a = Math.abs(ringArea(poly[0]));
    if (a > bestArea) { bestArea = a; best = poly[0]; }
  }
  return best ? ringCentroid(best) : [NaN, NaN];
}

const inBox = ([lon, lat], b) => lon >= b.lonMin && lon <= b.lonMax && lat >= b.latMin && lat <= b.latMax;

// Sutherland–Hodgman clipping of one closed ring against an axis-aligned rectangle.
function clipRing(ring, b) {
  const edges = [
    [(p) => p[0] >= b.lonMin, (p, q) => intersectX(p, q, b.lonMin)],
    [(p) => p[0] <= b.lonMax, (p, q) => intersectX(p, q, b.lonMax)],
    [(p) => p[1] >= b.latMin, (p, q) => intersectY(p, q, b.latMin)],
    [(p) => p[1] <= b.latMax, (p, q) => intersectY(p, q, b.latMax)],
  ];
  let pts = ring.slice(0, -1); // open ring
  for (const [inside, cut] of edges) {
    if (!pts.length) break;
    const out = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i], prev = pts[(i + pts.length - 1) % pts.length];
      const ci = inside(cur), pi = inside(prev);
      if (ci) {
        if (!pi) out.push(cut(prev, cur));
        out.push(cur);
      } else if (pi) {
        out.push(cut(prev, cur));
      }
    }
    pts = out;
  }
  if (pts.length < 3) return null;
  const closed = [...pts, pts[0]];
  return Math.abs(ringArea(closed)) > 1e-9 ? closed : null;
}
function intersectX(p, q, x) {
  const t = (x - p[0]) / (q[0] - p[0]);
  return [x, p[1] + t * (q[1] - p[1])];
}
function intersectY(p, q, y) {
  const t = (y - p[1]) / (q[1] - p[1]);
  return [p[0] + t * (q[0] - p[0]), y];
}

function ringBbox(ring) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of ring) { if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; }
  return [x0, y0, x1, y1];
}

function clipGeometry(geometry, b) {
  const out = [];
  for (const poly of polygonsOf(geometry)) {
    const [x0, y0, x1, y1] = ringBbox(poly[0]);
    if (x1 < b.lonMin || x0 > b.lonMax || y1 < b.latMin || y0 > b.latMax) continue; // fully outside
    if (x0 >= b.lonMin && x1 <= b.lonMax && y0 >= b.latMin && y1 <= b.latMax) { out.push(poly); continue; } // fully inside
    const outer = clipRing(poly[0], b);
    if (!outer) continue;
    const holes = poly.slice(1).map((h) => clipRing(h, b)).filter(Boolean);
    out.push([outer, ...holes]);
  }
  if (!out.length) return null;
  return out.length === 1 ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out };
}

// d3-geo (and so Vega) reads polygons on the sphere: an exterior ring must run clockwise and a
// hole anticlockwise, or the polygon means "the whole globe except this country". merge() and
// clipping do not keep that order, so set it explicitly.
function rewindForD3(geometry) {
  for (const poly of polygonsOf(geometry)) {
    poly.forEach((ring, i) => {
      const clockwise = ringArea(ring) < 0;
      if ((i === 0) !== clockwise) ring.reverse();
    });
  }
}

function alpha2For(geom) {
  if (geom.id == null) {
    const code = NAME_TO_ALPHA2[geom.properties?.name];
    if (!code) throw new Error(`world-atlas geometry without id and no mapping: ${JSON.stringify(geom.properties)}`);
    return code;
  }
  const code = countries.numericToAlpha2(geom.id);
  if (!code) throw new Error(`no alpha-2 code for ISO numeric ${geom.id} (${geom.properties?.name})`);
  return code;
}

function englishName(code) {
  return NAME_OVERRIDES[code] ?? countries.getName(code, 'en') ?? code;
}

function buildEurope() {
  const world = JSON.parse(readFileSync(join(pkgDir('world-atlas'), 'countries-50m.json'), 'utf8'));

  // Group source geometries by final alpha-2 code.
  const groups = new Map();
  for (const g of world.objects.countries.geometries) {
    let code = alpha2For(g);
    code = MERGE_INTO[code] ?? code;
    if (!groups.has(code)) groups.set(code, []);
    groups.get(code).push(g);
  }

  const features = [];
  for (const [code, geoms] of groups) {
    // merge() dissolves shared borders (e.g. the Cyprus Green Line) into one MultiPolygon.
    const geometry = geoms.length > 1 ? merge(world, geoms) : feature(world, geoms[0]).geometry;
    if (!geometry) continue;
    if (!(EXTRA.has(code) || inBox(mainCentroid(geometry), CENTROID_BOX))) continue;
    const clipped = clipGeometry(geometry, CLIP_BOX);
    if (!clipped) continue;
    rewindForD3(clipped);
    features.push({ type: 'Feature', id: code, properties: { name: englishName(code) }, geometry: clipped });
  }
  features.sort((a, b) => a.id.localeCompare(b.id));

  // Rebuild a topology (shared borders become shared arcs again), then simplify and quantize,
  // simplifying more aggressively until the file fits the size budget.
  const base = presimplify(topology({ countries: { type: 'FeatureCollection', features } }));
  let json = null;
  for (const q of [0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05]) { // fraction of interior points kept
    const simplified = simplify(base, quantile(base, q)) // does not mutate base;
    const quantized = topologyQuantize(simplified, 1e5);
    json = JSON.stringify(quantized);
    if (json.length <= TARGET_MAX_BYTES) {
      console.log(`geo: ${features.length} countries, simplify quantile ${q}, ${(json.length / 1024).toFixed(1)} KB`);
      break;
    }
  }
  mkdirSync(GEO, { recursive: true });
  const to = join(GEO, 'europe.topo.json');
  writeFileSync(to, json);
  console.log(`geo/europe.topo.json  (${kb(to)})  ids: ${features.map((f) => f.id).join(' ')}`);
}

// topojson-client's quantize() expects absolute (non-quantized) coordinates; drop the
// presimplify weights (third coordinate) first.
function topologyQuantize(topo, n) {
  if (topo.transform) throw new Error('expected a non-quantized topology');
  topo.arcs = topo.arcs.map((arc) => arc.map(([x, y]) => [x, y]));
  delete topo.bbox;
  return quantizeTopology(topo, n);
}

// ---------------------------------------------------------------------------

await vendorScripts();
writeLicenses();
if (!process.env.NO_GEO) buildEurope();

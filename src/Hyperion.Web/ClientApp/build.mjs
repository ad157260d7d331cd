// Bundles the browser-side modules of the web client into ../wwwroot/lib (ES modules, loaded by Blazor's JS interop).
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

const out = new URL('../wwwroot/lib/', import.meta.url);
await mkdir(out, { recursive: true });
await build({
  entryPoints: ['src/vnc-console.js', 'src/serial-console.js', 'src/charts.js', 'src/ui.js'],
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: ['es2022'],
  outdir: out.pathname,
  logLevel: 'warning',
});
await copyFile('node_modules/@xterm/xterm/css/xterm.css', new URL('xterm.css', out));

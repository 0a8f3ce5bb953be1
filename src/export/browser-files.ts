/**
 * The browser side of an export: the predictor bundle (built by src/browser/bundle.js) and an
 * example page that builds a form from the model's columns and predicts on what is typed in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { packageRoot } from '../util/package-info';
import { FILE } from '../util/file-names';

export const BROWSER_BUNDLE = 'automm-predictor.js';
export const EXAMPLE_PAGE = FILE.examplePage;

/** Writes the bundle and the example page into an export folder; returns their paths. */
export function writeBrowserFiles(dir: string): string[] {
  const bundle = path.join(packageRoot(), 'dist', 'browser', BROWSER_BUNDLE);
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing; build it with npm run build`);
  fs.copyFileSync(bundle, path.join(dir, BROWSER_BUNDLE));
  fs.writeFileSync(path.join(dir, EXAMPLE_PAGE), examplePage(tf.version_core));
  return [BROWSER_BUNDLE, EXAMPLE_PAGE].map((f) => path.join(dir, f));
}

/** Serve the folder over HTTP to open it (browsers do not load model files from file://). */
function examplePage(tfVersion: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>automm predictor</title>
<!-- Serve this folder over HTTP (python3 -m http.server, npx http-server): browsers do not fetch models from file:// -->
<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@${tfVersion}/dist/tf.min.js"></script>
<script src="${BROWSER_BUNDLE}"></script>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}label{display:block;margin:.5em 0}</style>
</head>
<body>
<h1>automm predictor</h1>
<form id="row"></form>
<button id="predict" disabled>Predict</button>
<pre id="out">loading the model...</pre>
<script>
(async () => {
  const out = document.getElementById('out');
  try {
    const predictor = await automm.loadPredictor('.');
    const images = new Set(Object.values(predictor.preprocessing.inputs).filter((i) => i.type === 'image').map((i) => i.column));
    const form = document.getElementById('row');
    for (const column of predictor.columns) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.name = column;
      if (images.has(column)) (input.type = 'file'), (input.accept = 'image/*');
      label.append(column + ' ', input);
      form.append(label);
    }
    const button = document.getElementById('predict');
    button.disabled = false;
    out.textContent = 'ready';
    button.onclick = async () => {
      // Form values are strings: numbers are parsed and an empty field is a missing value, as in a CSV.
      const row = Object.fromEntries(predictor.columns.map((c) => {
        const input = form.elements.namedItem(c);
        return [c, images.has(c) ? input.files[0] ?? null : input.value];
      }));
      try {
        out.textContent = JSON.stringify(await predictor.predict([row]), null, 2);
      } catch (err) {
        out.textContent = err.message;
      }
    };
  } catch (err) {
    out.textContent = err.message;
  }
})();
</script>
</body>
</html>
`;
}

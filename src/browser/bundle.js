#!/usr/bin/env node
/**
 * Bundles src/browser (and the preprocessing code it shares with Node) into one script for web
 * pages: dist/browser/automm-predictor.js, a global `automm`. TensorFlow.js is not bundled: the page
 * loads it (the global `tf`), so a page that already uses tfjs does not load it twice.
 */
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..', '..');

/** @tensorflow/tfjs-core and -layers resolve to the page's global tf, which holds both. */
const tfFromPage = {
  name: 'tf-from-page',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-(core|layers)$/ }, (args) => ({ path: args.path, namespace: 'tf-global' }));
    build.onLoad({ filter: /.*/, namespace: 'tf-global' }, () => ({
      contents: "if (typeof tf === 'undefined') throw new Error('automm-predictor.js needs TensorFlow.js loaded first (the global tf)'); module.exports = tf;",
      loader: 'js',
    }));
  },
};

/**
 * The input modules (src/inputs) carry their spec schemas, which a page never validates: TypeBox
 * (45 KB minified) becomes a stand-in whose builders return empty objects.
 */
const noSchemas = {
  name: 'no-schemas',
  setup(build) {
    build.onResolve({ filter: /^@sinclair\/typebox$/ }, (args) => ({ path: args.path, namespace: 'no-schemas' }));
    build.onLoad({ filter: /.*/, namespace: 'no-schemas' }, () => ({
      contents: 'exports.Type = new Proxy({}, { get: () => () => ({}) });',
      loader: 'js',
    }));
  },
};

esbuild
  .build({
    entryPoints: [path.join(root, 'src', 'browser', 'index.ts')],
    outfile: path.join(root, 'dist', 'browser', 'automm-predictor.js'),
    bundle: true,
    format: 'iife',
    globalName: 'automm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    banner: { js: `/* automm browser predictor ${require(path.join(root, 'package.json')).version}; needs TensorFlow.js (global tf) */` },
    plugins: [tfFromPage, noSchemas],
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));

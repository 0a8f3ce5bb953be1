/**
 * CI's check of a report made outside the tests (the quickstart smoke run): opens it in headless
 * Chromium with the network unreachable and fails on any console message or request beyond the page.
 * Usage: node dist-test/test/open-report.js runs/quickstart/report.html
 */
import * as path from 'node:path';
import { findChromium, openReports } from './report-browser';

async function main(file: string): Promise<void> {
  const chromium = findChromium();
  if (!chromium) throw new Error('chromium is not installed');
  const [r] = await openReports(chromium, [{ file, screenshot: path.join(path.dirname(file), 'report.png') }]);
  const problems = [...r.console.map((c) => `console ${c}`), ...r.requests.filter((u) => u !== r.url).map((u) => `request ${u}`), ...r.overflowing.map((t) => `diagram text outside its box: ${t}`)];
  const charts = Object.values(r.charts).reduce((a, b) => a + b, 0);
  if (problems.length || charts < 10) throw new Error(`${file}: ${problems.join('; ') || `only ${charts} charts`}`);
  process.stdout.write(`${file}: opened in Chromium offline, ${charts} charts, no console message, no request; screenshot ${r.screenshot}\n`);
}

// `node --test dist-test/` also loads this file (it is under test/): without an argument it does nothing.
if (require.main === module && process.argv[2]) main(process.argv[2]).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

/** Headless Chromium for the report tests: one launch, pages opened from disk, everything they do recorded. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  return CANDIDATES.find((p): p is string => !!p && fs.existsSync(p));
}

export interface PageResult {
  file: string;
  url: string;
  screenshot: string;
  console: string[];
  requests: string[];
  /** SVG charts per section id. */
  charts: Record<string, number>;
  /** Diagram node texts whose box is wider or taller than their node's outline. */
  overflowing: string[];
}

export async function openReports(executablePath: string, pages: Array<{ file: string; screenshot: string }>): Promise<PageResult[]> {
  const browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const out: PageResult[] = [];
    for (const p of pages) out.push(await openOne(browser, p.file, p.screenshot));
    return out;
  } finally {
    await browser.close();
  }
}

async function openOne(browser: Awaited<ReturnType<typeof puppeteer.launch>>, file: string, screenshot: string): Promise<PageResult> {
  const page = await browser.newPage();
  const url = pathToFileURL(file).href;
  const consoleMessages: string[] = [], requests: string[] = [];
  page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleMessages.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.setViewport({ width: 1280, height: 900 });
  // Offline: a report that needed the network would show it here as failed requests and errors.
  await page.setOfflineMode(true);
  await page.goto(url, { waitUntil: 'networkidle0' });
  // Run in the page (as text: this project compiles without the DOM's types).
  const charts = (await page.evaluate(`Object.fromEntries([...document.querySelectorAll('section')].map((s) => [s.id, s.querySelectorAll('svg').length]))`)) as Record<string, number>;
  // Each Graphviz node: its texts' rendered boxes must lie inside the node's polygon(s).
  const overflowing = (await page.evaluate(`[...document.querySelectorAll('#model g.node')].flatMap((node) => {
    const shapes = [...node.querySelectorAll('polygon')].map((p) => p.getBoundingClientRect());
    const inside = (r) => shapes.some((s) => r.left >= s.left - 0.5 && r.right <= s.right + 0.5 && r.top >= s.top - 0.5 && r.bottom <= s.bottom + 0.5);
    return [...node.querySelectorAll('text')].filter((t) => !inside(t.getBoundingClientRect())).map((t) => t.textContent);
  })`)) as string[];
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot as `${string}.png`, fullPage: true });
  await page.close();
  return { file, url, screenshot, console: consoleMessages, requests, charts, overflowing };
}

// Run by TestHTMLReportPassesAxe: node axe.js CHROMIUM FILE.html... prints
// axe-core's WCAG 2.1 A/AA violations per file as JSON. playwright-core and
// axe-core resolve through NODE_PATH (.ci/run sets it).
const { chromium } = require('playwright-core');
const axePath = require.resolve('axe-core/axe.min.js');
(async () => {
  const [exe, ...files] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: exe,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const out = {};
  try {
    for (const f of files) {
      const page = await browser.newPage();
      await page.goto('file://' + f);
      await page.addScriptTag({ path: axePath });
      const res = await page.evaluate(() => axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }));
      out[f] = res.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target.join(' '), summary: n.failureSummary })) , count: v.nodes.length }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out, null, 1));
})().catch(e => { console.error(e); process.exit(2); });

// Opens pages of a site written by `otpic site` in the system's Chromium
// (through puppeteer-core) on a phone, on a wide screen, in dark mode and for
// print, and prints what it measured as one JSON object; tests/site.rs judges
// the numbers. Usage: node layout.mjs SITE_DIR PAGE... (PAGE may carry ?q=).
// CHROMIUM names the browser (default /usr/bin/chromium).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [siteDir, ...pages] = process.argv.slice(2);
if (!siteDir || pages.length === 0) {
  console.error('usage: node layout.mjs SITE_DIR PAGE...');
  process.exit(2);
}

// The ways a reader sees the site.
const MODES = {
  phone: { viewport: { width: 375, height: 740, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
  wide: { viewport: { width: 1440, height: 900 } },
  'phone-dark': { viewport: { width: 375, height: 740, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, dark: true },
  'wide-dark': { viewport: { width: 1440, height: 900 }, dark: true },
  // Print at about the width of an A4 page; with a dark preference, which
  // must not carry over to paper.
  print: { viewport: { width: 794, height: 1123 }, print: true, dark: true },
};

// Runs in the page: everything the tests judge, as plain numbers and strings.
function measure() {
  const parse = (c) => {
    const m = /rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:[ ,/]+([\d.]+))?\)/.exec(c || '');
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null;
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  // The colour behind an element: the first opaque background up the tree,
  // over the canvas (white unless the root says otherwise).
  const canvas = () => {
    const root = parse(getComputedStyle(document.documentElement).backgroundColor);
    const body = parse(getComputedStyle(document.body).backgroundColor);
    if (root && root[3] > 0) return over(root, [255, 255, 255, 1]);
    if (body && body[3] > 0) return over(body, [255, 255, 255, 1]);
    return [255, 255, 255, 1];
  };
  const behind = (el) => {
    const layers = [];
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (c && c[3] >= 1) break;
    }
    let colour = layers.length && layers[layers.length - 1][3] >= 1 ? null : canvas();
    for (let i = layers.length - 1; i >= 0; i--) colour = colour ? over(layers[i], colour) : layers[i];
    return colour;
  };
  const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  // The colour of `prop` of `el` against what is behind it.
  const pair = (el, prop, under) => {
    const fg = parse(getComputedStyle(el)[prop]);
    const bg = under || behind(el);
    const mixed = over(fg, bg);
    return { what: name(el), fg: hex(mixed), bg: hex(bg), contrast: Math.round(contrast(mixed, bg) * 100) / 100 };
  };

  // The layout viewport: on a phone, innerWidth grows to show what overflows it.
  const vw = document.documentElement.clientWidth;
  const out = {
    viewportWidth: vw,
    innerWidth: window.innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    wider: [],
    body: pair(document.body, 'color'),
    bodyLuminance: luminance(behind(document.body)),
    textLuminance: luminance(parse(getComputedStyle(document.body).color)),
  };
  // What sticks out past the right edge, to say what to fix.
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > vw + 0.5 && shown(el)) out.wider.push(`${name(el)} (right edge at ${Math.round(r.right)}px)`);
  }
  out.wider = out.wider.slice(0, 8);

  // Running text: its size, line height and line length (in px and in the
  // widths of its font's "0", CSS's ch).
  const text = [...document.querySelectorAll('main p, main li')].filter(shown);
  out.text = text.slice(0, 40).map((el) => {
    const style = getComputedStyle(el);
    const probe = document.createElement('span');
    probe.style.display = 'inline-block';
    probe.style.width = '1ch';
    el.appendChild(probe);
    const ch = probe.getBoundingClientRect().width;
    probe.remove();
    const width = el.getBoundingClientRect().width;
    const size = parseFloat(style.fontSize);
    const lh = style.lineHeight === 'normal' ? 1.2 * size : parseFloat(style.lineHeight);
    return { what: name(el), fontSize: size, lineHeight: lh / size, width, ch: Math.round((width / ch) * 10) / 10 };
  });

  // Links: each visible one's colour against its background.
  out.links = [...document.querySelectorAll('a[href]')]
    .filter((a) => !a.closest('svg') && shown(a))
    .map((a) => pair(a, 'color'));

  // The neighbourhood map: its labels' size on screen and every mark's
  // contrast with what is behind the map.
  const svg = document.querySelector('svg.neighbourhood');
  if (svg && shown(svg)) {
    const bg = behind(svg);
    const scale = svg.getScreenCTM().a;
    out.map = {
      width: svg.getBoundingClientRect().width,
      labels: [...svg.querySelectorAll('text')].map((t) => ({
        text: t.textContent,
        px: Math.round(parseFloat(getComputedStyle(t).fontSize) * scale * 10) / 10,
        ...pair(t, 'fill', bg),
      })),
      dots: [...svg.querySelectorAll('circle')].map((c) => pair(c, 'fill', bg)),
      lines: [...svg.querySelectorAll('line')].slice(0, 1).map((l) => pair(l, 'stroke', bg)),
    };
    // Labels that overlap each other on screen.
    const boxes = [...svg.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()]);
    out.map.overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i][1], boxes[j][1]];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          out.map.overlaps.push(`${boxes[i][0]} / ${boxes[j][0]}`);
        }
      }
    }
  }

  // What print leaves out, and how it shows where an external link leads.
  const hidden = (sel) => [...document.querySelectorAll(sel)].every((el) => !shown(el));
  out.hidden = {
    nav: hidden('header.site nav'),
    searchBox: hidden('header.site form.find'),
    footer: hidden('footer'),
  };
  out.externalLinks = [...document.querySelectorAll('a[href^="http"]')].filter(shown).map((a) => ({
    href: a.getAttribute('href'),
    after: getComputedStyle(a, '::after').content,
  }));
  return out;
}

const root = resolve(siteDir);
const profile = mkdtempSync(join(tmpdir(), 'otpic-chromium-'));
const args = ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args,
});
const report = {};
try {
  for (const pageName of pages) {
    report[pageName] = {};
    for (const [mode, how] of Object.entries(MODES)) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e.message || e)));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.setViewport(how.viewport);
      // Media type and colour scheme in one call: puppeteer's emulateMediaType
      // and emulateMediaFeatures each reset what the other set.
      const session = await page.createCDPSession();
      await session.send('Emulation.setEmulatedMedia', {
        media: how.print ? 'print' : 'screen',
        features: [{ name: 'prefers-color-scheme', value: how.dark ? 'dark' : 'light' }],
      });
      const [path, query] = pageName.split('?');
      const url = pathToFileURL(join(root, path)).href + (query ? `?${query}` : '');
      await page.goto(url, { waitUntil: 'load' });
      report[pageName][mode] = { ...(await page.evaluate(measure)), errors };
      await page.close();
    }
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(report));

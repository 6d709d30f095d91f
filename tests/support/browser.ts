import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); playwright's own browser download is not reachable here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of every screen the browser tests visit (git-ignored). */
export const SCREENS_DIR = path.resolve(__dirname, '../../../test-output/screens');

/** Flags from the platform notes: headless, no sandbox (root in CI), nothing phoning home. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extraArgs] });
}

export interface WatchedPage {
  page: Page;
  /** Requests that left the server's origin (the consoles must make none). */
  foreign: string[];
  /** Uncaught errors and console errors in the page. */
  errors: string[];
}

/** A page that records any request to another origin and any script error, at a wall-screen size by default. */
export async function openPage(browser: Browser, origin: string, viewport = { width: 1600, height: 1000 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, permissions: ['camera'] });
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (msg) => {
    // 4xx answers the app handles (and shows) are logged by Chromium as resource errors: not script errors.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(msg.text());
  });
  return { page, foreign, errors };
}

/** Signs in as a person does: username and password on the sign-in form, then waits for the console. */
export async function signInWithPassword(page: Page, origin: string, username: string, password: string, pathname = '/'): Promise<void> {
  await page.goto(`${origin}${pathname}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor({ state: 'detached', timeout: 15_000 });
}

/** Signs in as a device (a kiosk) does: "Use a device token", the token, Sign in; then waits for its screen. */
export async function signInWithToken(page: Page, origin: string, token: string, pathname = '/'): Promise<void> {
  await page.goto(`${origin}${pathname}`);
  await page.getByRole('button', { name: 'Use a device token' }).click();
  await page.getByLabel('Device token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Device token', { exact: true }).waitFor({ state: 'detached', timeout: 15_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

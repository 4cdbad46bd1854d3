// End-to-end test of the dashboard in a real Chromium against a running Slipway (`./slipway up`).
//
//   SLIPWAY_URL   the platform (default http://localhost:8080)
//   CHROMIUM      the browser binary (default Debian's /usr/bin/chromium)
//   SCREENSHOTS   where page screenshots go (default docs/screenshots/ of this repository)
//
// Signs in as demo/demo on Keycloak's page, looks at every page, creates an API token, checks that the
// API accepts it, revokes it, checks that the API now refuses it, and signs out. Exits non-zero on the
// first failure, printing which step failed; a missing browser or platform is a failure, not a skip.
import { chromium } from 'playwright-core'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const BASE = (process.env.SLIPWAY_URL ?? 'http://localhost:8080').replace(/\/$/, '')
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const SCREENSHOTS = resolve(process.env.SCREENSHOTS ?? join(here, '..', '..', 'docs', 'screenshots'))
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]
const TIMEOUT_MS = 30_000
const USER = { username: 'demo', password: 'demo', tenant: 'demo' }

let passed = 0
let failed = 0

async function step(name, body) {
  const started = Date.now()
  try {
    await body()
    passed++
    console.log(`ok   ${name} (${Date.now() - started} ms)`)
  } catch (error) {
    failed++
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : error}`)
    throw error
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message)
}

/** What the API says to a request carrying this token: the proof a token works, or no longer does. */
async function apiStatusWith(secret) {
  const response = await fetch(`${BASE}/api/v1/tenants`, { headers: { Authorization: `Bearer ${secret}` } })
  return { status: response.status, body: await response.text() }
}

async function main() {
  check(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM`)
  try {
    const config = await fetch(`${BASE}/api/v1/ui-config`)
    check(config.ok, `GET ${BASE}/api/v1/ui-config answered HTTP ${config.status}`)
  } catch (error) {
    throw new Error(`Slipway is not reachable at ${BASE} (${error.message}): start it with ./slipway up, or set SLIPWAY_URL`)
  }
  mkdirSync(SCREENSHOTS, { recursive: true })

  // Chromium writes its profile, crash reports and caches under XDG dirs: keep them out of $HOME.
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-e2e-'))
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: FLAGS,
    env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_CACHE_HOME: join(scratch, 'cache') },
    timeout: TIMEOUT_MS,
  })
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    context.setDefaultTimeout(TIMEOUT_MS)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE })
    const page = await context.newPage()
    const browserErrors = []
    page.on('pageerror', (error) => browserErrors.push(error.message))
    const shot = (name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
    const tokenName = `e2e-${Date.now().toString(36)}`
    let secret = ''

    await step('an anonymous visit goes to the Keycloak sign-in page', async () => {
      await page.goto(`${BASE}/`)
      await page.waitForSelector('#username')
      check(new URL(page.url()).pathname.includes('/realms/slipway/'), `expected Keycloak's realm page, got ${page.url()}`)
      await shot('sign-in')
    })

    await step(`signing in as ${USER.username} lands on the members of tenant ${USER.tenant}`, async () => {
      await page.fill('#username', USER.username)
      await page.fill('#password', USER.password)
      await page.click('#kc-login')
      await page.waitForURL(`${BASE}/t/${USER.tenant}/members`)
      await page.getByRole('cell', { name: USER.username }).first().waitFor()
      check((await page.getByTestId('username').textContent())?.trim() === USER.username, 'the top bar does not show the user name')
      check((await page.locator('#tenant-switcher').inputValue()) === USER.tenant, `the tenant switcher does not show ${USER.tenant}`)
      await shot('members')
    })

    await step('an access token about to expire is renewed with the refresh token before the next API call', async () => {
      // Pretend the stored access token expires in 5 s; the next API call must refresh it at Keycloak first.
      const before = await page.evaluate(() => {
        const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'))
        if (!key) return null
        const user = JSON.parse(sessionStorage.getItem(key))
        user.expires_at = Math.floor(Date.now() / 1000) + 5
        sessionStorage.setItem(key, JSON.stringify(user))
        return { key, token: user.access_token }
      })
      check(before !== null, 'no signed-in user in sessionStorage')
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click()
      await page.getByRole('table', { name: 'Your tokens' }).waitFor()
      const after = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)), before.key)
      check(after.access_token !== before.token, 'the access token was not renewed')
      check(after.expires_at > Date.now() / 1000 + 60, 'the renewed token expires too soon')
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click()
      await page.waitForURL(`${BASE}/t/${USER.tenant}/members`)
      await page.getByRole('cell', { name: USER.username }).first().waitFor()
    })

    await step('adding an unknown user as member shows the API error', async () => {
      await page.fill('#member-username', 'nobody-by-this-name')
      await page.selectOption('#member-role', 'viewer')
      await page.getByRole('button', { name: 'Add member' }).click()
      const alert = page.getByRole('alert')
      await alert.waitFor()
      check(((await alert.textContent()) ?? '').length > 10, 'the error alert has no message')
      await shot('members-error')
      await alert.getByRole('button', { name: 'Dismiss error' }).click()
    })

    await step('the audit log lists the tenant\'s changes', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click()
      await page.waitForURL(`${BASE}/t/${USER.tenant}/audit`)
      await page.getByRole('navigation', { name: 'Audit log pages' }).waitFor()
      await shot('audit')
    })

    await step('the create-tenant page explains the naming rule as the user types', async () => {
      await page.getByRole('link', { name: 'Create tenant' }).click()
      await page.fill('#tenant-name', 'Bad Name')
      await page.locator('.field-error').waitFor()
      check(await page.getByRole('button', { name: 'Create tenant' }).isDisabled(), 'an invalid name can be submitted')
      await page.fill('#tenant-name', '')
      await shot('create-tenant')
    })

    await step('a new API token shows its secret once, and the API accepts it', async () => {
      await page.getByRole('link', { name: 'API tokens' }).click()
      await page.waitForURL(`${BASE}/tokens`)
      await page.fill('#token-name', tokenName)
      await page.getByLabel(/registry:pull/).check()
      await page.selectOption('#token-expiry', '7')
      await page.getByRole('button', { name: 'Create token' }).click()
      const field = page.locator('#secret-value')
      await field.waitFor()
      secret = await field.inputValue()
      check(secret.startsWith('slp_'), `the secret shown does not look like a token: ${secret.slice(0, 8)}…`)
      await page.getByRole('button', { name: 'Copy', exact: true }).click()
      await page.getByRole('button', { name: 'Copied', exact: true }).waitFor()
      const answer = await apiStatusWith(secret)
      check(answer.status === 200 && answer.body.includes(`"${USER.tenant}"`), `the API answered HTTP ${answer.status} to the new token: ${answer.body}`)
      await shot('token-created')
    })

    await step('the token is listed, without its secret, after a reload', async () => {
      await page.reload()
      await page.locator(`tr[data-token="${tokenName}"][data-status="active"]`).waitFor()
      check((await page.locator('#secret-value').count()) === 0, 'the secret is still shown after a reload')
      check(!(await page.content()).includes(secret), 'the page still contains the secret after a reload')
      await shot('tokens')
    })

    await step('revoking asks first, removes the token, and the API refuses it at once', async () => {
      await page.getByRole('button', { name: `Revoke ${tokenName}` }).click()
      const dialog = page.getByRole('dialog', { name: 'Revoke token' })
      await dialog.waitFor()
      await shot('token-revoke')
      await dialog.getByRole('button', { name: 'Revoke token' }).click()
      await page.locator(`tr[data-token="${tokenName}"][data-status="revoked"]`).waitFor()
      const answer = await apiStatusWith(secret)
      check(answer.status === 401, `the revoked token still gets HTTP ${answer.status}`)
    })

    await step('at phone width the navigation folds into a menu', async () => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(`${BASE}/t/${USER.tenant}/members`)
      await page.getByRole('cell', { name: USER.username }).first().waitFor()
      check(!(await page.locator('#sidebar').isVisible()), 'the sidebar shows at phone width without opening the menu')
      await shot('members-phone')
      await page.getByRole('button', { name: 'Menu' }).click()
      await page.getByRole('link', { name: 'API tokens' }).waitFor()
      await shot('menu-phone')
      await page.setViewportSize({ width: 1280, height: 800 })
    })

    await step('signing out ends the Keycloak session too', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${BASE}/signed-out`)
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor()
      await shot('signed-out')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForSelector('#username')
    })

    await step('no script errors in the page', async () => {
      check(browserErrors.length === 0, `uncaught errors: ${browserErrors.join(' | ')}`)
    })
  } finally {
    await browser.close()
    rmSync(scratch, { recursive: true, force: true })
  }
}

main()
  .catch((error) => {
    if (failed === 0) {
      failed++
      console.log(`FAIL setup: ${error instanceof Error ? error.message : error}`)
    }
  })
  .finally(() => {
    console.log(`screenshots: ${SCREENSHOTS}`)
    console.log(`${passed} passed, ${failed} failed`)
    process.exitCode = failed === 0 ? 0 : 1
  })

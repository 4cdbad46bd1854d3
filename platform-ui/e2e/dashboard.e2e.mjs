// End-to-end test of the dashboard in a real Chromium against a running Slipway (`./slipway up`).
//
//   SLIPWAY_URL   the platform (default http://localhost:8080)
//   CHROMIUM      the browser binary (default Debian's /usr/bin/chromium)
//   SCREENSHOTS   where page screenshots go (default docs/screenshots/ of this repository)
//
// The flow: signs in as demo/demo on Keycloak's page, creates an API token with registry scopes,
// pushes a busybox httpd image with skopeo using that token, browses it in the registry, creates an app and
// deploys the image with limits, waits for the instances to run, watches the app's lines arrive live in the
// logs view, looks at the metrics, scales to 2, sets config, deploys a second tag, rolls back to the first,
// deletes the app (typing its name) and signs out; on the way it looks at every other page, checks API
// errors are shown, revokes the token and checks the API refuses it. Exits non-zero on the first failure,
// printing which step failed; a missing browser, skopeo or platform is a failure, not a skip.
import { chromium } from 'playwright-core'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { COMMAND, TICK, pushImages } from './testImage.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const BASE = (process.env.SLIPWAY_URL ?? 'http://localhost:8080').replace(/\/$/, '')
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const SCREENSHOTS = resolve(process.env.SCREENSHOTS ?? join(here, '..', '..', 'docs', 'screenshots'))
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]
const TIMEOUT_MS = 30_000
/** Pulling an image and starting instances on a busy 2-core machine. */
const ROLLOUT_MS = 180_000
const REPOSITORY = 'e2e-httpd'
const USER = { username: 'demo', password: 'demo', tenant: 'demo' }

let passed = 0
let failed = 0
/** Set once a page exists: saves what the page showed when a step failed. */
let onFailure = async () => undefined

async function step(name, body) {
  const started = Date.now()
  try {
    await body()
    passed++
    console.log(`ok   ${name} (${Date.now() - started} ms)`)
  } catch (error) {
    failed++
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : error}`)
    await onFailure(name).catch(() => undefined)
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
    onFailure = async () => {
      const kept = join(tmpdir(), `slipway-e2e-failure-${Date.now()}.png`)
      await page.screenshot({ path: kept, fullPage: true })
      console.log(`     page at failure: ${page.url()} (screenshot ${kept})`)
    }
    const runId = Date.now().toString(36)
    const tokenName = `e2e-${runId}`
    const appName = `e2e-${runId}`
    let secret = ''
    const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click()
    const tab = (name) => page.getByRole('navigation', { name: 'App' }).getByRole('link', { name, exact: true }).click()
    const config = await (await fetch(`${BASE}/api/v1/ui-config`)).json()

    /** Waits until the app page's rollout panel shows `release` running; fails at once on a failed release. */
    async function waitForRollout(release) {
      const deadline = Date.now() + ROLLOUT_MS
      let last = ''
      while (Date.now() < deadline) {
        const panel = page.locator('.rollout')
        if (await panel.count()) {
          const phase = await panel.getAttribute('data-phase')
          last = (await panel.innerText()).replace(/\s+/g, ' ')
          if (last.includes(`Deployment ${release}:`)) {
            if (phase === 'running') return
            if (phase === 'failed' || phase === 'rolled-back') throw new Error(`release ${release} failed: ${last}`)
          }
        }
        await page.waitForTimeout(500)
      }
      throw new Error(`release ${release} was not running after ${ROLLOUT_MS / 1000} s; the page shows: ${last}`)
    }

    async function runningInstances() {
      return page.getByRole('table', { name: 'Instances' }).locator('tbody tr[data-state="running"]').count()
    }

    await step('an anonymous visit goes to the Keycloak sign-in page', async () => {
      await page.goto(`${BASE}/`)
      await page.waitForSelector('#username')
      check(new URL(page.url()).pathname.includes('/realms/slipway/'), `expected Keycloak's realm page, got ${page.url()}`)
      await shot('sign-in')
    })

    await step(`signing in as ${USER.username} lands on the apps of tenant ${USER.tenant}`, async () => {
      await page.fill('#username', USER.username)
      await page.fill('#password', USER.password)
      await page.click('#kc-login')
      await page.waitForURL(`${BASE}/t/${USER.tenant}/apps`)
      await page.getByRole('table', { name: 'Apps' }).waitFor()
      check((await page.getByTestId('username').textContent())?.trim() === USER.username, 'the top bar does not show the user name')
      check((await page.locator('#tenant-switcher').inputValue()) === USER.tenant, `the tenant switcher does not show ${USER.tenant}`)
      await nav('Members')
      await page.waitForURL(`${BASE}/t/${USER.tenant}/members`)
      await page.getByRole('cell', { name: USER.username }).first().waitFor()
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
      await nav('API tokens')
      await page.getByRole('table', { name: 'Your tokens' }).waitFor()
      const after = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)), before.key)
      check(after.access_token !== before.token, 'the access token was not renewed')
      check(after.expires_at > Date.now() / 1000 + 60, 'the renewed token expires too soon')
      await nav('Members')
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
      await nav('Audit log')
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

    await step('a new API token with registry scopes shows its secret once, and the API accepts it', async () => {
      await page.getByRole('link', { name: 'API tokens' }).click()
      await page.waitForURL(`${BASE}/tokens`)
      await page.fill('#token-name', tokenName)
      await page.getByLabel(/registry:pull/).check()
      await page.getByLabel(/registry:push/).check()
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

    await step(`skopeo pushes a busybox httpd image (tags 1 and 2) to ${REPOSITORY} with that token`, async () => {
      pushImages({
        registryHost: config.registryHost, repository: `${USER.tenant}/${REPOSITORY}`, username: USER.username, token: secret,
        tags: { 1: '<h1>Slipway e2e, tag 1</h1>\n', 2: '<h1>Slipway e2e, tag 2</h1>\n' },
      })
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

    await step('the registry browser shows the repository, its tags, sizes, digests, pusher and layers', async () => {
      await nav('Registry')
      await page.waitForURL(`${BASE}/t/${USER.tenant}/registry`)
      const row = page.locator(`tr[data-repository="${REPOSITORY}"]`)
      await row.waitFor()
      await page.getByText('Push an image').click()
      await page.getByText(`docker login ${config.registryHost}`).waitFor()
      await shot('registry')
      await row.getByRole('link').click()
      await page.getByRole('table', { name: 'Tags' }).waitFor()
      for (const tag of ['1', '2']) {
        const text = await page.locator(`tr[data-tag="${tag}"]`).innerText()
        check(text.includes('sha256:') && /\d+ layers/.test(text) && text.includes(`by ${USER.username}`), `tag ${tag} row lacks digest, layers or pusher: ${text}`)
      }
      await page.locator('tr[data-tag="1"] summary').click()
      await shot('repository')
    })

    await step('creating an app opens its page', async () => {
      await nav('Apps')
      await page.fill('#app-name', appName)
      await page.getByRole('button', { name: 'Create app' }).click()
      await page.waitForURL(`${BASE}/t/${USER.tenant}/apps/${appName}`)
      await page.getByRole('heading', { name: 'Not deployed yet' }).waitFor()
    })

    await step('deploying tag 1 with limits shows the rollout until the instance runs', async () => {
      await tab('Deploy')
      await page.selectOption('#deploy-repository', REPOSITORY)
      await page.locator('#deploy-tag option[value="1"]').waitFor({ state: 'attached' })
      await page.selectOption('#deploy-tag', '1')
      await page.fill('#deploy-command', COMMAND.join('\n'))
      await page.fill('#deploy-port', '8080')
      await page.fill('#deploy-health', '/')
      await page.fill('#deploy-cpu', '0.25')
      await page.fill('#deploy-memory', '64')
      await page.fill('#deploy-pids', '128')
      await page.fill('#deploy-replicas', '1')
      await page.getByRole('button', { name: '+ Add variable' }).click()
      await page.getByLabel('Name of variable 1', { exact: true }).fill('GREETING')
      await page.getByLabel('Value of GREETING', { exact: true }).fill('hello')
      await page.getByTestId('quota').waitFor()
      await shot('app-deploy')
      await page.getByRole('button', { name: 'Deploy', exact: true }).click()
      await page.waitForURL(new RegExp(`/t/${USER.tenant}/apps/${appName}\\?deployed=v1$`))
      await page.locator('.rollout').waitFor()
      await shot('app-rollout')
      await waitForRollout('v1')
      check(await runningInstances() === 1, `expected 1 running instance, the table shows ${await runningInstances()}`)
      const release = await page.locator('tr[data-release="v1"]').innerText()
      check(release.includes('1 × 0.25 CPU, 64 MiB, 128 pids'), `release v1 does not show its limits: ${release}`)
      await shot('app-overview')
    })

    await step("the logs view shows the app's lines arriving live", async () => {
      await tab('Logs')
      await page.getByTestId('logs-state').filter({ hasText: 'Live' }).waitFor()
      const lastTick = async () => {
        const lines = await page.locator('.log-text').allInnerTexts()
        const ticks = lines.filter((l) => l.startsWith(TICK)).map((l) => Number(l.slice(TICK.length)))
        return ticks.length ? Math.max(...ticks) : 0
      }
      await page.waitForFunction((tick) => [...document.querySelectorAll('.log-text')].some((e) => e.textContent.startsWith(tick)), TICK, { timeout: 60_000 })
      const first = await lastTick()
      const deadline = Date.now() + 30_000
      while ((await lastTick()) <= first + 3) {
        check(Date.now() < deadline, `no new log line arrived in 30 s (last tick ${first})`)
        await page.waitForTimeout(250)
      }
      await page.getByLabel('Timestamps').check()
      await shot('logs')
    })

    await step("the metrics view charts the instance's CPU and memory", async () => {
      await tab('Metrics')
      await page.waitForFunction(() => [...document.querySelectorAll('.chart-line')].some((p) => (p.getAttribute('d') ?? '').length > 0), null, { timeout: 90_000, polling: 1000 }).catch(async () => {
        const shown = await page.locator('main').innerText()
        throw new Error(`no metrics charted within 90 s; the page shows: ${shown.replace(/\s+/g, ' ').slice(0, 300)}`)
      })
      await shot('metrics')
    })

    await step('scaling to 2 runs a second instance', async () => {
      await tab('Overview')
      await page.fill('#scale-replicas', '2')
      await page.getByRole('button', { name: 'Scale', exact: true }).click()
      const deadline = Date.now() + ROLLOUT_MS
      while ((await runningInstances()) < 2) {
        check(Date.now() < deadline, `only ${await runningInstances()} instance(s) running ${ROLLOUT_MS / 1000} s after scaling to 2`)
        await page.waitForTimeout(500)
      }
      await shot('app-scaled')
    })

    await step('config keeps a secret masked', async () => {
      await tab('Config')
      await page.getByRole('button', { name: '+ Add variable' }).click()
      await page.getByLabel('Name of variable 1', { exact: true }).fill('DB_PASSWORD')
      await page.getByLabel('Value of DB_PASSWORD', { exact: true }).fill('e2e-secret-value')
      await page.locator('.env-row').first().getByLabel('secret').check()
      check((await page.getByLabel('Value of DB_PASSWORD', { exact: true }).getAttribute('type')) === 'password', 'the secret value is not masked')
      await page.getByRole('button', { name: 'Save config' }).click()
      await page.getByText('Saved. Restart the app to apply it.').waitFor()
      await page.reload()
      await page.getByLabel('Value of DB_PASSWORD', { exact: true }).waitFor()
      check((await page.getByLabel('Value of DB_PASSWORD', { exact: true }).inputValue()) === '********', 'the API showed the secret back')
      await shot('app-config')
    })

    await step('deploying tag 2 rolls out release v2', async () => {
      await tab('Deploy')
      await page.locator('#deploy-tag option[value="2"]').waitFor({ state: 'attached' })
      await page.selectOption('#deploy-tag', '2')
      await page.getByRole('button', { name: 'Deploy', exact: true }).click()
      await page.waitForURL(/\?deployed=v2$/)
      await waitForRollout('v2')
    })

    await step('rolling back to v1 creates release v3 running what v1 ran', async () => {
      await page.getByRole('button', { name: 'Roll back to v1' }).click()
      const dialog = page.getByRole('dialog', { name: 'Roll back' })
      await dialog.waitFor()
      await shot('app-rollback')
      await dialog.getByRole('button', { name: 'Roll back' }).click()
      await waitForRollout('v3')
      const v3 = await page.locator('tr[data-release="v3"]').innerText()
      check(v3.includes('rollback of v1') && v3.includes(`${REPOSITORY}:1`), `release v3 is not a rollback to v1: ${v3}`)
      const deadline = Date.now() + ROLLOUT_MS
      while ((await page.getByRole('table', { name: 'Instances' }).locator('tbody tr[data-state="running"]').filter({ hasText: 'v3' }).count()) < 2) {
        check(Date.now() < deadline, 'two instances of v3 were not running in time')
        await page.waitForTimeout(500)
      }
      await shot('app-releases')
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
      await page.goto(`${BASE}/t/${USER.tenant}/apps/${appName}`)
      await page.locator('.rollout').waitFor()
      await shot('app-phone')
      await page.setViewportSize({ width: 1280, height: 800 })
    })

    await step('deleting the app needs its name typed', async () => {
      await page.goto(`${BASE}/t/${USER.tenant}/apps/${appName}/settings`)
      await page.getByRole('button', { name: `Delete ${appName}…` }).click()
      const dialog = page.getByRole('dialog', { name: `Delete ${appName}` })
      await dialog.waitFor()
      check(await dialog.getByRole('button', { name: 'Delete app' }).isDisabled(), 'delete is possible without typing the name')
      await page.fill('#delete-confirm', appName)
      await shot('app-delete')
      await dialog.getByRole('button', { name: 'Delete app' }).click()
      await page.waitForURL(`${BASE}/t/${USER.tenant}/apps`)
      await page.getByRole('table', { name: 'Apps' }).waitFor()
      check((await page.locator(`tr[data-app="${appName}"]`).count()) === 0, 'the deleted app is still listed')
      await shot('apps')
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

// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Authenticator, SignedInUser } from '../src/auth/authenticator'
import { useSessionStore } from '../src/stores/session'

/** Records what the store asks of the identity provider. */
class RecordingAuthenticator implements Authenticator {
  user: SignedInUser | null = { username: 'demo' }
  calls: string[] = []
  listener: ((user: SignedInUser | null) => void) | null = null
  async currentUser() { return this.user }
  async signIn(returnTo: string) { this.calls.push(`signIn ${returnTo}`) }
  async completeSignIn() { this.calls.push('complete'); return '/tokens' }
  async signOut() { this.calls.push('signOut') }
  async accessToken() { return this.user ? 'jwt' : null }
  async forget() { this.calls.push('forget'); this.user = null }
  onChange(listener: (user: SignedInUser | null) => void) { this.listener = listener }
}

describe('session store', () => {
  let auth: RecordingAuthenticator

  beforeEach(() => {
    setActivePinia(createPinia())
    auth = new RecordingAuthenticator()
  })

  it('starts signed in when the authenticator has a user', async () => {
    const session = useSessionStore()
    await session.init(auth)
    expect(session.signedIn).toBe(true)
    expect(session.user?.username).toBe('demo')
  })

  it('on a lost session forgets it and signs in again once, coming back to the same page', async () => {
    const session = useSessionStore()
    await session.init(auth)

    await Promise.all([session.expired('/t/demo/members'), session.expired('/t/demo/members')])

    expect(auth.calls).toEqual(['forget', 'signIn /t/demo/members'])
    expect(session.signedIn).toBe(false)
  })

  it('follows renewals and failed renewals', async () => {
    const session = useSessionStore()
    await session.init(auth)

    auth.listener?.({ username: 'demo', expiresAt: 42 })
    expect(session.user?.expiresAt).toBe(42)
    auth.listener?.(null)
    expect(session.signedIn).toBe(false)
  })

  it('returns to the page the user wanted after the callback', async () => {
    const session = useSessionStore()
    await session.init(auth)
    await expect(session.completeSignIn()).resolves.toBe('/tokens')
  })
})

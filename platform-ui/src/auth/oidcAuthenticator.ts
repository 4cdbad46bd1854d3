import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts'
import type { Authenticator, SignedInUser } from './authenticator'

/** Seconds before expiry at which a token is refreshed rather than sent. */
const REFRESH_MARGIN_SECONDS = 30

interface ReturnState {
  returnTo?: string
}

/** Authorization code flow with PKCE against Keycloak's public client, via oidc-client-ts. */
export class OidcAuthenticator implements Authenticator {
  private readonly manager: UserManager

  constructor(authority: string, clientId: string, origin: string = window.location.origin) {
    this.manager = new UserManager({
      authority,
      client_id: clientId,
      redirect_uri: `${origin}/auth/callback`,
      post_logout_redirect_uri: `${origin}/signed-out`,
      response_type: 'code',
      scope: 'openid profile email',
      // Renewal uses the refresh token Keycloak issues to the public client: no hidden iframe needed.
      automaticSilentRenew: true,
      accessTokenExpiringNotificationTimeInSeconds: REFRESH_MARGIN_SECONDS,
      // Per tab, and gone when the tab closes: tokens never outlive the browser session.
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      loadUserInfo: false,
    })
  }

  async currentUser(): Promise<SignedInUser | null> {
    const user = await this.manager.getUser()
    return user && !user.expired ? toSignedIn(user) : null
  }

  signIn(returnTo: string): Promise<void> {
    const state: ReturnState = { returnTo }
    return this.manager.signinRedirect({ state })
  }

  async completeSignIn(): Promise<string> {
    const user = await this.manager.signinRedirectCallback()
    const returnTo = (user.state as ReturnState | undefined)?.returnTo
    return returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/'
  }

  signOut(): Promise<void> {
    return this.manager.signoutRedirect()
  }

  async accessToken(): Promise<string | null> {
    let user = await this.manager.getUser()
    if (!user) return null
    if ((user.expires_in ?? 0) < REFRESH_MARGIN_SECONDS) {
      try {
        user = await this.manager.signinSilent()
      } catch {
        // The refresh token is gone or expired: send what we have; the API's 401 starts a new sign-in.
      }
    }
    return user?.access_token ?? null
  }

  forget(): Promise<void> {
    return this.manager.removeUser()
  }

  onChange(listener: (user: SignedInUser | null) => void): void {
    this.manager.events.addUserLoaded((user) => listener(toSignedIn(user)))
    this.manager.events.addUserUnloaded(() => listener(null))
    this.manager.events.addSilentRenewError(() => listener(null))
  }
}

function toSignedIn(user: User): SignedInUser {
  const profile = user.profile
  return {
    username: String(profile.preferred_username ?? profile.name ?? profile.sub),
    expiresAt: user.expires_at,
  }
}

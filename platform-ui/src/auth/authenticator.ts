/**
 * Who the browser is signed in as, and how that changes.
 *
 * Life of a session: `currentUser()` is null -> `signIn()` leaves the page for Keycloak -> Keycloak
 * redirects to /auth/callback, where `completeSignIn()` trades the code (with the PKCE verifier) for
 * tokens and returns the page the user wanted -> `accessToken()` hands out the access token, refreshing
 * it with the refresh token shortly before it expires -> `signOut()` leaves for Keycloak's logout and
 * comes back to /signed-out. `forget()` drops a session the API no longer accepts.
 */
export interface SignedInUser {
  username: string
  /** Seconds since the epoch. */
  expiresAt?: number
}

export interface Authenticator {
  currentUser(): Promise<SignedInUser | null>
  signIn(returnTo: string): Promise<void>
  completeSignIn(): Promise<string>
  signOut(): Promise<void>
  accessToken(): Promise<string | null>
  forget(): Promise<void>
  /** Called with the new user after each refresh, and with null when the session could not be renewed. */
  onChange(listener: (user: SignedInUser | null) => void): void
}

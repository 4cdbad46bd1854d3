import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Authenticator, SignedInUser } from '../auth/authenticator'

/** The signed-in user, as the pages see it; the authenticator does the protocol work. */
export const useSessionStore = defineStore('session', () => {
  let authenticator: Authenticator | null = null
  const user = ref<SignedInUser | null>(null)
  const redirecting = ref(false)

  const signedIn = computed(() => user.value !== null)

  function auth(): Authenticator {
    if (!authenticator) throw new Error('Sign-in is not set up yet.')
    return authenticator
  }

  async function init(instance: Authenticator): Promise<void> {
    authenticator = instance
    instance.onChange((next) => {
      user.value = next
    })
    user.value = await instance.currentUser()
  }

  async function signIn(returnTo: string): Promise<void> {
    redirecting.value = true
    await auth().signIn(returnTo)
  }

  async function completeSignIn(): Promise<string> {
    const returnTo = await auth().completeSignIn()
    user.value = await auth().currentUser()
    return returnTo
  }

  async function signOut(): Promise<void> {
    redirecting.value = true
    await auth().signOut()
  }

  /** The API answered 401: the session is over, so start a fresh sign-in that comes back here. */
  async function expired(returnTo: string): Promise<void> {
    if (redirecting.value) return
    redirecting.value = true
    await auth().forget()
    user.value = null
    await auth().signIn(returnTo)
  }

  function accessToken(): Promise<string | null> {
    return authenticator ? authenticator.accessToken() : Promise.resolve(null)
  }

  return { user, signedIn, redirecting, init, signIn, completeSignIn, signOut, expired, accessToken }
})

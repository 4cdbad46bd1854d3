import { ApiClient } from './client'

let client: ApiClient | null = null

/** Installs the client that stores use; main.ts does it once, tests install one with a fake fetch. */
export function provideApi(instance: ApiClient): void {
  client = instance
}

export function useApi(): ApiClient {
  if (!client) throw new Error('The API client is not set up yet.')
  return client
}

/**
 * The one way the dashboard talks to platform-api.
 *
 * Every failure becomes an {@link ApiError} carrying the API's stable code and its message, so a page
 * only ever has to show `error.message`. A 401 means the session is gone: the client tells its owner
 * (which sends the user to sign-in) and still rejects, so no caller mistakes it for success.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

export interface ApiClientOptions {
  /** Prefix of every path; empty when the dashboard is served by platform-api itself. */
  baseUrl?: string
  /** The bearer token for the next request, or null when nobody is signed in. */
  accessToken: () => Promise<string | null>
  /** Called once per 401 response, before the request's promise rejects. */
  onUnauthorized: () => void
  fetch?: typeof fetch
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export class ApiClient {
  private readonly options: ApiClientOptions

  constructor(options: ApiClientOptions) {
    this.options = options
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path)
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body)
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body)
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body)
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>('DELETE', path)
  }

  /**
   * A raw streaming GET (logs): the same authentication, 401 handling and error shape as `request`, but the
   * caller reads the body. `headers` add to (or override) the defaults.
   */
  async stream(path: string, accept: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const all: Record<string, string> = { Accept: accept, ...headers }
    const token = await this.options.accessToken()
    if (token) all.Authorization = `Bearer ${token}`
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis)
    let response: Response
    try {
      response = await doFetch((this.options.baseUrl ?? '') + path, { method: 'GET', headers: all, signal })
    } catch (cause) {
      if (signal?.aborted) throw cause
      throw networkError(cause)
    }
    if (response.status === 401) this.options.onUnauthorized()
    if (!response.ok) throw await errorFrom(response)
    return response
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    const token = await this.options.accessToken()
    if (token) headers.Authorization = `Bearer ${token}`
    if (body !== undefined) headers['Content-Type'] = 'application/json'

    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis)
    let response: Response
    try {
      response = await doFetch((this.options.baseUrl ?? '') + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (cause) {
      throw networkError(cause)
    }

    if (response.status === 401) this.options.onUnauthorized()
    if (!response.ok) throw await errorFrom(response)
    if (response.status === 204) return undefined as T
    const text = await response.text()
    if (text === '') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError(response.status, 'INVALID_RESPONSE', `The API sent a response that is not JSON (HTTP ${response.status}).`)
    }
  }
}

function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new ApiError(0, 'NETWORK_ERROR', `Could not reach the Slipway API (${detail}). Check your connection and try again.`)
}

/** Reads `{"error":{"code","message"}}`; anything else (a proxy's HTML page, an empty body) still gets a message. */
async function errorFrom(response: Response): Promise<ApiError> {
  let text = ''
  try {
    text = await response.text()
  } catch {
    // The body is unreadable; the status line below still tells the user something.
  }
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
    const code = parsed.error?.code
    const message = parsed.error?.message
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(response.status, code, message)
    }
  } catch {
    // Not JSON: fall through to the generic message.
  }
  const reason = response.statusText ? ` ${response.statusText}` : ''
  return new ApiError(response.status, `HTTP_${response.status}`, fallbackMessage(response.status, reason))
}

function fallbackMessage(status: number, reason: string): string {
  if (status === 401) return 'Your session has ended. Please sign in again.'
  if (status === 403) return 'You do not have permission to do this.'
  if (status >= 500) return `The Slipway API failed (HTTP ${status}${reason}). Try again in a moment.`
  return `The request failed (HTTP ${status}${reason}).`
}

/** A message for anything a page caught, whether the API or the code threw it. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

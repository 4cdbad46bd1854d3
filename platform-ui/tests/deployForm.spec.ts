import { describe, expect, it } from 'vitest'
import { emptyDeployForm, quotaProblem, toDeploymentRequest, validateDeployForm, type DeployForm } from '../src/apps/deployForm'
import type { Quota } from '../src/api/types'

const quota: Quota = { limits: { maxInstances: 5, maxCpu: 2, maxMemoryMb: 1024 }, usage: { instances: 3, cpu: 0.75, memoryMb: 384 } }

function form(patch: Partial<DeployForm> = {}): DeployForm {
  return { ...emptyDeployForm(), image: 'localhost:8080/demo/web:1', ...patch }
}

describe('deploy form validation', () => {
  it('accepts a valid form and builds the request the API expects', () => {
    const f = form({ command: 'httpd\n-f\n -p \n8080\n', replicas: '2', cpu: '0.5', memoryMb: 64, pids: 100, healthPath: '/',
      env: [{ key: 'MODE', value: 'prod', secret: false }, { key: '', value: '', secret: false }] })
    expect(validateDeployForm(f, quota, null)).toEqual({})
    expect(toDeploymentRequest(f)).toEqual({
      image: 'localhost:8080/demo/web:1', command: ['httpd', '-f', '-p', '8080'], env: { MODE: 'prod' }, port: 8080, replicas: 2,
      resources: { cpu: 0.5, memoryMb: 64, pids: 100 }, healthCheck: { path: '/' },
    })
  })

  it('names every field outside the platform bounds', () => {
    const errors = validateDeployForm(form({ image: 'Web:Latest!', port: 0, replicas: 101, cpu: '0.01', memoryMb: 8, pids: 1.5, healthPath: 'health' }), null, null)
    expect(Object.keys(errors).sort()).toEqual(['cpu', 'healthPath', 'image', 'memoryMb', 'pids', 'port', 'replicas'])
    expect(errors.cpu).toContain('between 0.05 and 16')
    expect(errors.pids).toContain('whole number')
    expect(validateDeployForm(form({ cpu: '0.1234' }), null, null).cpu).toContain('3 decimals')
    expect(validateDeployForm(form({ image: '' }), null, null).image).toContain('pick a repository')
    expect(validateDeployForm(form({ replicas: '' }), null, null).replicas).toContain('required')
  })

  it('accepts references with a registry port, nested paths and a digest', () => {
    for (const image of ['busybox', 'localhost:8080/demo/team/api:v1.2', `demo/web@sha256:${'a'.repeat(64)}`]) {
      expect(validateDeployForm(form({ image }), null, null).image, image).toBeUndefined()
    }
  })

  it('refuses bad or duplicate environment names', () => {
    expect(validateDeployForm(form({ env: [{ key: '1X', value: '', secret: false }] }), null, null).env).toContain('not a variable name')
    expect(validateDeployForm(form({ env: [{ key: 'A', value: '1', secret: false }, { key: 'A', value: '2', secret: false }] }), null, null).env).toContain('set twice')
  })

  it('checks the quota against the other apps, not counting what this app uses now', () => {
    // Other apps: 3 instances, 0.75 CPU, 384 MiB. Two more instances of 0.5 CPU fit; three do not.
    expect(quotaProblem(quota, null, 2, 0.5, 128)).toBeNull()
    expect(quotaProblem(quota, null, 3, 0.25, 64)).toContain('limit is 5')
    expect(quotaProblem(quota, null, 2, 0.75, 64)).toContain('CPU')
    expect(quotaProblem(quota, null, 1, 0.25, 1024)).toContain('MiB')
    // This app already runs 2 x (0.25 CPU, 128 MiB) of that usage: redeploying it with 4 replicas fits.
    expect(quotaProblem(quota, { replicas: 2, cpu: 0.25, memoryMb: 128 }, 4, 0.25, 128)).toBeNull()
    expect(validateDeployForm(form({ replicas: 3 }), quota, null).quota).toContain('Quota')
  })

  const release = () => ({
      id: 'r', release: 'v1', image: 'x/y:1', imageDigest: null, command: ['a', 'b'], env: { K: 'v' }, port: 9000, replicas: 3,
      resources: { cpu: 1, memoryMb: 256, pids: 64 }, healthCheck: { path: '/h' }, rollbackOf: null, status: 'running', statusReason: null, createdBy: 'demo', createdAt: '',
  })

  it('starts from the previous release, at the app\'s current scale', () => {
    const f = emptyDeployForm({
      id: 'r', release: 'v1', image: 'x/y:1', imageDigest: null, command: ['a', 'b'], env: { K: 'v' }, port: 9000, replicas: 3,
      resources: { cpu: 1, memoryMb: 256, pids: 64 }, healthCheck: { path: '/h' }, rollbackOf: null, status: 'running', statusReason: null, createdBy: 'demo', createdAt: '',
    })
    expect(f).toMatchObject({ image: 'x/y:1', command: 'a\nb', port: 9000, replicas: 3, cpu: 1, memoryMb: 256, pids: 64, healthPath: '/h' })
    expect(f.env).toEqual([{ key: 'K', value: 'v', secret: false }])
    expect(emptyDeployForm({ ...release(), replicas: 1 }, 2).replicas).toBe(2)
  })
})

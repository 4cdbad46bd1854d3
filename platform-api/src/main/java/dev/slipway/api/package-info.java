/** Slipway platform API: identity, tenancy, registry, apps, logs, billing endpoints. */
package dev.slipway.api;

/**
 * The OCI Distribution v1.1 registry under {@code /v2/}: {@code handlers} maps each resource of the spec to HTTP,
 * {@code auth} does the Docker token flow and tenant permissions, {@code manifest} parses and checks manifests,
 * {@code storage} keeps blob bytes content-addressed; {@link dev.slipway.api.registry.RegistryMetadata} keeps
 * repositories, links, manifests and tags in PostgreSQL.
 */
package dev.slipway.api.registry;

package dev.slipway.api.registry.storage;

import java.time.Instant;

/** What the store knows about a committed blob: its digest, its size and when it became visible. */
public record BlobInfo(Digest digest, long size, Instant committedAt) {
}

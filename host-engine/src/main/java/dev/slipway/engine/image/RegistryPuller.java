package dev.slipway.engine.image;

import dev.slipway.engine.content.ContentStore;
import dev.slipway.engine.content.Digest;
import dev.slipway.engine.registryclient.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches an image from a registry into the content store, verifying every digest: the manifest against the
 * digest asked for (or the registry's Docker-Content-Digest when pulling a tag), an index entry against its
 * descriptor, config and layers against theirs (digest and size). Unpacking and recording are the store's.
 */
final class RegistryPuller {

    private final RegistryClient client;
    private final ContentStore content;

    RegistryPuller(RegistryClient client, ContentStore content) {
        this.client = client;
        this.content = content;
    }

    ArchiveImage pull(ImageReference ref, ImageStore.RegistryCredentials credentials,
                      ImageStore.ProgressListener progress) throws IOException, ImageException {
        RegistryClient.Session session = client.session(ref.domain(), ref.path(), credentials);
        String wanted = ref.digest() != null ? ref.digest().toString() : ref.tag();
        progress.progress(ref.tag() != null ? ref.tag() : ref.digest().toString(), "Pulling from " + ref.path(), 0, 0);
        RegistryClient.Fetched top = session.manifest(wanted, Manifests.ACCEPT);
        Digest topDigest = verify(top, ref.digest());
        List<Digest> manifests = new ArrayList<>(List.of(topDigest));
        content.write(top.body(), topDigest);
        Manifests.Parsed parsed = Manifests.parse(top.body(), top.contentType());
        if (parsed.isIndex()) {
            Manifests.Descriptor entry = Manifests.linuxAmd64(parsed);
            RegistryClient.Fetched platform = session.manifest(entry.digest().toString(), Manifests.ACCEPT);
            verify(platform, entry.digest());
            content.write(platform.body(), entry.digest());
            manifests.add(entry.digest());
            parsed = Manifests.parse(platform.body(), platform.contentType());
            if (parsed.isIndex()) {
                throw new ImageException(ImageException.Reason.INVALID, "nested manifest lists are not supported");
            }
        }
        fetch(session, parsed.config(), null);
        List<Digest> layers = new ArrayList<>();
        for (Manifests.Descriptor layer : parsed.layers()) {
            fetch(session, layer, progress);
            layers.add(layer.digest());
        }
        progress.progress(topDigest.toString(), "Digest: " + topDigest, 0, 0);
        return new ArchiveImage(parsed.config().digest(), layers, manifests,
                ref.tag() != null ? List.of(ref.nameAndTag()) : List.of(),
                List.of(ref.name() + "@" + topDigest));
    }

    private void fetch(RegistryClient.Session session, Manifests.Descriptor d, ImageStore.ProgressListener progress)
            throws IOException, ImageException {
        String shortId = d.digest().hex().substring(0, 12);
        if (content.contains(d.digest())) {
            if (progress != null) {
                progress.progress(shortId, "Already exists", 0, 0);
            }
            return;
        }
        if (progress != null) {
            progress.progress(shortId, "Pulling fs layer", 0, d.size());
        }
        try (InputStream in = session.blob(d.digest())) {
            content.write(progress == null ? in : new CountingStream(in, shortId, d.size(), progress), d.digest(), d.size());
        } catch (ContentStore.ContentMismatchException e) {
            throw new ImageException(ImageException.Reason.INVALID, "blob " + d.digest() + " from the registry: "
                    + e.getMessage(), e);
        }
        if (progress != null) {
            progress.progress(shortId, "Download complete", d.size(), d.size());
        }
    }

    /** Checks a manifest's bytes against the digest asked for, or the registry's own header for a tag. */
    private static Digest verify(RegistryClient.Fetched fetched, Digest expected) throws ImageException {
        Digest claimed = expected;
        if (claimed == null && fetched.contentDigest() != null) {
            try {
                claimed = Digest.parse(fetched.contentDigest());
            } catch (IllegalArgumentException e) {
                throw new ImageException(ImageException.Reason.REGISTRY_ERROR, "registry sent an invalid "
                        + "Docker-Content-Digest: " + fetched.contentDigest());
            }
        }
        String algorithm = claimed == null ? "sha256" : claimed.algorithm();
        Digest actual = Digest.of(algorithm, Digest.newMessageDigest(algorithm).digest(fetched.body()));
        if (claimed != null && !claimed.equals(actual)) {
            throw new ImageException(ImageException.Reason.INVALID, "manifest digest mismatch: expected " + claimed
                    + ", got " + actual);
        }
        return actual;
    }

    /** Reports download progress about every megabyte. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private final String id;
        private final long total;
        private final ImageStore.ProgressListener progress;
        private long count;
        private long reported;

        CountingStream(InputStream in, String id, long total, ImageStore.ProgressListener progress) {
            super(in);
            this.id = id;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count - reported >= 1 << 20) {
                    reported = count;
                    progress.progress(id, "Downloading", count, total);
                }
            }
            return n;
        }
    }
}

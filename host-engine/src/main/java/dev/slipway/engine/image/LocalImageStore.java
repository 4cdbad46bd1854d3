package dev.slipway.engine.image;

import dev.slipway.engine.archive.ArchiveExtractor;
import dev.slipway.engine.archive.FileTrees;
import dev.slipway.engine.archive.UnsafeLayerException;
import dev.slipway.engine.content.ContentStore;
import dev.slipway.engine.content.Digest;
import dev.slipway.engine.registryclient.RegistryClient;
import dev.slipway.engine.snapshot.Snapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The host's {@link ImageStore}: blobs in a {@link ContentStore}, layers as committed snapshots named by chain
 * id in the given {@link Snapshotter}, image records in {@code images.json}.
 *
 * <p>Layout under {@code root}: {@code content/} (blobs), {@code images.json} (records), {@code tmp/} (archives
 * being read; cleared at start). The snapshotter's root is the caller's choice (see
 * {@link dev.slipway.engine.snapshot.Snapshotters#forHost}).
 *
 * <p>Loads, pulls, tags and removals are serialised by one lock; reads ({@link #find}, {@link #list}) never
 * wait for them. At start, extract snapshots left by an interrupted unpack are removed.
 */
public final class LocalImageStore implements ImageStore {

    private final Path root;
    private final ContentStore content;
    private final Snapshotter snapshotter;
    private final ImageRecords records;
    private final LayerChain layers;
    private final RegistryPuller puller;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Predicate<String> imageInUse = id -> false;

    public LocalImageStore(Path root, Snapshotter snapshotter) throws IOException {
        this(root, snapshotter, new RegistryClient());
    }

    public LocalImageStore(Path root, Snapshotter snapshotter, RegistryClient registry) throws IOException {
        this.root = Files.createDirectories(root);
        this.content = new ContentStore(root.resolve("content"));
        this.snapshotter = snapshotter;
        this.records = new ImageRecords(root.resolve("images.json"));
        this.layers = new LayerChain(content, snapshotter);
        this.puller = new RegistryPuller(registry, content);
        FileTrees.delete(root.resolve("tmp"));
        Files.createDirectories(root.resolve("tmp"));
        for (String key : snapshotter.list()) {
            if (key.startsWith(LayerChain.EXTRACT_PREFIX)) {
                snapshotter.remove(key);
            }
        }
    }

    /**
     * Tells the store which images containers use (by image id, {@code sha256:...}), so removal refuses them
     * with {@link ImageException.Reason#CONFLICT} as Docker does. Set by the container layer.
     */
    public void setImageInUse(Predicate<String> imageIdInUse) {
        this.imageInUse = imageIdInUse;
    }

    @Override
    public List<Image> load(InputStream archive, ProgressListener progress) throws IOException, ImageException {
        Path dir = root.resolve("tmp").resolve("load-" + UUID.randomUUID());
        try {
            // reading the archive (as slow as its sender) happens outside the lock, in a dir of its own
            Files.createDirectory(dir);
            try {
                ArchiveExtractor.extract(archive, dir);
            } catch (UnsafeLayerException e) {
                throw new ImageException(ImageException.Reason.INVALID, "unsafe image archive: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new ImageException(ImageException.Reason.INVALID, "cannot read image archive: " + e.getMessage(), e);
            }
            return loadExtracted(dir, progress);
        } finally {
            FileTrees.delete(dir);
        }
    }

    private List<Image> loadExtracted(Path dir, ProgressListener progress) throws IOException, ImageException {
        lock.lock();
        try {
            List<ArchiveImage> found;
            if (DockerSaveFormat.matches(dir)) {
                found = DockerSaveFormat.read(dir, content, progress);
            } else if (OciLayoutFormat.matches(dir)) {
                found = OciLayoutFormat.read(dir, content, progress);
            } else {
                throw new ImageException(ImageException.Reason.INVALID,
                        "not an image archive: neither manifest.json (docker save) nor oci-layout and index.json (OCI)");
            }
            List<Image> loaded = new ArrayList<>();
            for (ArchiveImage image : found) {
                loaded.add(record(image, progress));
            }
            return loaded;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Image pull(String reference, RegistryCredentials credentials, ProgressListener progress)
            throws IOException, ImageException {
        ImageReference ref = ImageReference.parse(reference);
        lock.lock();
        try {
            Image image = record(puller.pull(ref, credentials, progress), progress);
            progress.progress(ref.toString(), "Status: Downloaded newer image for " + ImageReference.familiar(ref.toString()), 0, 0);
            return image;
        } finally {
            lock.unlock();
        }
    }

    /** Unpacks an image's layers and records it, moving its tags from any image that had them. */
    private Image record(ArchiveImage image, ProgressListener progress) throws IOException, ImageException {
        byte[] configBlob = content.read(image.config());
        ImageConfig config = ImageConfig.parse(configBlob);
        long size = layers.unpack(image.layers(), config.diffIds(), progress);
        String id = image.config().toString();
        StoredImage existing = records.get(id);
        Set<String> tags = new LinkedHashSet<>(existing == null ? List.of() : existing.repoTags());
        tags.addAll(image.repoTags());
        Set<String> digests = new LinkedHashSet<>(existing == null ? List.of() : existing.repoDigests());
        digests.addAll(image.repoDigests());
        Set<String> blobs = new LinkedHashSet<>(existing == null ? List.of() : existing.blobs());
        blobs.add(image.config().toString());
        image.layers().forEach(d -> blobs.add(d.toString()));
        image.manifests().forEach(d -> blobs.add(d.toString()));
        StoredImage stored = new StoredImage(id, List.copyOf(tags), List.copyOf(digests), config.diffIds(),
                LayerChain.chainIds(config.diffIds()), List.copyOf(blobs), config.created(), size, config.config());
        List<StoredImage> changed = new ArrayList<>(untagOthers(id, image.repoTags()));
        changed.add(stored);
        records.write(changed, List.of());
        return stored.toImage();
    }

    /** Other images that lose {@code tags} (a tag names one image); they stay, possibly untagged (dangling). */
    private List<StoredImage> untagOthers(String id, List<String> tags) {
        List<StoredImage> changed = new ArrayList<>();
        for (StoredImage other : records.all()) {
            if (!other.id().equals(id) && other.repoTags().stream().anyMatch(tags::contains)) {
                changed.add(other.withNames(other.repoTags().stream().filter(t -> !tags.contains(t)).toList(),
                        other.repoDigests()));
            }
        }
        return changed;
    }

    @Override
    public Optional<Image> find(String reference) {
        return findStored(reference).map(StoredImage::toImage);
    }

    private Optional<StoredImage> findStored(String reference) {
        List<StoredImage> all = records.all();
        try {
            ImageReference ref = ImageReference.parse(reference);
            String byName = ref.digest() != null ? ref.nameAndDigest() : ref.nameAndTag();
            Optional<StoredImage> named = all.stream()
                    .filter(i -> ref.digest() != null ? i.repoDigests().contains(byName) : i.repoTags().contains(byName))
                    .findFirst();
            if (named.isPresent() || ref.digest() != null) {
                return named;
            }
        } catch (ImageException notAName) {
            // may still be an id
        }
        String prefix = reference.startsWith("sha256:") ? reference : "sha256:" + reference;
        if (!prefix.substring("sha256:".length()).matches("[0-9a-f]{1,64}")) {
            return Optional.empty();
        }
        List<StoredImage> matches = all.stream().filter(i -> i.id().startsWith(prefix)).toList();
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    @Override
    public List<Image> list() {
        return records.all().stream().map(StoredImage::toImage)
                .sorted(Comparator.comparing(Image::created).reversed().thenComparing(Image::id)).toList();
    }

    @Override
    public void tag(Image image, String nameAndTag) throws IOException, ImageException {
        ImageReference ref = ImageReference.parse(nameAndTag);
        if (ref.tag() == null || ref.digest() != null) {
            throw new ImageException(ImageException.Reason.INVALID, "tag must be name:tag, not a digest: " + nameAndTag);
        }
        lock.lock();
        try {
            StoredImage stored = records.get(image.id());
            if (stored == null) {
                throw new ImageException(ImageException.Reason.NOT_FOUND, "No such image: " + image.id());
            }
            List<String> tags = new ArrayList<>(stored.repoTags());
            if (!tags.contains(ref.nameAndTag())) {
                tags.add(ref.nameAndTag());
            }
            List<StoredImage> changed = new ArrayList<>(untagOthers(stored.id(), List.of(ref.nameAndTag())));
            changed.add(stored.withNames(tags, stored.repoDigests()));
            records.write(changed, List.of());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Docker's {@code rmi}: by {@code name:tag}, the tag goes, and the image with it when it was the last name;
     * by id or digest, the image goes with all its names. An image used by a container, or (by id, without
     * force) one with several tags, is a {@link ImageException.Reason#CONFLICT}; with force, an image in use
     * only loses its names. Returns {@code "Untagged: <ref>"} and {@code "Deleted: <id>"} lines.
     */
    @Override
    public List<String> remove(String reference, boolean force) throws IOException, ImageException {
        lock.lock();
        try {
            StoredImage image = findStored(reference).orElseThrow(() ->
                    new ImageException(ImageException.Reason.NOT_FOUND, "No such image: " + reference));
            boolean byTag = isTagReference(reference, image);
            boolean inUse = imageInUse.test(image.id());
            List<String> report = new ArrayList<>();
            if (byTag) {
                String tag = ImageReference.parse(reference).nameAndTag();
                boolean last = image.repoTags().size() == 1;
                if (!last || (inUse && force)) {
                    List<String> tags = image.repoTags().stream().filter(t -> !t.equals(tag)).toList();
                    records.write(List.of(image.withNames(tags, last ? List.of() : image.repoDigests())), List.of());
                    return List.of("Untagged: " + ImageReference.familiar(tag));
                }
                if (inUse) {
                    throw conflict("unable to remove repository reference \"" + reference
                            + "\" (must force) - image " + shortId(image) + " is used by a container");
                }
            } else if (inUse) {
                throw conflict("unable to delete " + shortId(image) + " (cannot be forced) - image is being used by a container");
            } else if (image.repoTags().size() > 1 && !force) {
                throw conflict("unable to delete " + shortId(image)
                        + " (must be forced) - image is referenced in multiple repositories");
            }
            image.repoTags().forEach(t -> report.add("Untagged: " + ImageReference.familiar(t)));
            image.repoDigests().forEach(d -> report.add("Untagged: " + ImageReference.familiar(d)));
            records.write(List.of(), List.of(image.id()));
            report.add("Deleted: " + image.id());
            collect(image);
            return report;
        } finally {
            lock.unlock();
        }
    }

    private static boolean isTagReference(String reference, StoredImage image) {
        try {
            ImageReference ref = ImageReference.parse(reference);
            return ref.digest() == null && image.repoTags().contains(ref.nameAndTag());
        } catch (ImageException e) {
            return false;
        }
    }

    /** Removes the deleted image's snapshots and blobs that no remaining image uses (top layer first). */
    private void collect(StoredImage deleted) throws IOException {
        Set<String> usedChains = new HashSet<>();
        Set<String> usedBlobs = new HashSet<>();
        for (StoredImage other : records.all()) {
            usedChains.addAll(other.chainIds());
            usedBlobs.addAll(other.blobs());
        }
        List<String> chain = new ArrayList<>(deleted.chainIds());
        for (int i = chain.size() - 1; i >= 0; i--) {
            String chainId = chain.get(i);
            if (usedChains.contains(chainId) || !snapshotter.exists(chainId)) {
                break; // a parent of a used snapshot is used too
            }
            try {
                snapshotter.remove(chainId);
            } catch (IOException hasChildren) {
                break; // a container's snapshot still sits on it; it goes with a later removal
            }
        }
        for (String blob : deleted.blobs()) {
            if (!usedBlobs.contains(blob)) {
                content.delete(Digest.parse(blob));
            }
        }
    }

    private static ImageException conflict(String message) {
        return new ImageException(ImageException.Reason.CONFLICT, "conflict: " + message);
    }

    private static String shortId(StoredImage image) {
        return image.id().substring("sha256:".length(), "sha256:".length() + 12);
    }

    @Override
    public String topSnapshot(Image image) {
        StoredImage stored = records.get(image.id());
        return stored == null ? null : stored.topChainId();
    }

    /** The content store, for callers that serve blobs (e.g. {@code docker save}). */
    public ContentStore content() {
        return content;
    }
}

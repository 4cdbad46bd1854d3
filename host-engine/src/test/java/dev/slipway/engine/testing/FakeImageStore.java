package dev.slipway.engine.testing;

import dev.slipway.engine.image.Image;
import dev.slipway.engine.image.ImageException;
import dev.slipway.engine.image.ImageStore;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory image store for unit tests of the API and lifecycle: images exist by being added. */
public final class FakeImageStore implements ImageStore {

    private final List<Image> images = new CopyOnWriteArrayList<>();

    public Image add(String tag, List<String> entrypoint, List<String> cmd) {
        String id = "sha256:" + Integer.toHexString(tag.hashCode()).repeat(8).substring(0, 64);
        Image image = new Image(id, List.of(tag), List.of(), List.of("sha256:layer"), Instant.now(), 1234,
                new Image.Config(entrypoint, cmd, List.of("PATH=/usr/bin:/bin"), "", "", List.of(), Map.of(), "",
                        "amd64", "linux"));
        images.add(image);
        return image;
    }

    @Override
    public List<Image> load(InputStream archive, ProgressListener progress) throws ImageException {
        throw new ImageException(ImageException.Reason.INVALID, "fake store cannot load");
    }

    @Override
    public Image pull(String reference, RegistryCredentials credentials, ProgressListener progress)
            throws ImageException {
        throw new ImageException(ImageException.Reason.NOT_FOUND, "manifest unknown: " + reference);
    }

    @Override
    public Optional<Image> find(String reference) {
        return images.stream().filter(i -> i.repoTags().contains(reference)
                        || reference.startsWith("sha256:") && i.id().startsWith(reference))
                .findFirst();
    }

    @Override
    public List<Image> list() {
        return new ArrayList<>(images);
    }

    @Override
    public void tag(Image image, String nameAndTag) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> remove(String reference, boolean force) throws ImageException {
        Image image = find(reference).orElseThrow(() -> new ImageException(ImageException.Reason.NOT_FOUND,
                "No such image: " + reference));
        images.remove(image);
        return List.of("Untagged: " + image.repoTags().get(0), "Deleted: " + image.id());
    }

    @Override
    public String topSnapshot(Image image) {
        return "layer";
    }
}

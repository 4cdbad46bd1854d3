package dev.slipway.engine.agent;

import dev.slipway.engine.image.Image;
import dev.slipway.engine.image.ImageException;
import dev.slipway.engine.image.ImageStore;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes an instance's image present: an image already in the store is used as it is (a digest pins its content,
 * so there is nothing to refresh); otherwise it is pulled with the assignment's pre-issued registry token. Pulls
 * of one reference are serialised, so replicas starting together download it once.
 */
final class ImageFetcher {

    private final ImageStore images;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    ImageFetcher(ImageStore images) {
        this.images = images;
    }

    /** True when the image had to be pulled. */
    boolean ensure(String reference, Wire.PullAuth auth) throws IOException, ImageException {
        if (present(reference).isPresent()) {
            return false;
        }
        synchronized (locks.computeIfAbsent(reference, r -> new Object())) {
            if (present(reference).isPresent()) {
                return false;
            }
            ImageStore.RegistryCredentials credentials = auth == null || auth.registryToken() == null
                    ? null : ImageStore.RegistryCredentials.bearer(auth.registryToken());
            images.pull(reference, credentials, ImageStore.ProgressListener.NONE);
            return true;
        }
    }

    Optional<Image> present(String reference) throws IOException {
        return images.find(reference);
    }
}

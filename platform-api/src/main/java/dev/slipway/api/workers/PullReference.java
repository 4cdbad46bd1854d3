package dev.slipway.api.workers;

import java.util.Locale;
import java.util.Set;

/**
 * Where a worker pulls a release's image from. A reference without a registry host, or naming this platform's
 * registry (as users write it or as the worker reaches it), is pulled from this registry through the host the
 * worker reaches, pinned by digest, with a pull token for that one repository; any other registry host is left
 * as written (pinned by digest when known) and pulled without credentials.
 *
 * @param image what the worker pulls, e.g. {@code 127.0.0.1:8080/demo/web@sha256:...}
 * @param repository the repository in this registry ({@code demo/web}), or null for a foreign registry
 */
record PullReference(String image, String repository) {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /**
     * @param written the release's image as the deployer wrote it ({@code localhost:8080/demo/web:1})
     * @param digest the digest it resolved to, or null if not resolved (then the tag is pulled)
     * @param registryHost this registry as users name it ({@code slipway.registry-host})
     * @param workerRegistryHost this registry as the worker reaches it
     */
    static PullReference of(String written, String digest, String registryHost, String workerRegistryHost) {
        String host = null;
        String rest = written;
        int slash = written.indexOf('/');
        if (slash > 0) {
            String first = written.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                host = first;
                rest = written.substring(slash + 1);
            }
        }
        String name = rest;
        String tagOrDigest = "";
        int at = name.indexOf('@');
        if (at >= 0) {
            tagOrDigest = name.substring(at);
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            if (tagOrDigest.isEmpty()) {
                tagOrDigest = name.substring(colon);
            }
            name = name.substring(0, colon);
        }
        String pin = digest != null ? "@" + digest : tagOrDigest;
        boolean ours = host == null || sameHost(host, registryHost) || sameHost(host, workerRegistryHost);
        if (ours) {
            return new PullReference(workerRegistryHost + "/" + name + pin, name);
        }
        return new PullReference(host + "/" + name + pin, null);
    }

    /** Equal hosts, where any two loopback names with the same port are the same. */
    static boolean sameHost(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        if (x.equals(y)) {
            return true;
        }
        return LOOPBACK.contains(hostPart(x)) && LOOPBACK.contains(hostPart(y)) && portPart(x).equals(portPart(y));
    }

    private static String hostPart(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(0, colon) : hostPort;
    }

    private static String portPart(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(colon + 1) : "80";
    }
}

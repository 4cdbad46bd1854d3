package dev.slipway.api.registry.storage;

import java.io.File;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/** A real S3 endpoint for tests: s3proxy in this JVM (own class loader) on a free loopback port, objects in memory. */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "slipway-test";
    public static final String SECRET_KEY = "slipway-test-secret";

    private final AutoCloseable proxy;
    private final URLClassLoader loader;
    private final String endpoint;

    private S3Server(AutoCloseable proxy, URLClassLoader loader, String endpoint) {
        this.proxy = proxy;
        this.loader = loader;
        this.endpoint = endpoint;
    }

    public static S3Server start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        URLClassLoader loader = new URLClassLoader("s3proxy", classPathWithoutMavenGuice(),
                ClassLoader.getPlatformClassLoader());
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            Object proxy = loader.loadClass(S3ProxyLauncher.class.getName())
                    .getMethod("launch", String.class, String.class, String.class)
                    .invoke(null, endpoint, ACCESS_KEY, SECRET_KEY);
            return new S3Server((AutoCloseable) proxy, loader, endpoint);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static URL[] classPathWithoutMavenGuice() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isEmpty() && !entry.contains("guice-5.")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        loader.close();
    }
}

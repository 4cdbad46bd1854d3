package dev.slipway.engine.api;

import dev.slipway.engine.api.http.HttpRequest;
import dev.slipway.engine.api.http.HttpResponse;
import dev.slipway.engine.api.http.Router;
import dev.slipway.engine.container.ContainerRecord;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.image.ImageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code _ping}, {@code version} and {@code info}: what the CLI asks before anything else. */
final class SystemRoutes {

    private final ContainerService containers;
    private final ImageStore images;
    private final Path dataDir;
    private final String cgroupVersion;

    SystemRoutes(ContainerService containers, ImageStore images, Path dataDir, String cgroupVersion) {
        this.containers = containers;
        this.images = images;
        this.dataDir = dataDir;
        this.cgroupVersion = cgroupVersion;
    }

    void register(Router router) {
        router.add("GET", "/_ping", (rq, rs, p) -> ping(rq, rs))
                .add("GET", "/version", (rq, rs, p) -> rs.json(200, version()))
                .add("GET", "/info", (rq, rs, p) -> rs.json(200, info()));
    }

    private void ping(HttpRequest request, HttpResponse response) throws IOException {
        if (request.method().equals("HEAD")) {
            response.empty(200);
        } else {
            response.send(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private Map<String, Object> version() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ApiVersion", DockerApi.API_VERSION);
        details.put("MinAPIVersion", DockerApi.MIN_API_VERSION);
        details.put("Os", "linux");
        details.put("Arch", arch());
        details.put("KernelVersion", kernel());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Platform", Map.of("Name", "Slipway Engine"));
        m.put("Components", List.of(Map.of("Name", "Engine", "Version", DockerApi.ENGINE_VERSION,
                "Details", details)));
        m.put("Version", DockerApi.ENGINE_VERSION);
        m.put("ApiVersion", DockerApi.API_VERSION);
        m.put("MinAPIVersion", DockerApi.MIN_API_VERSION);
        m.put("GitCommit", "");
        m.put("GoVersion", "java" + Runtime.version().feature());
        m.put("Os", "linux");
        m.put("Arch", arch());
        m.put("KernelVersion", kernel());
        m.put("BuildTime", "");
        return m;
    }

    private Map<String, Object> info() throws IOException {
        List<ContainerRecord> all = containers.list();
        long running = all.stream().filter(r -> r.state().running()).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", "slipway");
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersPaused", 0);
        m.put("ContainersStopped", all.size() - running);
        m.put("Images", images.list().size());
        m.put("Driver", "overlay");
        m.put("DriverStatus", List.of());
        m.put("Plugins", Map.of("Volume", List.of(), "Network", List.of("host", "none"), "Authorization",
                List.of(), "Log", List.of("local")));
        m.put("MemoryLimit", true);
        m.put("SwapLimit", false);
        m.put("CpuCfsPeriod", true);
        m.put("CpuCfsQuota", true);
        m.put("CPUShares", true);
        m.put("CPUSet", false);
        m.put("PidsLimit", true);
        m.put("IPv4Forwarding", false);
        m.put("Debug", false);
        m.put("NFd", 0);
        m.put("OomKillDisable", false);
        m.put("NGoroutines", Thread.activeCount());
        m.put("SystemTime", Instant.now().toString());
        m.put("LoggingDriver", "local");
        m.put("CgroupDriver", "cgroupfs");
        m.put("CgroupVersion", cgroupVersion.replace("v", ""));
        m.put("NEventsListener", 0);
        m.put("KernelVersion", kernel());
        m.put("OperatingSystem", "Slipway Engine on Linux");
        m.put("OSVersion", "");
        m.put("OSType", "linux");
        m.put("Architecture", arch());
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("RegistryConfig", Map.of("IndexConfigs", Map.of(), "InsecureRegistryCIDRs", List.of(),
                "Mirrors", List.of()));
        m.put("NCPU", Runtime.getRuntime().availableProcessors());
        m.put("MemTotal", ContainerStats.hostMemoryBytes());
        m.put("DockerRootDir", dataDir.toString());
        m.put("Name", hostname());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", DockerApi.ENGINE_VERSION);
        m.put("Runtimes", Map.of("slipway", Map.of("path", "slipway-monitor")));
        m.put("DefaultRuntime", "slipway");
        m.put("Swarm", Map.of("NodeID", "", "NodeAddr", "", "LocalNodeState", "inactive", "ControlAvailable",
                false, "Error", "", "RemoteManagers", List.of()));
        m.put("LiveRestoreEnabled", true);
        m.put("Isolation", "");
        m.put("InitBinary", "");
        m.put("ContainerdCommit", Map.of("ID", ""));
        m.put("RuncCommit", Map.of("ID", ""));
        m.put("InitCommit", Map.of("ID", ""));
        m.put("SecurityOptions", List.of("name=seccomp,profile=builtin", "name=cgroupns"));
        m.put("Warnings", List.of());
        return m;
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
    }

    private static String kernel() {
        return System.getProperty("os.version");
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

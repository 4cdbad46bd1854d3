package dev.slipway.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who this worker is to the platform, kept in {@code <data-dir>/agent/}: {@code credential} (the {@code slw_}
 * secret, mode 0600) and {@code worker.json} (worker id, name, API URL). Written once at join, each file
 * atomically (temp file with its final mode, then rename), credential last-but-one and worker.json last, so a
 * crash mid-write never leaves a worker id without its credential. A stored identity means the join token is
 * never needed again. The identity belongs to the API it was issued by: loading it for another API fails.
 */
public record WorkerIdentity(String workerId, String credential) {

    public static final String CREDENTIAL_FILE = "credential";
    public static final String WORKER_FILE = "worker.json";

    public static Optional<WorkerIdentity> load(Path agentDir, String api, ObjectMapper json) throws IOException {
        Path credential = agentDir.resolve(CREDENTIAL_FILE);
        Path worker = agentDir.resolve(WORKER_FILE);
        if (!Files.isRegularFile(credential) || !Files.isRegularFile(worker)) {
            return Optional.empty();
        }
        JsonNode node = json.readTree(worker.toFile());
        String id = node.path("workerId").asText("");
        String secret = Files.readString(credential).strip();
        if (id.isEmpty() || secret.isEmpty()) {
            throw new IOException("damaged worker identity in " + agentDir + ": remove " + credential + " and "
                    + worker + " and join again with a join token");
        }
        String joinedApi = node.path("api").asText("");
        if (!joinedApi.isEmpty() && !joinedApi.equals(api)) {
            throw new IOException("this data dir's worker joined " + joinedApi + ", not " + api + "; use that --api, or "
                    + "another --data-dir (or remove " + agentDir + ") to join " + api + " with a join token");
        }
        return Optional.of(new WorkerIdentity(id, secret));
    }

    public void save(Path agentDir, String name, String api, ObjectMapper json) throws IOException {
        Files.createDirectories(agentDir);
        Files.setPosixFilePermissions(agentDir, PosixFilePermissions.fromString("rwx------"));
        writeAtomically(agentDir.resolve(CREDENTIAL_FILE), (credential + "\n").getBytes());
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("workerId", workerId);
        worker.put("name", name);
        worker.put("api", api);
        writeAtomically(agentDir.resolve(WORKER_FILE), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(worker));
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return "WorkerIdentity[" + workerId + "]"; // never print the credential
    }
}

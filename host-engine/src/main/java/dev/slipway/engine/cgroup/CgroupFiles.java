package dev.slipway.engine.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the small text files of cgroupfs, naming the file in every error. */
public final class CgroupFiles {
    private CgroupFiles() {
    }

    public static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /** A number, "max" as -1; -1 too when the file does not exist on this kernel. */
    public static long readLong(Path file) throws IOException {
        try {
            String text = read(file);
            return text.equals("max") ? -1 : Long.parseLong(text);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /** The value of "key N" in a flat-keyed file (memory.events, cpu.stat, memory.oom_control); -1 if absent. */
    public static long readKey(Path file, String key) throws IOException {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equals(key)) {
                    return Long.parseLong(parts[1]);
                }
            }
        } catch (NoSuchFileException e) {
            return -1;
        }
        return -1;
    }

    public static List<Integer> readPids(Path procs) throws IOException {
        List<Integer> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(procs, StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    pids.add(Integer.parseInt(line.trim()));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return pids;
    }

    /** Removes a cgroup directory, retrying while the kernel still tears down exiting tasks. */
    public static void removeDir(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (attempt >= 200) {
                    throw new IOException("cannot remove cgroup " + dir + ": " + e.getMessage(), e);
                }
                pause(10);
            }
        }
    }

    public static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

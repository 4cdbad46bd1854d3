package dev.slipway.engine.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads the monitor's log files. Readers never coordinate with the writer: they rely on records being
 * appended whole, files being renamed (never rewritten) on rotation, and sequence numbers increasing by one.
 * So a reader resumes anywhere by sequence, skips what it has seen after a rotation, and treats a short
 * record at the end of the current file as a write in progress.
 */
public final class LogFileReader implements ContainerLog {
    private static final long FOLLOW_POLL_MILLIS = 25;

    @Override
    public void read(Path stateDir, long afterSequence, int tail, boolean follow, Predicate<Record> filter,
                     Consumer consumer) throws IOException, InterruptedException {
        Cursor cursor = new Cursor(stateDir, afterSequence);
        if (tail >= 0) {
            ArrayDeque<Record> last = new ArrayDeque<>();
            cursor.readAvailable(r -> {
                if (filter.test(r)) {
                    if (last.size() == tail && tail > 0) {
                        last.removeFirst();
                    }
                    if (tail > 0) {
                        last.addLast(r);
                    }
                }
                return true;
            });
            for (Record r : last) {
                if (!consumer.accept(r)) {
                    return;
                }
            }
        } else if (!cursor.readAvailable(r -> !filter.test(r) || consumer.accept(r))) {
            return;
        }
        while (follow) {
            boolean exited = Files.exists(stateDir.resolve(StateFiles.EXIT));
            // records are flushed before the exit record: one more pass after seeing it reads everything
            if (!cursor.readAvailable(r -> !filter.test(r) || consumer.accept(r)) || exited) {
                return;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Thread.sleep(FOLLOW_POLL_MILLIS);
        }
    }

    /** Position in a container's log: the last sequence delivered, and the file and offset it came from. */
    private static final class Cursor {
        private final Path dir;
        private long lastSequence;
        private Object fileKey;
        private long offset;

        Cursor(Path dir, long afterSequence) {
            this.dir = dir;
            this.lastSequence = afterSequence;
        }

        /** Delivers every complete record after the cursor; false if the consumer asked to stop. */
        boolean readAvailable(Consumer consumer) throws IOException {
            int relists = 0;
            while (true) {
                List<Path> files = files();
                int start = 0;
                for (int i = 0; i < files.size(); i++) {
                    Object key = key(files.get(i));
                    if (key != null && key.equals(fileKey)) {
                        start = i; // continue in the file we were reading, wherever rotation moved it
                        break;
                    }
                    long first = firstSequence(files.get(i));
                    if (first >= 0 && first <= lastSequence + 1) {
                        start = i;
                    }
                }
                FileOutcome outcome = FileOutcome.READ;
                for (int i = start; i < files.size() && outcome == FileOutcome.READ; i++) {
                    // A gap before a file's first record is real only at the oldest file still kept (older ones
                    // went to retention) and only once the listing is fresh; anywhere else it means a rotation
                    // renamed the files under this listing, so the skipped records sit in a file listed again.
                    // After a few fresh listings a gap is accepted anywhere (a file removed by hand), so a
                    // damaged directory cannot make a reader spin.
                    outcome = readFile(files.get(i), consumer, relists > 0 && (i == 0 || relists >= 3));
                }
                switch (outcome) {
                    case STOPPED:
                        return false;
                    case GAP:
                        relists++;
                        continue;
                    default:
                        return true;
                }
            }
        }

        /** How reading one file ended. */
        private enum FileOutcome { READ, STOPPED, GAP }

        /** Oldest first: log.N ... log.1, log. */
        private List<Path> files() throws IOException {
            List<Path> rotated = new ArrayList<>();
            try (var list = Files.list(dir)) {
                list.filter(p -> p.getFileName().toString().matches("log\\.[0-9]+")).forEach(rotated::add);
            }
            rotated.sort((a, b) -> Integer.compare(number(b), number(a)));
            rotated.add(dir.resolve(LogRecordFormat.CURRENT));
            return rotated;
        }

        private static int number(Path p) {
            return Integer.parseInt(p.getFileName().toString().substring(4));
        }

        private static Object key(Path file) {
            try {
                return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            } catch (IOException e) {
                return null;
            }
        }

        private static long firstSequence(Path file) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return firstSequence(ch);
            } catch (IOException e) {
                return -1;
            }
        }

        /** Sequence number of a file's first record, -1 while the file has none yet. */
        private static long firstSequence(FileChannel ch) throws IOException {
            ByteBuffer h = ByteBuffer.allocate(LogRecordFormat.HEADER);
            if (ch.read(h, LogRecordFormat.MAGIC.length) < LogRecordFormat.HEADER) {
                return -1;
            }
            return h.getLong(16);
        }

        private FileOutcome readFile(Path file, Consumer consumer, boolean gapAllowed) throws IOException {
            FileChannel ch = null;
            Object key = null;
            while (ch == null) {
                // the inode must be the one opened: rotation may rename the path between the two calls
                Object before = key(file);
                try {
                    ch = FileChannel.open(file, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    return FileOutcome.READ; // rotated away between listing and opening: its records are in the next file
                }
                key = key(file);
                if (key == null || !key.equals(before)) {
                    ch.close();
                    ch = null;
                    if (key == null) {
                        return FileOutcome.READ;
                    }
                }
            }
            try (FileChannel open = ch) {
                long pos = key.equals(fileKey) ? offset : 0;
                if (pos == 0) {
                    ByteBuffer magic = ByteBuffer.allocate(LogRecordFormat.MAGIC.length);
                    if (ch.read(magic, 0) < magic.capacity()) {
                        return FileOutcome.READ; // just created
                    }
                    if (!Arrays.equals(magic.array(), LogRecordFormat.MAGIC)) {
                        throw new IOException(file + " is not a Slipway log file");
                    }
                    pos = LogRecordFormat.MAGIC.length;
                    long first = firstSequence(ch);
                    if (first > lastSequence + 1 && !gapAllowed) {
                        return FileOutcome.GAP;
                    }
                }
                ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                long bufStart = pos;
                buf.limit(0);
                while (true) {
                    if (buf.remaining() < LogRecordFormat.HEADER || buf.remaining() < LogRecordFormat.HEADER
                            + buf.getInt(buf.position())) {
                        // refill from the current record's start
                        long recordStart = bufStart + buf.position();
                        int need = buf.remaining() >= LogRecordFormat.HEADER
                                ? LogRecordFormat.HEADER + buf.getInt(buf.position()) : LogRecordFormat.HEADER;
                        buf.clear();
                        if (buf.capacity() < need) {
                            buf = ByteBuffer.allocate(need);
                        }
                        int n = readFully(ch, buf, recordStart);
                        buf.flip();
                        bufStart = recordStart;
                        if (n < LogRecordFormat.HEADER || n < LogRecordFormat.HEADER + buf.getInt(0)) {
                            fileKey = key;
                            offset = recordStart; // a write in progress, or the end
                            return FileOutcome.READ;
                        }
                    }
                    int length = buf.getInt();
                    if (length < 0 || length > LogRecordFormat.MAX_PAYLOAD) {
                        throw new IOException(file + ": corrupt record at offset " + (bufStart + buf.position() - 4));
                    }
                    int stream = buf.get();
                    int flags = buf.get();
                    buf.getShort();
                    long ts = buf.getLong();
                    long seq = buf.getLong();
                    byte[] payload = new byte[length];
                    buf.get(payload);
                    if (seq > lastSequence) {
                        lastSequence = seq;
                        fileKey = key;
                        offset = bufStart + buf.position();
                        Record r = new Record(stream, StateFiles.instant(ts), seq, payload,
                                (flags & LogRecordFormat.FLAG_PARTIAL) != 0);
                        if (!consumer.accept(r)) {
                            return FileOutcome.STOPPED;
                        }
                    }
                }
            }
        }

        private static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
            int total = 0;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, position + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        }
    }
}

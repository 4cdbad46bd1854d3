package dev.slipway.engine.api;

import dev.slipway.engine.runtime.RunningContainer;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Joins a hijacked client connection to a process's stdio through the runtime's monitor socket: output frames
 * from the monitor (1-byte stream, 4-byte length) are re-framed into Docker's 8-byte headers (or copied raw with
 * a tty); client bytes go to stdin, and the client's half-close closes stdin. Ends when the monitor closes the
 * stream, which it does after the process has exited and all of its output was sent.
 *
 * The monitor keeps output produced before the first attach for it, but once the process has ended it serves
 * nobody; a caller that attached as the first client and got nothing replays the log instead (see
 * {@link ContainerLogs#replay}).
 */
final class StdioBridge {

    private static final Logger LOG = Logger.getLogger(StdioBridge.class.getName());

    private StdioBridge() {
    }

    /**
     * Runs the bridge on the calling thread until the process's output ends (stdin is copied on a second virtual
     * thread). {@code stdout}/{@code stderr} select which streams the client gets.
     */
    static long run(RunningContainer process, InputStream clientIn, OutputStream clientOut, boolean tty,
                    boolean stdin, boolean stdout, boolean stderr) throws IOException {
        SocketChannel attached;
        try {
            attached = process.attach();
        } catch (IOException e) {
            // The monitor is gone: the process has already ended (its output is in the log).
            LOG.log(Level.FINE, "attach to " + process.id() + " failed", e);
            return 0;
        }
        try (SocketChannel monitor = attached) {
            if (stdin) {
                // Not interrupted when the output ends: interrupting a thread blocked on the client's channel
                // would close that channel, and the caller may still owe the client a replay of the log. The
                // copier ends when the caller closes the connection.
                Thread.ofVirtual().name("stdin-" + process.id()).start(() -> copyStdin(clientIn, monitor));
            }
            try {
                return copyOutput(monitor, clientOut, tty, stdout, stderr);
            } catch (MonitorGone e) {
                return e.sent;
            }
        }
    }

    /** Returns how many output bytes the monitor sent (whether or not the client asked for their stream). */
    private static long copyOutput(SocketChannel monitor, OutputStream clientOut, boolean tty, boolean stdout,
                                   boolean stderr) throws IOException {
        InputStream in = Channels.newInputStream(monitor);
        long total = 0;
        if (tty) {
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = readMonitor(in, buffer, total)) > 0) {
                total += n;
                clientOut.write(buffer, 0, n);
                clientOut.flush();
            }
            return total;
        }
        DataInputStream frames = new DataInputStream(new java.io.BufferedInputStream(in, 32 * 1024));
        byte[] payload = new byte[16 * 1024];
        while (true) {
            int stream;
            int length;
            try {
                stream = frames.readUnsignedByte();
                length = frames.readInt();
                if (length >= 0 && payload.length < length) {
                    payload = new byte[length];
                }
                if (length >= 0) {
                    frames.readFully(payload, 0, length);
                }
            } catch (EOFException e) {
                return total;
            } catch (IOException e) {
                throw new MonitorGone(total, e);
            }
            if (length < 0) {
                throw new IOException("bad frame length from the monitor: " + length);
            }
            total += length + 5;
            if ((stream == 1 && stdout) || (stream == 2 && stderr)) {
                StreamFrames.write(clientOut, stream, payload, 0, length);
                if (frames.available() == 0) {
                    clientOut.flush();
                }
            }
        }
    }

    private static int readMonitor(InputStream in, byte[] buffer, long sent) throws MonitorGone {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new MonitorGone(sent, e);
        }
    }

    /**
     * The monitor closed our connection with our attach request still unread (ECONNRESET): the process ended
     * before the monitor served us, which for the caller is the same as an empty stream.
     */
    private static final class MonitorGone extends IOException {
        final long sent;

        MonitorGone(long sent, IOException cause) {
            super(cause);
            this.sent = sent;
        }
    }

    private static void copyStdin(InputStream clientIn, SocketChannel monitor) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = clientIn.read(buffer)) > 0) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    monitor.write(chunk);
                }
            }
            monitor.shutdownOutput();
        } catch (IOException e) {
            LOG.log(Level.FINE, "stdin copy ended", e);
        }
    }
}

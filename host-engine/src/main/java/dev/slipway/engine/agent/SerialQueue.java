package dev.slipway.engine.agent;

import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the tasks given to it one after another, in submission order, on a virtual thread that exists only while
 * there is work. One per instance: everything that changes an instance (converge, crash, restart, health, stop)
 * goes through its queue, so concurrent assigns and container events never race on it, while different
 * instances proceed in parallel.
 */
final class SerialQueue {

    private static final Logger LOG = Logger.getLogger(SerialQueue.class.getName());

    private final String name;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean draining;

    SerialQueue(String name) {
        this.name = name;
    }

    void submit(Runnable task) {
        synchronized (tasks) {
            tasks.addLast(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        Thread.ofVirtual().name(name).start(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.pollFirst();
                if (task == null) {
                    draining = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, name + ": task failed", e);
            }
        }
    }
}

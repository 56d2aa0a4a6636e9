package io.tandem.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Blocks a serving command until the JVM is asked to stop (SIGTERM, SIGINT), then gives the
 * command time to close what it started (tasks included): the shutdown hook waits for the main
 * thread to finish before the JVM halts.
 */
final class Shutdown {
    private static volatile boolean inProgress;

    private Shutdown() {}

    static void awaitSignal() throws InterruptedException {
        CountDownLatch stopRequested = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            inProgress = true;
            stopRequested.countDown();
            try {
                main.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tandem-shutdown"));
        stopRequested.await();
    }

    /** True once a signal started the JVM's shutdown; System.exit must not be called then. */
    static boolean inProgress() {
        return inProgress;
    }
}

package io.tandem.frameworks.service;

import java.util.Optional;

/**
 * Where the service scheduler keeps what it must remember across its own restarts (its framework id,
 * the apps and their instances), as one opaque document. {@link FileStateStore} for a single machine,
 * {@link ZooKeeperStateStore} when the cluster has ZooKeeper. Called from the service loop thread only.
 */
public interface StateStore extends AutoCloseable {

    /** The last document written, or empty when none was ever written. */
    Optional<byte[]> read();

    /** Replaces the document; returns once it is durable (fsync'd or acknowledged by a ZooKeeper quorum). */
    void write(byte[] document);

    /** Where the document lives, for log lines. */
    String describe();

    @Override
    default void close() {}
}

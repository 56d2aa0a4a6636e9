package io.tandem.master.registry;

/**
 * Durable storage of the {@link RegistryState}. A leader {@link #load()}s it once before it serves,
 * then {@link #store}s each new state; every store is a compare-and-set against the version the
 * last load or store saw, so a master that lost its leadership without noticing cannot overwrite
 * what the new leader wrote.
 *
 * <p>Used from one thread at a time (the registrar's writer).
 */
public interface Registry extends AutoCloseable {
    /** Reads the registry (empty when nothing was ever stored) and remembers its version. */
    RegistryState load() throws RegistryException;

    /** Replaces the registry with {@code state}, if nobody else wrote since this registry's last load or store. */
    void store(RegistryState state) throws RegistryException;

    /** Where the registry lives, for messages. */
    String describe();

    @Override
    default void close() {}
}

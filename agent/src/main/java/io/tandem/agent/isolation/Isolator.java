package io.tandem.agent.isolation;

import io.tandem.agent.process.Confinement;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ResourceStatistics;

/**
 * One step of the isolation pipeline ({@code --isolation cgroups/cpu,cgroups/mem,namespaces/pid}).
 * The agent calls {@link #prepare} before the task's process starts, lets it {@link #confine} the
 * process, and after the task's main process has exited asks for a {@link #limitation} and then
 * calls {@link #cleanup}. Every method may block (file I/O): never call them on the agent loop.
 */
public interface Isolator {
    /** The names this isolator answers to in {@code --isolation}, e.g. {@code cgroups/cpu}. */
    List<String> names();

    /** Creates what the container needs before its process starts, e.g. cgroups with their limits. */
    default void prepare(Container container) throws IOException {}

    /** Where the task's process goes before it execs, e.g. into its own pid namespace. */
    default Confinement confine(Container container, Confinement confinement) {
        return confinement;
    }

    /** Adds what this isolator measures of the running container (cpu times, memory, disk, ...). */
    default void usage(Container container, ResourceStatistics.Builder statistics) {}

    /** Kills whatever of the container still runs. Called once its main process has exited. */
    default void killAll(Container container) throws IOException {}

    /** The limit the container hit, if any; asked after {@link #killAll}, before {@link #cleanup}. */
    default Optional<Limitation> limitation(Container container) {
        return Optional.empty();
    }

    /** Removes what {@link #prepare} created. */
    default void cleanup(Container container) throws IOException {}

    /** The containers {@code group/<name>} this isolator holds, by name: e.g. left by a crashed agent. */
    default List<String> containersIn(String group) throws IOException {
        return List.of();
    }

    /** Removes the (empty) directory that groups containers named {@code group/...}, e.g. an agent's. */
    default void removeGroup(String group) throws IOException {}
}

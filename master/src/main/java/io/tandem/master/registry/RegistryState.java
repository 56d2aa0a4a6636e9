package io.tandem.master.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What must survive a master failover (Mesos's registry): the agents admitted, with their dynamic
 * reservations; the frameworks, with the {@code FrameworkInfo} that carries their failover timeout;
 * role weights and quota; the agents an operator marked gone (they may never come back); the
 * maintenance schedule and the machines that are DOWN. Everything else (tasks, offers, executors) is rebuilt from what agents
 * and frameworks tell a new leader. Resources are in Tandem's spec format ({@code cpus(prod):2}),
 * a framework's info in Mesos JSON. Stored as JSON; {@link #version} guards against a reader
 * from the future.
 */
public record RegistryState(
        @JsonProperty("version") int version,
        @JsonProperty("agents") List<AgentEntry> agents,
        @JsonProperty("frameworks") List<FrameworkEntry> frameworks,
        @JsonProperty("weights") Map<String, Double> weights,
        @JsonProperty("quotas") Map<String, QuotaEntry> quotas,
        @JsonProperty("gone_agents") List<String> goneAgents,
        @JsonProperty("maintenance") MaintenanceEntry maintenance) {

    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public RegistryState {
        agents = List.copyOf(Objects.requireNonNull(agents, "agents"));
        frameworks = List.copyOf(Objects.requireNonNull(frameworks, "frameworks"));
        weights = Map.copyOf(Objects.requireNonNull(weights, "weights"));
        quotas = Map.copyOf(Objects.requireNonNull(quotas, "quotas"));
        goneAgents = goneAgents == null ? List.of() : List.copyOf(goneAgents);   // absent in older registries
        maintenance = maintenance == null ? MaintenanceEntry.NONE : maintenance;   // absent in older registries
    }

    /** A registry without maintenance (no schedule, no machine down). */
    public RegistryState(int version, List<AgentEntry> agents, List<FrameworkEntry> frameworks,
                         Map<String, Double> weights, Map<String, QuotaEntry> quotas, List<String> goneAgents) {
        this(version, agents, frameworks, weights, quotas, goneAgents, MaintenanceEntry.NONE);
    }

    /** An agent admitted to the cluster and the dynamic reservations made on it, in order. */
    public record AgentEntry(@JsonProperty("id") String id, @JsonProperty("hostname") String hostname,
                             @JsonProperty("reservations") List<ReservationEntry> reservations) {
        public AgentEntry {
            reservations = reservations == null ? List.of() : List.copyOf(reservations);
        }
    }

    /** One dynamic reservation (or unreservation): {@code from} became {@code to}. */
    public record ReservationEntry(@JsonProperty("from") String from, @JsonProperty("to") String to) {}

    /** A framework by id, with its {@code FrameworkInfo} as Mesos JSON. */
    public record FrameworkEntry(@JsonProperty("id") String id, @JsonProperty("info") String info) {}

    /** A role's quota; either side may be empty ({@code ""}). */
    public record QuotaEntry(@JsonProperty("guarantee") String guarantee, @JsonProperty("limit") String limit) {}

    /** The maintenance schedule's windows and the machines that are DOWN (each of them in a window). */
    public record MaintenanceEntry(@JsonProperty("windows") List<WindowEntry> windows,
                                   @JsonProperty("down") List<MachineEntry> down) {
        public static final MaintenanceEntry NONE = new MaintenanceEntry(List.of(), List.of());

        public MaintenanceEntry {
            windows = windows == null ? List.of() : List.copyOf(windows);
            down = down == null ? List.of() : List.copyOf(down);
        }
    }

    /** Machines unavailable from {@code startNanos} (since the epoch) for {@code durationNanos} (null: forever). */
    public record WindowEntry(@JsonProperty("machines") List<MachineEntry> machines,
                              @JsonProperty("start_nanos") long startNanos,
                              @JsonProperty("duration_nanos") Long durationNanos) {
        public WindowEntry {
            machines = machines == null ? List.of() : List.copyOf(machines);
        }
    }

    /** A machine by hostname and IP; either may be empty. */
    public record MachineEntry(@JsonProperty("hostname") String hostname, @JsonProperty("ip") String ip) {}

    public static RegistryState empty() {
        return new RegistryState(FORMAT, List.of(), List.of(), Map.of(), Map.of(), List.of());
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the registry as JSON", e);
        }
    }

    /**
     * Reads a registry written by {@link #toJson()}.
     *
     * @throws RegistryException when the bytes are not a registry this master can read
     */
    public static RegistryState fromJson(byte[] json, String where) throws RegistryException {
        RegistryState state;
        try {
            state = JSON.readValue(json, RegistryState.class);
        } catch (IOException | RuntimeException e) {
            throw new RegistryException("the registry in " + where + " is not readable: " + e.getMessage(), e);
        }
        if (state.version() > FORMAT) {
            throw new RegistryException("the registry in " + where + " has format " + state.version()
                    + ", newer than this master's " + FORMAT);
        }
        return state;
    }
}

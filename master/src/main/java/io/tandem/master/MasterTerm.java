package io.tandem.master;

import io.tandem.allocator.Allocator;
import io.tandem.allocator.sorter.Sorters;
import io.tandem.api.MediaType;
import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentProtocol;
import io.tandem.master.registry.Registry;
import io.tandem.master.registry.RegistryException;
import io.tandem.master.registry.RegistryState;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership of a master: the loop with its state, built afresh from the registry, the
 * registrar that keeps the registry in step, and the HTTP endpoints in front of the loop. A
 * standalone master has one term for its whole life; a master in a highly available cluster
 * begins one each time it is elected and ends it the moment it stops leading, dropping every
 * stream and all in-memory state, so a later term starts clean.
 */
final class MasterTerm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MasterTerm.class);

    private final MasterLoop loop;
    private final Registrar registrar;
    private final ServletContextHandler endpoints;

    private MasterTerm(MasterLoop loop, Registrar registrar, ServletContextHandler endpoints) {
        this.loop = loop;
        this.registrar = registrar;
        this.endpoints = endpoints;
    }

    /**
     * Reads the registry, restores it into a new loop, starts the endpoints and the ticking. Nothing is
     * served before the registry was read.
     *
     * @throws RegistryException when the registry cannot be read (the master must not lead without it)
     */
    static MasterTerm begin(MasterConfig config, InstantSource clock, MasterInfo info, Registry registry,
                            Server server, Consumer<RegistryException> onRegistryFailure) throws Exception {
        long started = System.nanoTime();
        RegistryState state = registry.load();
        long loaded = System.nanoTime();
        Allocator allocator = new Allocator(
                Sorters.byName(config.allocator(), config.fairShareResource()),
                Sorters.byName(config.allocator(), config.fairShareResource()));
        MasterLoop loop = new MasterLoop(config, clock, info, allocator);
        Registrar registrar = new Registrar(registry, state, onRegistryFailure);
        ServletContextHandler endpoints = Master.endpoints(loop);
        long recovered;
        try {
            loop.recover(state, registrar).get(30, TimeUnit.SECONDS);
            recovered = System.nanoTime();
            endpoints.setServer(server);
            endpoints.start();
            loop.startTicking(Master.TICK_PERIOD);
        } catch (Exception e) {
            loop.close();
            registrar.close();
            throw e;
        }
        long serving = System.nanoTime();
        // Where the time between the election and serving goes (see the README's failover section).
        log.info("Master {} serves, registry in {}; registry read in {} ms, recovered in {} ms, endpoints started in {} ms",
                info.getId(), registry.describe(), millis(loaded - started), millis(recovered - loaded),
                millis(serving - recovered));
        return new MasterTerm(loop, registrar, endpoints);
    }

    /**
     * Run by a standby, off every hot path: reads and decodes the registry and builds (then drops) a loop
     * and its endpoints, through which a few agents subscribe (they log that they joined, as
     * {@code rehearsal-N}), so that the classes a term needs are loaded before this master is elected. A
     * cold JVM took 1 to 1.7 s to read a 1,000-agent registry once elected, against tens of milliseconds
     * warm; that difference decides whether a failover stays within its target.
     */
    static void rehearse(MasterConfig config, InstantSource clock, MasterInfo info, Registry readOnly) {
        long started = System.nanoTime();
        try {
            RegistryState state = readOnly.load();
            MasterLoop loop = new MasterLoop(config, clock, info, new Allocator(
                    Sorters.byName(config.allocator(), config.fairShareResource()),
                    Sorters.byName(config.allocator(), config.fairShareResource())));
            Master.endpoints(loop);
            // The first calls a new leader decodes and runs: agents' SUBSCRIBEs and operators' GET_HEALTH.
            for (int i = 0; i < REHEARSED_AGENTS; i++) {
                AgentCall call = AgentProtocol.decodeCall(AgentProtocol.encode(new AgentCall.Subscribe(AgentInfo.newBuilder()
                        .setHostname("rehearsal-" + i).addAllResources(ResourceMapping.toMesos(REHEARSED_AGENT, null))
                        .build(), List.of(), List.of(), List.of())));
                loop.subscribeAgent(AgentAdmission.of((AgentCall.Subscribe) call, "127.0.0.1"), new Discard<>(), "rehearsal-" + i);
            }
            loop.ping().get(5, TimeUnit.SECONDS);
            loop.snapshot().get(5, TimeUnit.SECONDS);
            loop.close();
            MediaType.JSON.decode("{\"type\":\"GET_HEALTH\"}".getBytes(StandardCharsets.UTF_8),
                    org.apache.mesos.v1.master.Protos.Call.newBuilder());
            log.debug("Rehearsed taking over ({} agents in the registry) in {} ms", state.agents().size(),
                    millis(System.nanoTime() - started));
        } catch (Exception e) {
            log.debug("Rehearsing a take-over failed (harmless): {}", e.toString());
        }
    }

    private static final int REHEARSED_AGENTS = 3;
    private static final io.tandem.model.Resources REHEARSED_AGENT = io.tandem.model.Resources.parse("cpus:1;mem:1024");

    /** A stream nobody reads: the rehearsal's agents'. */
    private static final class Discard<E> implements EventSink<E> {
        @Override
        public void send(E event) {}

        @Override
        public void close() {}
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    ServletContextHandler endpoints() {
        return endpoints;
    }

    /** Ends every stream, stops the loop, lets the last registry write finish and stops the endpoints. */
    @Override
    public void close() {
        loop.close();
        registrar.close();
        try {
            endpoints.stop();
        } catch (Exception e) {
            log.warn("Error while stopping the endpoints", e);
        }
    }
}

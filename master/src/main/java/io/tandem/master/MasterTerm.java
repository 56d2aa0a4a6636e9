package io.tandem.master;

import io.tandem.allocator.Allocator;
import io.tandem.allocator.sorter.Sorters;
import io.tandem.master.registry.Registry;
import io.tandem.master.registry.RegistryException;
import io.tandem.master.registry.RegistryState;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
        RegistryState state = registry.load();
        Allocator allocator = new Allocator(
                Sorters.byName(config.allocator(), config.fairShareResource()),
                Sorters.byName(config.allocator(), config.fairShareResource()));
        MasterLoop loop = new MasterLoop(config, clock, info, allocator);
        Registrar registrar = new Registrar(registry, state, onRegistryFailure);
        ServletContextHandler endpoints = Master.endpoints(loop);
        try {
            loop.recover(state, registrar).get(30, TimeUnit.SECONDS);
            endpoints.setServer(server);
            endpoints.start();
            loop.startTicking(Master.TICK_PERIOD);
        } catch (Exception e) {
            loop.close();
            registrar.close();
            throw e;
        }
        log.info("Master {} serves, registry in {}", info.getId(), registry.describe());
        return new MasterTerm(loop, registrar, endpoints);
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

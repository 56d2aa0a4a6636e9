package io.tandem.frameworks.service;

import io.tandem.frameworks.common.AgentView;
import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Placement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs wanted instances into offers: app by app (in name order), as many as the offer's resources
 * and the app's placement constraints allow. Each placed instance is added to its app at once, so the
 * constraints of the next placement see it. Owned by the service loop thread.
 */
final class Placer {
    private static final Logger log = LoggerFactory.getLogger(Placer.class);
    private final Launches launches;
    private final RandomGenerator random;

    Placer(Launches launches, RandomGenerator random) {
        this.launches = launches;
        this.random = random;
    }

    /**
     * The tasks to launch on {@code offer}.
     *
     * @param wanted  per app, how many instances are still wanted; decremented for each one placed
     * @param misfits per app, per agent ({@code host [agent id]}: agents may share a hostname, as on
     *                {@code tandem local}), why the offer could not take (another) instance; filled in
     */
    List<TaskInfo> place(Offer offer, Collection<App> apps, Map<String, Integer> wanted,
                         Map<String, Map<String, String>> misfits) {
        AgentView site = AgentView.of(offer);
        OfferMatcher matcher = OfferMatcher.of(offer);
        List<TaskInfo> tasks = new ArrayList<>();
        for (App app : apps) {
            while (wanted.getOrDefault(app.name(), 0) > 0) {
                Optional<String> refusal = refusal(app, site);
                Placement placement = refusal.isPresent() ? null : matcher.take(app.spec().needs());
                if (placement == null || !placement.fits()) {
                    String why = refusal.orElseGet(() -> placement.reason());
                    misfits.computeIfAbsent(app.name(), k -> new LinkedHashMap<>()).put(site.hostname() + " [" + site.agentId() + "]", why);
                    break;
                }
                Instance instance = new Instance(taskId(app), app.version(), app.spec(), site, placement.ports());
                app.add(instance);
                app.placed();
                tasks.add(launches.task(instance, offer, placement));
                wanted.merge(app.name(), -1, Integer::sum);
                log.info("app {}: launching {} on {} ports {}", app.name(), instance.taskId, site.hostname(), instance.ports);
            }
        }
        return tasks;
    }

    /** The first of the app's constraints that refuses {@code site}, given where its live instances run. */
    static Optional<String> refusal(App app, AgentView site) {
        List<AgentView> occupied = app.instances().stream().filter(i -> !i.killing()).map(i -> i.site).toList();
        return app.spec().constraints().violation(site, occupied);
    }

    /** {@code <app>.v<version>.<8 hex>}: unique across versions and scheduler restarts. */
    private String taskId(App app) {
        byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        return app.name() + ".v" + app.version() + "." + HexFormat.of().formatHex(bytes);
    }
}

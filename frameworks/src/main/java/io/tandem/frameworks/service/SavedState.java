package io.tandem.frameworks.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.frameworks.common.AgentView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * The document a {@link StateStore} keeps: the framework id, and per app its file text (re-read on
 * restart), version counters, desired count, an update under way, and its instances (so a restarted
 * scheduler reconciles them with the master and checks their health again without relaunching them).
 */
record SavedState(String frameworkId, List<SavedApp> apps) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record SavedApp(String source, int version, int lastVersion, int desired, String previousSource,
                    int previousVersion, List<SavedInstance> instances) {}

    record SavedInstance(String taskId, int version, String agentId, String hostname, Map<String, String> attributes,
                         List<Long> ports, boolean everHealthy, boolean running, String health, int streak) {}

    static SavedState of(String frameworkId, Collection<App> apps) {
        List<SavedApp> saved = new ArrayList<>();
        for (App app : apps) {
            List<SavedInstance> instances = app.instances().stream().map(i -> new SavedInstance(i.taskId, i.version,
                    i.site.agentId(), i.site.hostname(), i.site.attributes(), i.ports, i.everHealthy, i.running(),
                    i.health.name(), i.streak)).toList();
            AppSpec previous = app.previousSpec();
            saved.add(new SavedApp(app.spec().source(), app.version(), app.lastVersion(), app.desired(),
                    previous == null ? null : previous.source(), app.previousVersion(), instances));
        }
        return new SavedState(frameworkId, saved);
    }

    /**
     * The apps as they were saved. Instances keep their last known state and health until reconciliation
     * and health checks say otherwise: a restart in the middle of a rolling update must not make healthy
     * old instances look unhealthy (and get them all killed at once).
     */
    List<App> restore() {
        List<App> restored = new ArrayList<>();
        for (SavedApp saved : apps) {
            AppSpec spec = AppSpecReader.read(saved.source(), "saved state");
            AppSpec previous = saved.previousSource() == null ? null : AppSpecReader.read(saved.previousSource(), "saved state");
            App app = new App(spec, saved.version(), saved.desired());
            app.restore(saved.lastVersion(), previous, saved.previousVersion());
            for (SavedInstance i : saved.instances()) {
                AppSpec own = previous != null && i.version() == saved.previousVersion() ? previous : spec;
                Instance instance = new Instance(i.taskId(), i.version(), own,
                        new AgentView(i.agentId(), i.hostname(), i.attributes()), i.ports());
                instance.everHealthy = i.everHealthy();
                instance.streak = i.streak();
                if (i.running()) {
                    instance.state = TaskState.TASK_RUNNING;
                }
                if (i.health() != null) {
                    instance.health = Instance.Health.valueOf(i.health());
                }
                app.add(instance);
            }
            restored.add(app);
        }
        return restored;
    }

    byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SavedState fromJson(byte[] json) {
        try {
            return JSON.readValue(json, SavedState.class);
        } catch (IOException e) {
            throw new IllegalStateException("the saved service state is not readable: " + e.getMessage(), e);
        }
    }
}

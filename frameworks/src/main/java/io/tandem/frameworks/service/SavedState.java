package io.tandem.frameworks.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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
                         List<Long> ports, boolean everHealthy) {}

    static SavedState of(String frameworkId, Collection<App> apps) {
        List<SavedApp> saved = new ArrayList<>();
        for (App app : apps) {
            List<SavedInstance> instances = app.instances().stream().map(i -> new SavedInstance(i.taskId, i.version,
                    i.site.agentId(), i.site.hostname(), i.site.attributes(), i.ports, i.everHealthy)).toList();
            AppSpec previous = app.previousSpec();
            saved.add(new SavedApp(app.spec().source(), app.version(), app.lastVersion(), app.desired(),
                    previous == null ? null : previous.source(), app.previousVersion(), instances));
        }
        return new SavedState(frameworkId, saved);
    }

    /** The apps as they were saved; instances come back as TASK_STAGING until reconciliation says otherwise. */
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
                        new Site(i.agentId(), i.hostname(), i.attributes()), i.ports());
                instance.everHealthy = i.everHealthy();
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

package io.tandem.frameworks.service;

import java.util.List;
import java.util.Map;

/**
 * An app file exactly as written, before validation: every field optional here so that
 * {@link AppSpecReader} can name each missing or wrong one itself. Property names are snake_case.
 */
record AppFile(String name, Integer instances, String command, Resources resources, Map<String, String> env,
               Health healthCheck, List<String> constraints, Backoff restartBackoff, String killGracePeriod,
               Integer rollbackAfter, String placementTimeout) {

    record Resources(Double cpus, Double mem, Double disk, Integer ports) {}

    record Health(String type, Integer portIndex, String path, String gracePeriod, String interval, String timeout,
                  Integer maxConsecutiveFailures, String command) {}

    record Backoff(String initial, String max) {}
}

package io.tandem.master;

import io.tandem.allocator.Quota;
import io.tandem.api.ResourceMapping;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;

/**
 * An UPDATE_QUOTA call, checked: role -> new quota (an empty quota removes the role's). Reading it
 * changes nothing.
 */
record QuotaUpdate(Map<String, Quota> quotas) {

    /**
     * @throws IllegalArgumentException naming the role and the problem: a malformed role or '*', a role
     *     named twice, a negative, NaN or infinite amount, a limit below the guarantee
     */
    static QuotaUpdate read(List<QuotaConfig> configs) {
        Map<String, Quota> quotas = new TreeMap<>();
        for (QuotaConfig config : configs) {
            String role = config.getRole();
            try {
                Resource.requireValidRole(role);
                if (role.equals(Resource.UNRESERVED)) {
                    throw new IllegalArgumentException("quota cannot be set on the unreserved role '*'");
                }
                Quota quota = new Quota(scalars("guarantees", config.getGuaranteesMap()),
                        scalars("limits", config.getLimitsMap()));
                if (quotas.put(role, quota) != null) {
                    throw new IllegalArgumentException("the role is named twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("quota of role '" + role + "': " + e.getMessage(), e);
            }
        }
        return new QuotaUpdate(quotas);
    }

    private static Resources scalars(String field, Map<String, Protos.Value.Scalar> amounts) {
        List<Protos.Resource> list = new ArrayList<>();
        amounts.forEach((name, amount) -> list.add(Protos.Resource.newBuilder().setName(name)
                .setType(Protos.Value.Type.SCALAR).setScalar(amount).build()));
        try {
            return ResourceMapping.fromMesos(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    /**
     * As Mesos does without {@code force}: refuses guarantees that, with the quotas already set, add up to
     * more than the cluster holds. Only the topmost roles with a quota count: a child's guarantee lies within
     * its parent's.
     */
    void requireWithin(Map<String, Quota> current, Resources clusterScalars) {
        Map<String, Quota> merged = new TreeMap<>(current);
        merged.putAll(quotas);
        Map<String, Double> sum = new TreeMap<>();
        merged.forEach((role, quota) -> {
            if (!hasAncestorIn(role, merged)) {
                quota.guarantee().scalars().forEach((name, amount) -> sum.merge(name, amount, Double::sum));
            }
        });
        sum.forEach((name, amount) -> {
            double total = clusterScalars.scalar(name);
            if (amount > total + 1e-9) {
                throw new IllegalArgumentException("the guarantees would add up to " + Resource.scalar(name, amount)
                        + " but the cluster holds " + Resource.scalar(name, total)
                        + " (set 'force' to set them anyway)");
            }
        });
    }

    private static boolean hasAncestorIn(String role, Map<String, Quota> quotas) {
        for (int slash = role.indexOf('/'); slash >= 0; slash = role.indexOf('/', slash + 1)) {
            if (quotas.containsKey(role.substring(0, slash))) {
                return true;
            }
        }
        return false;
    }
}

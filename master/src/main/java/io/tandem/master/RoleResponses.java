package io.tandem.master;

import io.tandem.allocator.Quota;
import io.tandem.model.Resources;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Response;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;
import org.apache.mesos.v1.quota.Protos.QuotaStatus;

/** Builds GET_WEIGHTS and GET_QUOTA answers from a {@link ClusterSnapshot}, off the loop. Stateless. */
final class RoleResponses {
    private RoleResponses() {}

    /** The roles whose weight was set; every other role weighs 1.0. */
    static Response getWeights(ClusterSnapshot s) {
        Response.GetWeights.Builder out = Response.GetWeights.newBuilder();
        new java.util.TreeMap<>(s.roles().weights()).forEach((role, weight) ->
                out.addWeightInfos(Protos.WeightInfo.newBuilder().setRole(role).setWeight(weight)));
        return Response.newBuilder().setType(Response.Type.GET_WEIGHTS).setGetWeights(out).build();
    }

    /** Mesos 1.9's form: one {@code QuotaConfig} per role with guarantees and limits. */
    static Response getQuota(ClusterSnapshot s) {
        QuotaStatus.Builder status = QuotaStatus.newBuilder();
        new java.util.TreeMap<>(s.roles().quotas()).forEach((role, quota) -> status.addConfigs(config(role, quota)));
        return Response.newBuilder().setType(Response.Type.GET_QUOTA)
                .setGetQuota(Response.GetQuota.newBuilder().setStatus(status)).build();
    }

    static QuotaConfig config(String role, Quota quota) {
        return QuotaConfig.newBuilder().setRole(role)
                .putAllGuarantees(scalars(quota.guarantee()))
                .putAllLimits(scalars(quota.limit()))
                .build();
    }

    private static Map<String, Protos.Value.Scalar> scalars(Resources resources) {
        Map<String, Protos.Value.Scalar> out = new java.util.TreeMap<>();
        resources.scalars().forEach((name, amount) ->
                out.put(name, Protos.Value.Scalar.newBuilder().setValue(amount).build()));
        return out;
    }
}

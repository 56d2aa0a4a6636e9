package io.tandem.frameworks.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * The agents a master knows, read once through the operator API ({@code GET_AGENTS} on
 * {@code /api/v1}, protobuf), as capacities for one role. A scheduler asks this when a job or gang
 * arrives, so that a demand no agent can ever meet is refused with a reason instead of waiting.
 */
public final class ClusterAgents {
    private static final String PROTOBUF = "application/x-protobuf";

    private ClusterAgents() {}

    /**
     * @param masterUrl e.g. {@code http://127.0.0.1:5050}
     * @throws IOException when the master cannot be reached or answers with an error
     */
    public static List<AgentCapacity> fetch(String masterUrl, String role) throws IOException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(masterUrl.replaceAll("/+$", "") + "/api/v1"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", PROTOBUF).header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        Call.newBuilder().setType(Call.Type.GET_AGENTS).build().toByteArray()))
                .build();
        try {
            HttpResponse<byte[]> answer = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new IOException("GET_AGENTS answered " + answer.statusCode() + ": " + new String(answer.body()));
            }
            return capacities(Response.parseFrom(answer.body()).getGetAgents(), role);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the master for its agents", e);
        } finally {
            client.close();
        }
    }

    static List<AgentCapacity> capacities(Response.GetAgents agents, String role) {
        List<AgentCapacity> out = new ArrayList<>();
        for (Response.GetAgents.Agent a : agents.getAgentsList()) {
            double cpus = 0;
            double mem = 0;
            double disk = 0;
            long ports = 0;
            for (Resource r : a.getTotalResourcesList()) {
                if (!usableBy(r, role)) {
                    continue;
                }
                switch (r.getName()) {
                    case "cpus" -> cpus += r.getScalar().getValue();
                    case "mem" -> mem += r.getScalar().getValue();
                    case "disk" -> disk += r.getScalar().getValue();
                    case "ports" -> ports += r.getRanges().getRangeList().stream()
                            .mapToLong(p -> p.getEnd() - p.getBegin() + 1).sum();
                    default -> { }
                }
            }
            AgentView view = new AgentView(a.getAgentInfo().getId().getValue(), a.getAgentInfo().getHostname(),
                    AgentView.attributes(a.getAgentInfo().getAttributesList()));
            out.add(new AgentCapacity(view, cpus, mem, disk, ports));
        }
        return out;
    }

    private static boolean usableBy(Resource r, String role) {
        if (r.getReservationsCount() > 0) {
            return r.getReservations(r.getReservationsCount() - 1).getRole().equals(role);
        }
        return !r.hasRole() || r.getRole().equals("*") || r.getRole().equals(role);
    }
}

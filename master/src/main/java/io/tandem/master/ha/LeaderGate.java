package io.tandem.master.ha;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The front door of a master's HTTP server. While the master leads, every request goes to the
 * endpoints of the current leadership; otherwise it is answered as a Mesos master that does not
 * lead answers it: {@code 307 Temporary Redirect} with {@code Location: //host:port/path} naming the
 * leader, or {@code 503 Service Unavailable} while no leader is known. {@code GET /health} is
 * answered 200 by every master that runs, leading or not.
 *
 * <p>{@link #lead} and {@link #follow} may be called from any thread; requests already inside the old
 * endpoints finish there.
 */
public final class LeaderGate extends Handler.Abstract {
    private static final String HEALTH = "/health";

    private final Supplier<Optional<URI>> leader;
    private volatile Handler leading;

    /** @param leader where the leader is now, asked for each request that must be redirected */
    public LeaderGate(Supplier<Optional<URI>> leader) {
        this.leader = leader;
    }

    /** From now on requests go to {@code endpoints} (already started). */
    public void lead(Handler endpoints) {
        leading = endpoints;
    }

    /** From now on requests are redirected to the leader; returns the endpoints that served until now. */
    public Optional<Handler> follow() {
        Handler previous = leading;
        leading = null;
        return Optional.ofNullable(previous);
    }

    public boolean isLeading() {
        return leading != null;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler current = leading;
        if (current != null) {
            return current.handle(request, response, callback);
        }
        String path = Request.getPathInContext(request);
        if (HEALTH.equals(path)) {
            return answer(response, callback, 200, "standby: not the leading master\n");
        }
        Optional<URI> found = leader.get();
        if (found.isEmpty()) {
            return answer(response, callback, 503, "No leading master is elected yet; try again shortly\n");
        }
        String query = request.getHttpURI().getQuery();
        URI target = found.get();
        String location = "//" + target.getRawAuthority() + path + (query == null ? "" : "?" + query);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        return answer(response, callback, 307, "Not the leading master; the leader is " + target + "\n");
    }

    private static boolean answer(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, BufferUtil.toBuffer(text.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}

package io.tandem.frameworks.common;

/**
 * A tiny HTTP server to run as a task, for demos and tests of services: it serves the task's sandbox
 * on {@code $PORT0} and answers {@code GET /} with 200, so an HTTP health check has something to ask.
 * Python's {@code http.server} when {@code python3} is on the agent's PATH, else the JDK's own
 * {@code jwebserver} (JDK 18+) next to the {@code java} running this process.
 */
public final class SmallHttpServer {
    private SmallHttpServer() {}

    /** A shell command (for {@code sh -c}) that serves HTTP on {@code $PORT0} until killed. */
    public static String command() {
        String jwebserver = ProcessHandle.current().info().command()
                .map(java -> java.replaceAll("java$", "jwebserver")).orElse("jwebserver");
        return "if command -v python3 >/dev/null 2>&1; then exec python3 -m http.server \"$PORT0\" --bind 0.0.0.0;"
                + " else exec " + jwebserver + " -b 0.0.0.0 -p \"$PORT0\"; fi";
    }
}

package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The user a task runs as when the agent runs as root and switches users ({@code --switch-user}):
 * CommandInfo.user, else FrameworkInfo.user. Looked up with {@code getent passwd}, so users from
 * NSS sources (LDAP, sssd) count too; found users are remembered for the agent's life.
 *
 * @param name the user's login name
 * @param uid its numeric user id
 * @param gid its primary group id
 * @param home its home directory
 */
public record TaskUser(String name, long uid, long gid, String home) {
    private static final Map<String, TaskUser> KNOWN = new ConcurrentHashMap<>();

    /**
     * The user {@code name}.
     *
     * @throws IOException naming the user when it does not exist on this machine or cannot be looked up
     */
    public static TaskUser lookup(String name) throws IOException {
        if (name.isBlank() || name.contains(":") || name.chars().anyMatch(Character::isISOControl)) {
            throw new IOException("'" + name + "' is not a user name");
        }
        TaskUser known = KNOWN.get(name);
        if (known != null) {
            return known;
        }
        TaskUser found = parse(name, getent(name));
        KNOWN.put(name, found);
        return found;
    }

    /** A passwd(5) line, {@code name:x:uid:gid:gecos:home:shell}. */
    static TaskUser parse(String name, String passwdLine) throws IOException {
        String[] fields = passwdLine.strip().split(":", -1);
        if (fields.length < 7) {
            throw new IOException("no such user '" + name + "' on this agent");
        }
        try {
            return new TaskUser(fields[0], Long.parseLong(fields[2]), Long.parseLong(fields[3]), fields[5]);
        } catch (NumberFormatException e) {
            throw new IOException("user '" + name + "' has a malformed passwd entry: " + passwdLine.strip());
        }
    }

    private static String getent(String name) throws IOException {
        Process process = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("looking up user '" + name + "' took too long");
            }
            return process.exitValue() == 0 ? out : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up user '" + name + "'", e);
        }
    }

    public boolean isRoot() {
        return uid == 0;
    }

    /** The argv that runs {@code argv} as this user (util-linux setpriv: uid, gid, supplementary groups). */
    public List<String> wrap(String setpriv, List<String> argv) {
        List<String> command = new ArrayList<>(List.of(setpriv, "--reuid=" + uid, "--regid=" + gid, "--init-groups",
                "--"));
        command.addAll(argv);
        return command;
    }

    /**
     * Makes this user the owner of {@code dir} and everything in it (symbolic links themselves, not
     * their targets). Nothing to do for root: the agent, root too, made them.
     */
    public void own(Path dir) throws IOException {
        if (isRoot()) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}

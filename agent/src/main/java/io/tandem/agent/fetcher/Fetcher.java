package io.tandem.agent.fetcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos's fetcher: puts every {@code CommandInfo.URI} of a task or executor into its sandbox before
 * the process starts. {@code http} and {@code https} are downloaded (redirects followed; anything
 * but 2xx fails, naming the status), {@code file:} URIs and absolute paths are copied. The file is
 * named by {@code output_file} (relative to the sandbox) or else by the URI's last path segment.
 * Then {@code executable} sets +x, or else, with {@code extract} (true unless set false, as in
 * Mesos), an archive is unpacked into the sandbox ({@link Archives}); the archive itself stays.
 * What it does is appended to the sandbox's {@code stderr}, where the task's own stderr follows.
 *
 * <p>Stateless and thread-safe; blocks on the network and disk, so call it off the agent loop.
 */
public final class Fetcher {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
    private static final Set<PosixFilePermission> EXECUTE = EnumSet.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param timeout how long to wait for a server to accept the connection, and then for the
     *     response to begin; the body itself may take as long as it needs
     */
    public Fetcher(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Ten seconds to connect and to start answering. */
    public Fetcher() {
        this(Duration.ofSeconds(10));
    }

    /**
     * Fetches {@code uris}, in order, into {@code sandbox} (which must exist).
     *
     * @throws FetchException at the first URI that fails, naming it and why
     */
    public void fetch(List<CommandInfo.URI> uris, Path sandbox) throws FetchException {
        for (CommandInfo.URI uri : uris) {
            try {
                fetchOne(uri, sandbox);
            } catch (FetchException e) {
                note(sandbox, e.getMessage());
                throw e;
            }
        }
    }

    private void fetchOne(CommandInfo.URI uri, Path sandbox) throws FetchException {
        String value = uri.getValue();
        Path target = target(uri, sandbox);
        note(sandbox, "Fetching '" + value + "' to '" + sandbox.relativize(target) + "'");
        try {
            Files.createDirectories(target.getParent());
            if (value.startsWith("/")) {
                copy(value, Path.of(value), target);
            } else {
                URI parsed = parse(value);
                switch (scheme(parsed)) {
                    case "http", "https" -> download(value, parsed, target);
                    case "file" -> copy(value, Path.of(parsed.getPath()), target);
                    default -> throw new FetchException(value, "unsupported scheme '" + parsed.getScheme()
                            + "' (http, https, file and absolute paths are)");
                }
            }
            if (uri.getExecutable()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
                permissions.addAll(EXECUTE);
                Files.setPosixFilePermissions(target, permissions);
            } else if ((!uri.hasExtract() || uri.getExtract()) && Archives.isArchive(target)) {
                Archives.extract(value, target, sandbox);
                note(sandbox, "Extracted '" + sandbox.relativize(target) + "'");
            }
        } catch (FetchException e) {
            throw e;
        } catch (IOException | UncheckedIOException e) {
            throw new FetchException(value, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        log.debug("fetched {} into {}", value, target);
    }

    /** Where {@code uri} lands: {@code output_file} or the URI's last path segment, never outside the sandbox. */
    static Path target(CommandInfo.URI uri, Path sandbox) throws FetchException {
        String value = uri.getValue();
        String name;
        if (uri.hasOutputFile() && !uri.getOutputFile().isEmpty()) {
            name = uri.getOutputFile();
        } else {
            String path = value.startsWith("/") ? value : parse(value).getRawPath();
            String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            name = URLDecoder.decode(last, StandardCharsets.UTF_8);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new FetchException(value, "the URI names no file; set output_file");
            }
        }
        Path target = sandbox.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !target.startsWith(sandbox) || target.equals(sandbox)) {
            throw new FetchException(value, "output_file '" + name + "' is not a file inside the sandbox");
        }
        return target;
    }

    private static URI parse(String value) throws FetchException {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new FetchException(value, "not a URI: " + e.getReason());
        }
    }

    private static String scheme(URI uri) throws FetchException {
        if (uri.getScheme() == null) {
            throw new FetchException(uri.toString(), "a relative path; give an absolute path or a URL");
        }
        return uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    }

    private static void copy(String value, Path source, Path target) throws IOException {
        if (!Files.exists(source)) {
            throw new FetchException(value, "no such file");
        }
        if (Files.isDirectory(source)) {
            throw new FetchException(value, "is a directory");
        }
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private void download(String value, URI uri, Path target) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<Path> response;
        try {
            response = http.send(request, info -> info.statusCode() / 100 == 2
                    ? HttpResponse.BodySubscribers.ofFile(target)
                    : HttpResponse.BodySubscribers.replacing(null));
        } catch (HttpTimeoutException e) {
            throw new FetchException(value, "no answer within " + timeout.toMillis() + "ms", e);
        } catch (java.net.ConnectException e) {
            throw new FetchException(value, "cannot connect to " + uri.getHost()
                    + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " (connection refused)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(value, "interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new FetchException(value, "the server answered " + response.statusCode());
        }
    }

    /** A line in the sandbox's stderr, so that {@code tandem logs --stderr} shows what was fetched. */
    private static void note(Path sandbox, String line) {
        try {
            Files.writeString(sandbox.resolve("stderr"), line + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.debug("cannot note '{}' in {}: {}", line, sandbox, e.getMessage());
        }
    }
}

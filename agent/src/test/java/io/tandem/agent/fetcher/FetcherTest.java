package io.tandem.agent.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetcherTest {
    @TempDir
    Path dir;

    private Path sandbox;
    private HttpServer server;
    private String base;
    private final Fetcher fetcher = new Fetcher(Duration.ofSeconds(5));

    @BeforeEach
    void startServer() throws IOException {
        sandbox = Files.createDirectories(dir.resolve("sandbox"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/files/", exchange -> {
            Path file = dir.resolve("served").resolve(exchange.getRequestURI().getPath().substring("/files/".length()));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", base + "/files/hello.txt");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        Files.createDirectories(dir.resolve("served"));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Path served(String name, String content) throws IOException {
        return Files.writeString(dir.resolve("served").resolve(name), content);
    }

    private static CommandInfo.URI uri(String value) {
        return CommandInfo.URI.newBuilder().setValue(value).build();
    }

    @Test
    void downloadsOverHttpIntoTheSandboxUnderTheLastPathSegment() throws IOException {
        served("hello.txt", "hello\n");

        fetcher.fetch(List.of(uri(base + "/files/hello.txt")), sandbox);

        assertThat(sandbox.resolve("hello.txt")).hasContent("hello");
        assertThat(Files.readString(sandbox.resolve("stderr"))).contains("Fetching '" + base + "/files/hello.txt'");
    }

    @Test
    void followsRedirectsAndHonoursOutputFile() throws IOException {
        served("hello.txt", "hi");

        fetcher.fetch(List.of(uri(base + "/moved").toBuilder().setOutputFile("conf/greeting").build()), sandbox);

        assertThat(sandbox.resolve("conf/greeting")).hasContent("hi");
    }

    @Test
    void aStatusOtherThan2xxFailsNamingTheStatusAndTheUri() {
        String missing = base + "/files/missing.tgz";

        assertThatThrownBy(() -> fetcher.fetch(List.of(uri(missing)), sandbox))
                .isInstanceOf(FetchException.class)
                .hasMessage("Failed to fetch '" + missing + "': the server answered 404");
        assertThat(sandbox.resolve("missing.tgz")).doesNotExist();
        assertThat(sandbox.resolve("stderr")).content().contains("the server answered 404");
    }

    @Test
    void anUnreachableServerFailsNamingTheUri() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + port + "/app.tgz";

        assertThatThrownBy(() -> fetcher.fetch(List.of(uri(unreachable)), sandbox))
                .isInstanceOf(FetchException.class)
                .hasMessageStartingWith("Failed to fetch '" + unreachable + "': cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void copiesFileUrisAndAbsolutePaths() throws IOException {
        Path a = served("a.txt", "A");
        Path b = served("b.txt", "B");

        fetcher.fetch(List.of(uri(a.toUri().toString()), uri(b.toString())), sandbox);

        assertThat(sandbox.resolve("a.txt")).hasContent("A");
        assertThat(sandbox.resolve("b.txt")).hasContent("B");
    }

    @Test
    void aMissingLocalFileFailsNamingIt() {
        String missing = dir.resolve("nope.bin").toString();

        assertThatThrownBy(() -> fetcher.fetch(List.of(uri(missing)), sandbox))
                .hasMessage("Failed to fetch '" + missing + "': no such file");
    }

    @Test
    void executableSetsTheExecuteBitAndSkipsExtraction() throws IOException {
        served("run.sh", "#!/bin/sh\necho ran\n");

        fetcher.fetch(List.of(uri(base + "/files/run.sh").toBuilder().setExecutable(true).build()), sandbox);

        assertThat(Files.isExecutable(sandbox.resolve("run.sh"))).isTrue();
    }

    @Test
    void extractsTarballsWithTheSystemTar() throws Exception {
        Path content = Files.createDirectories(dir.resolve("content/app"));
        Files.writeString(content.resolve("main.sh"), "echo main");
        Path tarball = dir.resolve("served/app.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", tarball.toString(), "-C", dir.resolve("content").toString(), "app")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();

        fetcher.fetch(List.of(uri(base + "/files/app.tar.gz")), sandbox);

        assertThat(sandbox.resolve("app/main.sh")).hasContent("echo main");
        assertThat(sandbox.resolve("app.tar.gz")).exists();
    }

    @Test
    void aCorruptTarballFailsWithTarsWords() throws IOException {
        served("broken.tgz", "not a tarball at all");

        assertThatThrownBy(() -> fetcher.fetch(List.of(uri(base + "/files/broken.tgz")), sandbox))
                .hasMessageStartingWith("Failed to fetch '" + base + "/files/broken.tgz': cannot extract the archive:"
                        + " tar exited with status");
    }

    @Test
    void extractsZipFilesAndGzipFiles() throws IOException {
        writeZip(dir.resolve("served/site.zip"), "site/index.html", "<p>hi</p>");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("served/data.csv.gz")))) {
            out.write("a,b\n".getBytes(StandardCharsets.UTF_8));
        }

        fetcher.fetch(List.of(uri(base + "/files/site.zip"), uri(base + "/files/data.csv.gz")), sandbox);

        assertThat(sandbox.resolve("site/index.html")).hasContent("<p>hi</p>");
        assertThat(sandbox.resolve("data.csv")).hasContent("a,b");
    }

    @Test
    void extractFalseLeavesTheArchivePacked() throws IOException {
        writeZip(dir.resolve("served/site.zip"), "index.html", "x");

        fetcher.fetch(List.of(uri(base + "/files/site.zip").toBuilder().setExtract(false).build()), sandbox);

        assertThat(sandbox.resolve("site.zip")).exists();
        assertThat(sandbox.resolve("index.html")).doesNotExist();
    }

    @Test
    void aZipEntryThatWouldLandOutsideTheSandboxIsRefused() throws IOException {
        writeZip(dir.resolve("served/evil.zip"), "../../escaped.txt", "gotcha");

        assertThatThrownBy(() -> fetcher.fetch(List.of(uri(base + "/files/evil.zip")), sandbox))
                .hasMessageContaining("archive entry '../../escaped.txt' would land outside the sandbox");
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
        assertThat(dir.getParent().resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void anOutputFileOutsideTheSandboxIsRefused() {
        CommandInfo.URI escaping = uri(base + "/files/hello.txt").toBuilder().setOutputFile("../../etc/x").build();

        assertThatThrownBy(() -> fetcher.fetch(List.of(escaping), sandbox))
                .hasMessageContaining("output_file '../../etc/x' is not a file inside the sandbox");
    }

    @Test
    void unsupportedSchemesAndRelativePathsAreRefused() {
        assertThatThrownBy(() -> fetcher.fetch(List.of(uri("hdfs://nn/app.jar")), sandbox))
                .hasMessage("Failed to fetch 'hdfs://nn/app.jar': unsupported scheme 'hdfs'"
                        + " (http, https, file and absolute paths are)");
        assertThatThrownBy(() -> fetcher.fetch(List.of(uri("app.jar")), sandbox))
                .hasMessageContaining("a relative path; give an absolute path or a URL");
    }

    private static void writeZip(Path file, String entry, String content) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}

package io.tandem.agent.fetcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks fetched archives into the sandbox, as Mesos's fetcher does: tarballs ({@code .tar},
 * {@code .tar.gz}, {@code .tgz}, {@code .tar.bz2}, {@code .tbz2}, {@code .tar.xz}, {@code .txz})
 * with the system's GNU {@code tar} (it detects the compression and refuses members named with
 * {@code ..} or an absolute path); {@code .zip} with {@link ZipInputStream}, refusing any entry that
 * would land outside the sandbox (zip-slip); a lone {@code .gz} is decompressed beside itself.
 *
 * <p>Stateless; blocking.
 */
final class Archives {
    private static final List<String> TARBALLS = List.of(".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz",
            ".txz");

    private Archives() {}

    static boolean isArchive(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return TARBALLS.stream().anyMatch(name::endsWith) || name.endsWith(".zip") || name.endsWith(".gz");
    }

    /** Unpacks {@code archive} (fetched from {@code uri}) into {@code into}. */
    static void extract(String uri, Path archive, Path into) throws IOException {
        String name = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        if (TARBALLS.stream().anyMatch(name::endsWith)) {
            untar(uri, archive, into);
        } else if (name.endsWith(".zip")) {
            unzip(uri, archive, into);
        } else {
            gunzip(uri, archive);
        }
    }

    private static void untar(String uri, Path archive, Path into) throws IOException {
        Process tar = new ProcessBuilder("tar", "-C", into.toString(), "-xf", archive.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String output;
        try (InputStream in = tar.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            int status = tar.waitFor();
            if (status != 0) {
                throw new FetchException(uri, "cannot extract the archive: tar exited with status " + status
                        + (output.isEmpty() ? "" : ": " + lastLine(output)));
            }
        } catch (InterruptedException e) {
            tar.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FetchException(uri, "interrupted while extracting", e);
        }
    }

    private static void unzip(String uri, Path archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            boolean any = false;
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                any = true;
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root) && !entry.isDirectory()) {
                    throw new FetchException(uri, "archive entry '" + entry.getName()
                            + "' would land outside the sandbox");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!any) {
                throw new FetchException(uri, "cannot extract the archive: not a zip file, or an empty one");
            }
        } catch (java.util.zip.ZipException e) {
            throw new FetchException(uri, "cannot extract the archive: " + e.getMessage(), e);
        }
    }

    private static void gunzip(String uri, Path archive) throws IOException {
        String name = archive.getFileName().toString();
        Path target = archive.resolveSibling(name.substring(0, name.length() - ".gz".length()));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
             OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        } catch (java.util.zip.ZipException e) {
            Files.deleteIfExists(target);
            throw new FetchException(uri, "cannot extract the archive: " + e.getMessage(), e);
        }
    }

    private static String lastLine(String text) {
        return text.substring(text.lastIndexOf('\n') + 1);
    }
}

package io.tandem.agent.sandbox;

import io.tandem.agent.process.Sandboxes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the agent's file API may show: files below the sandboxes directory, named by their real
 * absolute path (as Mesos names an executor's directory) or by the short form
 * {@code /sandboxes/<framework>/<task>/...}. A path that leaves the sandboxes, by {@code ..} or
 * through a symbolic link, is refused (400); one that does not exist is 404.
 *
 * <p>Stateless and thread-safe; blocking file I/O.
 */
public final class SandboxFiles {
    /** The most a single read returns, whatever {@code length} asks for. */
    static final int MAX_READ = 1024 * 1024;

    private final Path root;

    public SandboxFiles(Path sandboxesRoot) {
        this.root = sandboxesRoot.toAbsolutePath().normalize();
    }

    /** One entry of a directory listing, in Mesos's {@code /files/browse} shape. */
    public record Entry(String path, long size, String mode, long mtime, String uid, String gid, long nlink) {}

    /** A piece of a file: {@code data} starts at byte {@code offset}. */
    public record Piece(String data, long offset) {}

    /** The entries of directory {@code requested} (or the file itself), sorted by name. */
    List<Entry> browse(String requested) throws FileApiException, IOException {
        Path real = resolve(requested);
        String shown = requested.length() > 1 && requested.endsWith("/")
                ? requested.substring(0, requested.length() - 1) : requested;
        if (!Files.isDirectory(real)) {
            return List.of(entry(real, shown));
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(real)) {
            for (Path child : children.sorted().toList()) {
                try {
                    entries.add(entry(child, shown + "/" + child.getFileName()));
                } catch (NoSuchFileException e) {
                    // removed while listing
                }
            }
        }
        return entries;
    }

    /**
     * Up to {@code length} bytes (negative: to the end; never more than {@link #MAX_READ}) of file
     * {@code requested} from {@code offset}; offset -1 asks for the file's size, answered as the
     * offset with no data. A read past the end is empty.
     * The data ends on a whole UTF-8 character, so the next read starts at {@code offset} plus
     * the data's UTF-8 length; bytes that are not UTF-8 come back as one {@code ?} each.
     */
    Piece read(String requested, long offset, long length) throws FileApiException, IOException {
        Path real = resolve(requested);
        if (Files.isDirectory(real)) {
            throw new FileApiException(400, "Cannot read '" + requested + "': it is a directory");
        }
        try (FileChannel file = FileChannel.open(real, StandardOpenOption.READ)) {
            long size = file.size();
            if (offset == -1) {
                return new Piece("", size);
            }
            long wanted = Math.min(length < 0 ? Long.MAX_VALUE : length, MAX_READ);
            int count = (int) Math.max(0, Math.min(wanted, size - offset));
            ByteBuffer bytes = ByteBuffer.allocate(count);
            while (bytes.hasRemaining() && file.read(bytes, offset + bytes.position()) > 0) {
                // keep reading: a file may hand out less than asked
            }
            bytes.flip();
            return new Piece(decode(bytes), offset);
        }
    }

    /** The real path of {@code requested}, checked to be inside the sandboxes. */
    Path resolve(String requested) throws FileApiException, IOException {
        if (requested == null || requested.isBlank()) {
            throw new FileApiException(400, "Expecting 'path' query parameter");
        }
        Path asked;
        try {
            asked = Path.of(requested).normalize();
        } catch (InvalidPathException e) {
            throw new FileApiException(400, "Path '" + requested + "' is malformed: " + e.getReason());
        }
        if (!asked.isAbsolute()) {
            throw new FileApiException(400, "Path '" + requested + "' must be absolute, e.g. "
                    + Sandboxes.VIRTUAL_ROOT + "/<framework>/<task>/stdout");
        }
        Path virtualRoot = Path.of(Sandboxes.VIRTUAL_ROOT);
        Path candidate;
        if (asked.startsWith(root)) {
            candidate = asked;
        } else if (asked.startsWith(virtualRoot)) {
            candidate = root.resolve(virtualRoot.relativize(asked).toString());
        } else {
            throw new FileApiException(400, "Path '" + requested + "' is outside the agent's sandboxes");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new FileApiException(404, "No such file or directory: '" + requested + "'");
        }
        Path realRoot = root.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw new FileApiException(400, "Path '" + requested + "' leads outside the agent's sandboxes"
                    + " (through a symbolic link)");
        }
        return real;
    }

    private static Entry entry(Path path, String shown) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        char type = attributes.isDirectory() ? 'd' : attributes.isSymbolicLink() ? 'l' : '-';
        Object links = Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        return new Entry(shown, attributes.size(), type + PosixFilePermissions.toString(attributes.permissions()),
                attributes.lastModifiedTime().toInstant().getEpochSecond(), attributes.owner().getName(),
                attributes.group().getName(), ((Number) links).longValue());
    }

    /**
     * UTF-8 text of {@code bytes}, less an unfinished character at the end; each byte that is not
     * UTF-8 becomes one {@code ?}, so the text's UTF-8 length equals the bytes it stands for.
     */
    static String decode(ByteBuffer bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.remaining() + 1);
        while (true) {
            CoderResult result = decoder.decode(bytes, out, false);
            if (result.isUnderflow()) {
                break; // the rest (if any) is an unfinished character: left for the next read
            }
            if (!result.isError()) {
                break; // overflow cannot happen: no byte makes more than one char
            }
            for (int i = 0; i < result.length(); i++) {
                out.put('?');
            }
            bytes.position(bytes.position() + result.length());
        }
        return out.flip().toString();
    }
}

package io.tandem.agent.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's file API, as Mesos's: {@code GET /files/browse?path=P} lists a directory as a JSON
 * array of {@code {path, size, mode, mtime, uid, gid, nlink}}; {@code GET /files/read?path=P&offset=N&length=M}
 * answers {@code {"data": "...", "offset": N}} ({@code offset=-1}: the file's size as offset, no
 * data); {@code GET /files/download?path=P} sends the file. The {@code .json} names work too.
 * Paths are checked by {@link SandboxFiles}: only files of the sandboxes are served.
 *
 * <p>Runs on Jetty's request threads; touches only the file system, never the agent loop.
 */
public final class FilesApi extends HttpServlet {
    /** Where the servlet is mounted. */
    public static final String PATH = "/files/*";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient SandboxFiles files;

    public FilesApi(SandboxFiles files) {
        this.files = files;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String endpoint = request.getPathInfo() == null ? "" : request.getPathInfo();
        String path = request.getParameter("path");
        try {
            switch (endpoint) {
                case "/browse", "/browse.json" -> json(response, files.browse(path));
                case "/read", "/read.json" -> read(request, response, path);
                case "/download" -> download(response, path);
                default -> throw new FileApiException(404, "No such endpoint '/files" + endpoint
                        + "'; there are /files/browse, /files/read and /files/download");
            }
        } catch (FileApiException e) {
            text(response, e.status, e.getMessage());
        }
    }

    private void read(HttpServletRequest request, HttpServletResponse response, String path)
            throws FileApiException, IOException {
        long offset = number(request, "offset", 0);
        long length = number(request, "length", -1);
        if (offset < -1) {
            throw new FileApiException(400, "Negative offset provided: " + offset);
        }
        if (length < -1) {
            throw new FileApiException(400, "Negative length provided: " + length);
        }
        SandboxFiles.Piece piece = files.read(path, offset, length);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", piece.data());
        body.put("offset", piece.offset());
        json(response, body);
    }

    private void download(HttpServletResponse response, String path) throws FileApiException, IOException {
        Path file = files.resolve(path);
        if (Files.isDirectory(file)) {
            throw new FileApiException(400, "Cannot download '" + path + "': it is a directory");
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/octet-stream");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"");
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(response.getOutputStream());
        }
    }

    private static long number(HttpServletRequest request, String name, long absent) throws FileApiException {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new FileApiException(400, "Failed to parse " + name + ": '" + value + "' is not a whole number");
        }
    }

    private static void json(HttpServletResponse response, Object body) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }

    private static void text(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
    }
}

package io.tandem.cli;

import io.tandem.api.MalformedMessageException;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.mesos.v1.master.Protos.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem logs TASK_ID}: asks the master's GET_STATE where the task ran ({@link TaskLocator}),
 * then prints its {@code stdout} (or {@code stderr}) through that agent's file API
 * ({@link AgentFiles}). With {@code --follow} it polls for more until the master reports the task
 * terminal and everything written before that is printed; a rotation meanwhile ({@code stdout}
 * shrank) is bridged through {@code stdout.1} (see the agent's {@code LogRotation}).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print a task's stdout (or stderr) from its sandbox, read through its agent.")
final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TASK_ID", description = "The task's id.")
    String taskId;

    @Option(names = "--master", required = true, paramLabel = "URL",
            description = "Master URL, e.g. http://127.0.0.1:5050 (env TANDEM_MASTER).")
    String master;

    @Option(names = "--framework", paramLabel = "ID",
            description = "The task's framework, when several frameworks use the same task id.")
    String framework;

    @Option(names = "--stderr", description = "Print stderr instead of stdout.")
    boolean stderr;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the task has ended.")
    boolean follow;

    @Option(names = "--poll-interval", defaultValue = "500ms",
            description = "How often --follow looks for more (default: ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(names = "--timeout", defaultValue = "10s",
            description = "How long to wait for the master and the agent (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    private PrintWriter out;

    @Override
    public Integer call() throws InterruptedException {
        out = spec.commandLine().getOut();
        MasterQuery query = MasterQuery.of(master, timeout, spec.commandLine());
        try {
            TaskLocator.Location task = locate(query);
            AgentFiles files = new AgentFiles(task.agentUrl(), timeout);
            String path = task.sandbox() + "/" + (stderr ? "stderr" : "stdout");
            if (follow) {
                follow(query, task, files, path);
            } else {
                printFrom(files, path, 0);
            }
            return 0;
        } catch (AgentFiles.Missing e) {
            return fail("task " + taskId + " has no " + (stderr ? "stderr" : "stdout") + " on its agent: "
                    + e.getMessage() + " (not started yet, or its sandbox was removed)");
        } catch (IOException | IllegalStateException e) {
            return fail(e instanceof IOException io ? MasterQuery.describe(io) : e.getMessage());
        } finally {
            out.flush();
        }
    }

    private TaskLocator.Location locate(MasterQuery query) throws IOException, InterruptedException {
        String body = query.postJson(query.atOrOwn("/api/v1"), "{\"type\":\"GET_STATE\"}");
        try {
            Response response = MesosJson.parse(body, Response.newBuilder()).buildPartial();
            return TaskLocator.locate(response.getGetState(), taskId, framework);
        } catch (MalformedMessageException e) {
            throw new IOException("the master did not answer with a GET_STATE response: " + e.getMessage(), e);
        }
    }

    /** Prints the file from {@code offset} to its current end; returns the new offset. */
    private long printFrom(AgentFiles files, String path, long offset) throws IOException, InterruptedException {
        while (true) {
            String data = files.read(path, offset);
            if (data.isEmpty()) {
                return offset;
            }
            out.print(data);
            out.flush();
            offset += AgentFiles.bytes(data);
        }
    }

    private void follow(MasterQuery query, TaskLocator.Location task, AgentFiles files, String path)
            throws IOException, InterruptedException {
        long offset = 0;
        while (true) {
            // Terminal first, then read: a task's process has exited before its terminal update, so
            // this last read sees everything it wrote.
            boolean ended = task.terminal();
            try {
                if (files.size(path) < offset) {
                    // Rotated: the old file's first size(.1) bytes went to .1, the rest is at the start.
                    long rotated = files.size(path + ".1");
                    if (offset < rotated) {
                        printFrom(files, path + ".1", offset);
                    }
                    offset = Math.max(0, offset - rotated);
                }
                offset = printFrom(files, path, offset);
            } catch (AgentFiles.Missing e) {
                if (ended) {
                    throw e;
                }
            }
            if (ended) {
                return;
            }
            Thread.sleep(pollInterval.toMillis());
            task = locate(query);
        }
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("tandem logs: " + message);
        return 1;
    }
}

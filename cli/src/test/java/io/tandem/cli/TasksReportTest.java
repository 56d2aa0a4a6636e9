package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TasksReportTest {
    /** What a master's GET /tasks/usage answers: a command task, a task of an executor, a staging task. */
    static final String ANSWER = """
            {"taken_at":"2026-11-22T12:00:03.500Z","tasks":[
              {"task_id":"web-1","name":"web-1","framework_id":"m-0003","framework_name":"hello","agent_id":"a1",
               "agent":"h1:5051","state":"TASK_RUNNING","resources":"cpus:1;mem:64",
               "usage":{"container":"task","taken_at":"2026-11-22T12:00:02.250Z","reported_at":"2026-11-22T12:00:02.300Z",
                        "statistics":{"timestamp":1.0,"cpus_user_time_secs":1.256,"cpus_system_time_secs":0.5,
                                      "mem_total_bytes":13107200,"mem_limit_bytes":67108864,"processes":3,
                                      "disk_used_bytes":1048576,"disk_limit_bytes":10485760}}},
              {"task_id":"x1","name":"x1","framework_id":"m-0004","framework_name":"","agent_id":"a1","agent":"h1:5051",
               "executor_id":"e1","state":"TASK_RUNNING","resources":"cpus:1",
               "usage":{"container":"executor","taken_at":"2026-11-22T12:00:03Z","reported_at":"2026-11-22T12:00:03.1Z",
                        "statistics":{"timestamp":1.0,"cpus_user_time_secs":7,"cpus_system_time_secs":0,
                                      "mem_total_bytes":1048576,"processes":1}}},
              {"task_id":"new","name":"new","framework_id":"m-0003","framework_name":"hello","agent_id":"a2","agent":"",
               "state":"TASK_STAGING","resources":"cpus:1","usage":null}]}
            """;

    @Test
    void showsEachTasksCpuMemoryProcessesDiskAndTheAgeOfTheReading() throws Exception {
        String text = TasksReport.render(new ObjectMapper().readTree(ANSWER));

        assertThat(text).startsWith("TASKS\nID ");
        assertThat(text).containsPattern("web-1 +hello \\(0003\\) +h1:5051 +TASK_RUNNING +1\\.26/0\\.5 +12\\.5/64 +3 +1/10 +1\\.3s");
        assertThat(text).containsPattern("x1 +m-0004 +h1:5051 +TASK_RUNNING +7/0 \\* +1/- +1 +-/- +0\\.5s");
        assertThat(text).containsPattern("new +hello \\(0003\\) +a2 +TASK_STAGING +- +- +- +- +-\n");
        assertThat(text).endsWith("* the task's executor's container, shared by all its tasks\n");
    }

    @Test
    void noTasksIsSaidPlainly() throws Exception {
        String text = TasksReport.render(new ObjectMapper().readTree("{\"taken_at\":\"2026-11-22T12:00:00Z\",\"tasks\":[]}"));

        assertThat(text).isEqualTo("TASKS\n(none)\n");
    }
}

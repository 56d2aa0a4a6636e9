package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunMasterProbeTest {

    @Test
    void namesTheAddressTheDriverConnectsTo() {
        assertThat(RunMasterProbe.address("notaurl")).contains(URI.create("http://notaurl:80"));
        assertThat(RunMasterProbe.address("m1:5050")).contains(URI.create("http://m1:5050"));
        assertThat(RunMasterProbe.address("https://m1/api/v1/scheduler")).contains(URI.create("https://m1:443"));
        assertThat(RunMasterProbe.address("http://exa mple:5050")).isEmpty();
        assertThat(RunMasterProbe.address("http://:5050")).isEmpty();
    }

    @Test
    void anUnknownHostIsNamed() {
        assertThat(RunMasterProbe.unreachable(URI.create("http://notaurl.invalid:5050")))
                .contains("unknown host notaurl.invalid");
    }

    @Test
    void aListeningMasterIsReachable() throws Exception {
        try (ServerSocket master = new ServerSocket(0)) {
            assertThat(RunMasterProbe.unreachable(URI.create("http://127.0.0.1:" + master.getLocalPort()))).isEmpty();
        }
    }

    @Test
    void printsEachCauseOncePerMaster() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StringWriter err = new StringWriter();
        RunMasterProbe probe = new RunMasterProbe(List.of("127.0.0.1:" + port, "notaurl.invalid"), new PrintWriter(err, true));

        probe.check();
        probe.check();

        assertThat(err.toString().lines()).containsExactly(
                "tandem run: cannot reach the master at http://127.0.0.1:" + port + ": connection refused; retrying",
                "tandem run: cannot reach the master at http://notaurl.invalid:80: unknown host notaurl.invalid; retrying");
    }
}

package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterEndpointsTest {
    private static final String PATH = "/api/v1/scheduler";

    @Test
    void namesTheSameEndpointForEveryWayOfWritingAMaster() {
        URI expected = URI.create("http://m1:5050/api/v1/scheduler");

        assertThat(MasterEndpoints.endpoint("m1:5050", PATH)).isEqualTo(expected);
        assertThat(MasterEndpoints.endpoint("http://m1:5050", PATH)).isEqualTo(expected);
        assertThat(MasterEndpoints.endpoint("http://m1:5050/", PATH)).isEqualTo(expected);
        assertThat(MasterEndpoints.endpoint(" http://m1:5050/api/v1/scheduler ", PATH)).isEqualTo(expected);
        assertThat(MasterEndpoints.endpoint("https://m1:5050", PATH)).hasToString("https://m1:5050/api/v1/scheduler");
    }

    @Test
    void refusesAUrlWithoutAHost() {
        assertThatThrownBy(() -> MasterEndpoints.endpoint("http:///x", PATH)).hasMessageContaining("names no host");
        assertThatThrownBy(() -> MasterEndpoints.endpoint(" ", PATH)).hasMessage("empty master URL");
    }

    @Test
    void triesTheListedMastersInTurn() {
        MasterEndpoints endpoints = new MasterEndpoints(List.of("m1:5050", "m2:5050"), PATH);

        assertThat(endpoints.current()).hasHost("m1");
        endpoints.advance();
        assertThat(endpoints.current()).hasHost("m2");
        endpoints.advance();
        assertThat(endpoints.current()).hasHost("m1");
    }

    @Test
    void followsEveryFormOfLocationThatMastersSend() {
        MasterEndpoints endpoints = new MasterEndpoints(List.of("http://m1:5050"), PATH);

        assertThat(endpoints.redirect("//m2:5050")).hasToString("http://m2:5050/api/v1/scheduler");
        assertThat(endpoints.redirect("//m3:5050/api/v1/scheduler")).hasToString("http://m3:5050/api/v1/scheduler");
        assertThat(endpoints.redirect("m4:5050")).hasToString("http://m4:5050/api/v1/scheduler");
        assertThat(endpoints.redirect("http://m5:5050/")).hasToString("http://m5:5050/api/v1/scheduler");
        assertThat(endpoints.current()).hasHost("m5");
    }
}

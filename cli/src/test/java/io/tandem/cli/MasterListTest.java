package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MasterListTest {
    @Test
    void commaSeparatedMastersAreTrimmedAndBlanksDropped() {
        assertThat(MasterList.split(" http://a:5050 ,,http://b:5050, ")).containsExactly("http://a:5050", "http://b:5050");
        assertThat(MasterList.split(null)).isEmpty();
    }
}

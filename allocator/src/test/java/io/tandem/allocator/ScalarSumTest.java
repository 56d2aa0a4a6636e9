package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.model.Resources;
import org.junit.jupiter.api.Test;

class ScalarSumTest {

    @Test
    void sumsScalarsPerNameAndRoleAndIgnoresTheRest() {
        ScalarSum sum = new ScalarSum(false);
        sum.add(Resources.parse("mem:10;cpus:1;ports:[1-5]"));
        sum.add(Resources.parse("cpus(prod):2;cpus:0.5;disk:3"));

        assertThat(sum.resources()).isEqualTo(Resources.parse("cpus:1.5;cpus(prod):2;disk:3;mem:10"));
        assertThat(sum.resources().toString()).isEqualTo("cpus:1.5;cpus(prod):2;disk:3;mem:10");
    }

    @Test
    void subtractingEverythingLeavesAnEmptySum() {
        ScalarSum sum = new ScalarSum(false);
        Resources r = Resources.parse("cpus:0.1;mem:32");
        for (int i = 0; i < 10; i++) {
            sum.add(r);
        }
        for (int i = 0; i < 10; i++) {
            sum.subtract(r);
        }

        assertThat(sum.isEmpty()).isTrue();
        assertThat(sum.resources()).isEqualTo(Resources.empty());
    }

    @Test
    void unreservedOnlySkipsReservations() {
        ScalarSum sum = new ScalarSum(true);
        sum.add(Resources.parse("cpus:1;cpus(prod):2"));

        assertThat(sum.resources()).isEqualTo(Resources.parse("cpus:1"));
    }

    @Test
    void refusesToGoBelowNothing() {
        ScalarSum sum = new ScalarSum(false);
        sum.add(Resources.parse("cpus:1"));

        assertThatThrownBy(() -> sum.subtract(Resources.parse("cpus:2")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cpus:2");
        assertThat(sum.resources()).isEqualTo(Resources.parse("cpus:1"));
    }
}

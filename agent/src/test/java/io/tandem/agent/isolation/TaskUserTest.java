package io.tandem.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskUserTest {
    @Test
    void passwdLineGivesIdsAndHome() throws IOException {
        TaskUser user = TaskUser.parse("nobody", "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");

        assertThat(user).isEqualTo(new TaskUser("nobody", 65534, 65534, "/nonexistent"));
        assertThat(user.isRoot()).isFalse();
    }

    @Test
    void noPasswdLineMeansNoSuchUser() {
        assertThatThrownBy(() -> TaskUser.parse("ghost", ""))
                .isInstanceOf(IOException.class).hasMessage("no such user 'ghost' on this agent");
    }

    @Test
    void namesThatCannotBeUsersAreRefusedWithoutALookup() {
        assertThatThrownBy(() -> TaskUser.lookup("a:b")).hasMessage("'a:b' is not a user name");
        assertThatThrownBy(() -> TaskUser.lookup(" ")).hasMessageContaining("is not a user name");
    }

    @Test
    void switchRunsTheCommandWithTheUsersIdsAndGroups() {
        TaskUser user = new TaskUser("alice", 1001, 1002, "/home/alice");

        assertThat(user.wrap("/usr/bin/setpriv", List.of("sh", "-c", "id")))
                .containsExactly("/usr/bin/setpriv", "--reuid=1001", "--regid=1002", "--init-groups", "--",
                        "sh", "-c", "id");
    }
}

package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.polykube.files.PrivateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReleaseDigestsTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void readsSha256sumLinesNamedByTheirPathUnderTheMirror() {
        ReleaseDigests digests = ReleaseDigests.parse("# Kubernetes 1.37.2, linux/amd64\n\n"
                + A.toUpperCase() + "  release/v1.37.2/bin/linux/amd64/kubelet\n"
                + B + " *etcd/v3.7.0/etcd-v3.7.0-linux-amd64.tar.gz\n"
                + A + "  release/v1.37.2/bin/linux/amd64/kubelet\n", "pins.sha256");
        assertThat(digests.size()).isEqualTo(2);
        assertThat(digests.digest("release/v1.37.2/bin/linux/amd64/kubelet")).contains(A);
        assertThat(digests.digest("etcd/v3.7.0/etcd-v3.7.0-linux-amd64.tar.gz")).contains(B);
        assertThat(digests.digest("release/v1.37.2/bin/linux/amd64/kubectl")).isEmpty();
        assertThat(digests.source()).isEqualTo("pins.sha256");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a digest alone                | aaaa                                                   | line 1 is not 'sha256  path'",
        "no hex                        | zz  release/v1.37.2/bin/linux/amd64/kubelet            | line 1 holds no SHA-256 (64 hex digits): 'zz'",
        "an absolute path              | A64  /etc/shadow                                       | names '/etc/shadow', not a path under the mirror",
        "a path out of the mirror      | A64  release/../../etc/shadow                          | names 'release/../../etc/shadow'",
        "a name with a space           | A64  release/v1.37.2/kube let                          | line 1 is not 'sha256  path'",
        "the same file, two digests    | A64  etcd/v3.7.0/e.tar.gz\\nB64  etcd/v3.7.0/e.tar.gz  | line 2 pins etcd/v3.7.0/e.tar.gz a second time, to another digest",
    })
    void aBadLineIsRefusedNamingIt(String what, String text, String message) {
        String lines = text.strip().replace("\\n", "\n").replace("A64", A).replace("B64", B);
        assertThatThrownBy(() -> ReleaseDigests.parse(lines, "pins.sha256"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("pins.sha256 line")
                .hasMessageContaining(message.strip());
    }

    @Test
    void aFileAnotherUserCouldChangePinsNothing(@TempDir Path tmp) throws IOException {
        String text = A + "  release/v1.37.2/bin/linux/amd64/kubelet\n";
        Path own = Files.writeString(tmp.resolve("own.sha256"), text);
        assertThat(ReleaseDigests.read(own).digest("release/v1.37.2/bin/linux/amd64/kubelet")).contains(A);
        assertThat(ReleaseDigests.read(own).source()).isEqualTo(own.toString());

        Path groupWritable = Files.writeString(tmp.resolve("group.sha256"), text);
        Files.setPosixFilePermissions(groupWritable, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> ReleaseDigests.read(groupWritable))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("are writable by another user, so they pin nothing: chmod go-w " + groupWritable);

        Path link = Files.createSymbolicLink(tmp.resolve("link.sha256"), own);
        assertThatThrownBy(() -> ReleaseDigests.read(link))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("not a regular file but a symbolic link, which polykube does not follow");

        assertThatThrownBy(() -> ReleaseDigests.read(tmp.resolve("missing.sha256")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("cannot read the release digests " + tmp.resolve("missing.sha256"))
                .hasMessageContaining("sha256sum format");
    }

    @Test
    void aFileOfAnotherUserPinsNothing(@TempDir Path tmp) throws IOException {
        Path theirs = Files.writeString(tmp.resolve("theirs.sha256"), A + "  release/v1.37.2/bin/linux/amd64/kubelet\n");
        assumeTrue(PrivateDirectory.currentUid() == 0, "only root can give a file to another user");
        int other = 65534;
        Files.setAttribute(theirs, "unix:uid", other);
        assertThatThrownBy(() -> ReleaseDigests.read(theirs))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("belong to uid " + other + ", neither this user (uid 0) nor root, so they pin nothing");
    }
}

package io.polykube.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void makesAMissingDirectoryAndItsMissingParentsOwnerOnly() throws Exception {
        Path dir = tmp.resolve("a/b/ports");

        assertThat(PrivateDirectory.ensure(dir, "the port lock directory")).isEqualTo(dir);
        for (Path made : new Path[] {tmp.resolve("a"), tmp.resolve("a/b"), dir}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwx------");
        }
    }

    @Test
    void refusesADirectoryOthersCanWriteIn() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> PrivateDirectory.ensure(dir, "the port lock directory"))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("the port lock directory is writable by its group and others (rwxrwxrwx)")
                .hasMessageContaining("chmod go-w " + dir);
    }

    @Test
    void refusesASymbolicLinkEvenToAPrivateDirectory() throws Exception {
        Path real = PrivateDirectory.ensure(tmp.resolve("real"), "a directory");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);

        assertThatThrownBy(() -> PrivateDirectory.ensure(link, "the cluster directory"))
                .hasMessageContaining("the cluster directory is a symbolic link, which polykube never follows");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void refusesAFile() throws Exception {
        Path file = Files.createFile(tmp.resolve("file"));

        assertThatThrownBy(() -> PrivateDirectory.check(file, "the state directory"))
                .hasMessageContaining("the state directory is not a directory");
    }

    @Test
    void refusesADirectoryAnotherUserOwns() throws Exception {
        assumeTrue(PrivateDirectory.currentUid() == 0, "only root can give a directory to another user");
        Path dir = PrivateDirectory.ensure(tmp.resolve("theirs"), "a directory");
        Files.setAttribute(dir, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

        assertThatThrownBy(() -> PrivateDirectory.check(dir, "the port lock directory"))
                .hasMessageContaining("the port lock directory is owned by uid 65534, not by this user (uid 0)");
    }

    @Test
    void currentUidIsThisProcesssUser() throws Exception {
        Path mine = Files.createFile(tmp.resolve("mine"));

        assertThat(PrivateDirectory.currentUid()).isEqualTo(Files.getAttribute(mine, "unix:uid"));
    }
}

package io.polykube.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDeletionTest {
    @TempDir
    Path tmp;

    @Test
    void deletesNestedDirectoriesAndFiles() throws IOException {
        Path root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/file"), "x");
        Files.writeString(root.resolve("a/top"), "y");
        Files.createDirectories(root.resolve("empty"));
        TreeDeletion.delete(root);
        assertThat(root).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aMissingRootIsFine() throws IOException {
        TreeDeletion.delete(tmp.resolve("never-made"));
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void linksToAFileAndToADirectoryOutsideTheTreeAreDeletedAndTheirTargetsSurvive() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside/dir"));
        Path outsideFile = Files.writeString(tmp.resolve("outside/file"), "keep me");
        Files.writeString(outside.resolve("inner"), "keep me too");
        Path root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("to-file"), outsideFile);
        Files.createSymbolicLink(root.resolve("sub/to-dir"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nothing"));

        TreeDeletion.delete(tmp.resolve("tree"));

        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(outsideFile).hasContent("keep me");
        assertThat(outside.resolve("inner")).hasContent("keep me too");
    }

    @Test
    void aRootThatIsALinkOrAFileIsDeletedItself() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("real"));
        Files.writeString(target.resolve("inner"), "keep");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        TreeDeletion.delete(link);
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(target.resolve("inner")).hasContent("keep");

        Path file = Files.writeString(tmp.resolve("file"), "x");
        TreeDeletion.delete(file);
        assertThat(file).doesNotExist();
    }

    @Test
    void readOnlyDirectoriesAreDeleted() throws IOException {
        Path root = tmp.resolve("modcache");
        Path readOnly = Files.createDirectories(root.resolve("golang.org/x/sys@v0.1.0"));
        Files.writeString(readOnly.resolve("go.mod"), "module x");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(readOnly.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-x------"));

        TreeDeletion.delete(root);

        assertThat(root).doesNotExist();
    }

    @Test
    void aMountPointIsNeitherEnteredNorDeletedAndTheExceptionNamesIt() throws IOException {
        Path root = tmp.resolve("cluster");
        Path volume = Files.createDirectories(root.resolve("node/kubelet/pods/uid/volumes/secret"));
        Files.writeString(volume.resolve("token"), "live volume content");
        Files.writeString(root.resolve("node/kubelet/pods/uid/etc-hosts"), "x");
        Files.createDirectories(root.resolve("logs"));
        Files.writeString(root.resolve("logs/etcd.log"), "x");
        String mountPoint = volume.toRealPath().toString().replace(" ", "\\040");
        List<String> mountinfo = List.of("22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "950 22 0:77 / " + mountPoint + " rw,relatime shared:500 - tmpfs tmpfs rw,size=1024k");

        assertThatThrownBy(() -> TreeDeletion.delete(root, mountinfo)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot delete all of " + root)
                .hasMessageContaining(volume + " is a mount point")
                .hasMessageContaining("unmount it, then delete again");

        assertThat(volume.resolve("token")).hasContent("live volume content");
        assertThat(root.resolve("logs")).doesNotExist();
        assertThat(root.resolve("node/kubelet/pods/uid/etc-hosts")).doesNotExist();
    }

    @Test
    void theRootItselfMayBeAMountPoint() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("on-tmpfs"));
        Files.writeString(root.resolve("f"), "x");
        TreeDeletion.delete(root, List.of("950 22 0:77 / " + root.toRealPath() + " rw - tmpfs tmpfs rw"));
        assertThat(root).doesNotExist();
    }
}

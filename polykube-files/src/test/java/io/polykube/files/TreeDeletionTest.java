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
        file("tree/a/b/c/file");
        file("tree/a/top");
        Files.createDirectories(tmp.resolve("tree/empty"));
        TreeDeletion.delete(tmp.resolve("tree"));
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aMissingRootIsFine() throws IOException {
        TreeDeletion.delete(tmp.resolve("never-made"));
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void linksToAFileAndToADirectoryOutsideTheTreeAreDeletedAndTheirTargetsSurvive() throws IOException {
        Path outsideFile = file("outside/file");
        Path outsideDir = file("outside/dir/inner").getParent();
        Files.createDirectories(tmp.resolve("tree/sub"));
        Files.createSymbolicLink(tmp.resolve("tree/to-file"), outsideFile);
        Files.createSymbolicLink(tmp.resolve("tree/sub/to-dir"), outsideDir);
        Files.createSymbolicLink(tmp.resolve("tree/dangling"), tmp.resolve("nothing"));

        TreeDeletion.delete(tmp.resolve("tree"));

        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(outsideFile).hasContent("content of outside/file");
        assertThat(outsideDir.resolve("inner")).hasContent("content of outside/dir/inner");
    }

    @Test
    void aRootThatIsALinkOrAFileIsDeletedItself() throws IOException {
        Path inner = file("real/inner");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), inner.getParent());
        TreeDeletion.delete(link);
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(inner).hasContent("content of real/inner");

        TreeDeletion.delete(inner);
        assertThat(inner).doesNotExist();
    }

    @Test
    void readOnlyDirectoriesAreDeleted() throws IOException {
        Path module = file("modcache/golang.org/x/sys@v0.1.0/go.mod").getParent();
        for (Path dir = module; !dir.equals(tmp); dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        TreeDeletion.delete(tmp.resolve("modcache"));
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aMountPointIsNeitherEnteredNorDeletedAndTheExceptionNamesIt() throws IOException {
        Path root = tmp.resolve("cluster");
        Path token = file("cluster/node/kubelet/pods/uid/volumes/secret/token");
        Path volume = token.getParent();
        Path hosts = file("cluster/node/kubelet/pods/uid/etc-hosts");
        file("cluster/logs/etcd.log");
        String mountPoint = volume.toRealPath().toString().replace(" ", "\\040");
        List<String> mountinfo = List.of("22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "950 22 0:77 / " + mountPoint + " rw,relatime shared:500 - tmpfs tmpfs rw,size=1024k");

        assertThatThrownBy(() -> TreeDeletion.delete(root, mountinfo)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot delete all of " + root)
                .hasMessageContaining(volume + " is a mount point")
                .hasMessageContaining("unmount it, then delete again");

        assertThat(token).hasContent("content of cluster/node/kubelet/pods/uid/volumes/secret/token");
        assertThat(hosts).doesNotExist();
        assertThat(root.resolve("logs")).doesNotExist();
    }

    @Test
    void theRootItselfMayBeAMountPoint() throws IOException {
        Path root = file("on-tmpfs/f").getParent();
        TreeDeletion.delete(root, List.of("950 22 0:77 / " + root.toRealPath() + " rw - tmpfs tmpfs rw"));
        assertThat(root).doesNotExist();
    }

    /** A file at {@code path} under the temporary directory, with its parents; its content names it. */
    private Path file(String path) throws IOException {
        Path file = tmp.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "content of " + path);
    }
}

package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.NodeReset;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.files.MountPoints;
import io.polykube.files.PrivateDirectory;
import io.polykube.files.TreeDeletion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The mount table lists real paths: a cluster directory reached through a symbolic link must still have its volume mounts
 * found and removed, and the cleanup must never delete across a mount into the volume's own files (kubeadm reset had
 * that bug, kubernetes issue 77507).
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class CleanupThroughALinkIT {

    @Test
    void aClusterDirectoryBehindALinkHasItsVolumeUnmountedAndTheVolumesFilesKept() throws Exception {
        Path real = Files.createTempDirectory(Path.of("/tmp"), "pkreal");
        Path link = Files.createSymbolicLink(Path.of("/tmp", "pklink-" + real.getFileName()), real);
        Path volumeSource = Files.createTempDirectory(Path.of("/tmp"), "pkvolume");
        Path sentinel = Files.writeString(volumeSource.resolve("keep.txt"), "a volume's own file\n");
        Path clusterDir = link.resolve("cluster");
        PrivateDirectory.ensure(clusterDir, "the cluster directory");
        NodeDirectories dirs = new ClusterLayout(clusterDir).node();
        Path volume = Files.createDirectories(dirs.kubeletPods().resolve("uid-1/volumes/kubernetes.io~empty-dir/data"));
        try {
            ClusterHostNames names = ClusterHostNames.of("linkit");
            new NodeRecord("linkit", dirs.root().toString(), dirs.containerdSocket().toString(), dirs.runcRoot().toString(),
                    names.bridge(), names.chain(), "10.96.0.0/16", "10.244.0.0/16", "10.244.0.0/24", "1.37.2",
                    "1", false, "polykube-node", names.netns("polykube-node"), names.veth("polykube-node"), List.of()).write();
            HostCommand.run("mount", "--bind", volumeSource.toString(), volume.toString()).orThrow("bind a volume");
            assertThat(MountPoints.under(dirs.root())).as("the mount, found through the link").hasSize(1);

            List<String> problems = NodeReset.clean(clusterDir);

            assertThat(problems).isEmpty();
            assertThat(MountPoints.under(real)).as("mounts left under the real directory").isEmpty();
            assertThat(sentinel).as("the volume's own file, behind the mount").hasContent("a volume's own file\n");
            assertThat(dirs.kubeletPods()).doesNotExist();
            assertThat(NodeRecord.file(dirs.root())).doesNotExist();
        } finally {
            if (!MountPoints.under(real).isEmpty()) {
                HostCommand.run("umount", "-l", volume.toString());
            }
            Files.deleteIfExists(link);
            TreeDeletion.delete(real);
            TreeDeletion.delete(volumeSource);
        }
    }
}

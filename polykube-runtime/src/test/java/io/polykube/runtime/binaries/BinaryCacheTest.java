package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryCacheTest {

    @TempDir
    Path root;

    @Test
    void rootComesFromTheEnvironmentOrHome() {
        assertThat(BinaryCache.defaultRoot(Map.of("POLYKUBE_CACHE_DIR", "/x/y"))).isEqualTo(Path.of("/x/y"));
        assertThat(BinaryCache.defaultRoot(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "polykube"));
        BinaryCache cache = new BinaryCache(root);
        assertThat(cache.setDir(ClusterBinarySet.KUBERNETES, "1.34.4")).isEqualTo(root.resolve("bin/kubernetes-v1.34.4"));
        assertThat(cache.setDir(ClusterBinarySet.ETCD, "3.6.16")).isEqualTo(root.resolve("bin/etcd-v3.6.16"));
        assertThat(cache.setDir(ClusterBinarySet.PAUSE, "1")).isEqualTo(root.resolve("bin/pause-1"));
    }

    @Test
    void ensureWritesTheSetWithAManifestAndReusesIt() throws IOException {
        BinaryCache cache = new BinaryCache(root);
        AtomicInteger builds = new AtomicInteger();
        BinaryCache.Populator populator = dir -> {
            builds.incrementAndGet();
            return FakeBinaries.set(ClusterBinarySet.ETCD, "3.6.16").populate(dir);
        };
        Path dir = cache.ensure(ClusterBinarySet.ETCD, "3.6.16", populator);
        assertThat(dir).isEqualTo(root.resolve("bin/etcd-v3.6.16"));
        Manifest manifest = Manifest.read(dir.resolve("manifest.json"));
        assertThat(manifest.set()).isEqualTo("etcd");
        assertThat(manifest.version()).isEqualTo("3.6.16");
        assertThat(manifest.buildDate()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(manifest.files()).containsOnlyKeys("etcd", "etcdctl", "etcdutl");
        assertThat(manifest.files().get("etcd")).isEqualTo(Sha256.of(dir.resolve("etcd")));
        assertThat(cache.check(ClusterBinarySet.ETCD, "3.6.16").state()).isEqualTo(BinaryCache.State.VALID);

        cache.ensure(ClusterBinarySet.ETCD, "3.6.16", populator);
        assertThat(builds).hasValue(1);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void flippedByteMakesTheEntryCorruptAndItIsRebuilt() throws IOException {
        BinaryCache cache = new BinaryCache(root);
        Path dir = cache.ensure(ClusterBinarySet.PAUSE, "1", FakeBinaries.set(ClusterBinarySet.PAUSE, "1"));
        Path pause = dir.resolve("pause");
        byte[] bytes = Files.readAllBytes(pause);
        bytes[bytes.length - 2] ^= 0x01;
        Files.write(pause, bytes);

        BinaryCache.Check check = cache.check(ClusterBinarySet.PAUSE, "1");
        assertThat(check.state()).isEqualTo(BinaryCache.State.CORRUPT);
        assertThat(check.problem()).contains("pause has sha256").contains("manifest says");

        cache.ensure(ClusterBinarySet.PAUSE, "1", FakeBinaries.set(ClusterBinarySet.PAUSE, "1"));
        assertThat(cache.check(ClusterBinarySet.PAUSE, "1").state()).isEqualTo(BinaryCache.State.VALID);
    }

    @Test
    void missingManifestOrFileIsCorruptAndValidSetDeletesIt() throws IOException {
        BinaryCache cache = new BinaryCache(root);
        Path dir = cache.ensure(ClusterBinarySet.ETCD, "3.6.16", FakeBinaries.set(ClusterBinarySet.ETCD, "3.6.16"));
        Files.delete(dir.resolve("etcdctl"));
        assertThat(cache.check(ClusterBinarySet.ETCD, "3.6.16").problem()).contains("etcdctl is missing");

        Files.delete(dir.resolve("manifest.json"));
        assertThat(cache.check(ClusterBinarySet.ETCD, "3.6.16").problem()).isEqualTo("no manifest.json");
        assertThat(cache.validSet(ClusterBinarySet.ETCD, "3.6.16")).isEmpty();
        assertThat(dir).doesNotExist();
        assertThat(cache.check(ClusterBinarySet.ETCD, "3.6.16").state()).isEqualTo(BinaryCache.State.MISSING);
    }

    @Test
    void manifestForAnotherVersionOrIncompleteSetIsCorrupt() throws IOException {
        BinaryCache cache = new BinaryCache(root);
        Path dir = cache.ensure(ClusterBinarySet.ETCD, "3.6.16", FakeBinaries.set(ClusterBinarySet.ETCD, "3.6.16"));
        Manifest m = Manifest.read(dir.resolve("manifest.json"));
        new Manifest("etcd", "3.6.15", m.goVersion(), m.buildDate(), m.source(), Map.of("etcd", m.files().get("etcd")))
                .write(dir.resolve("manifest.json"));
        assertThat(cache.check(ClusterBinarySet.ETCD, "3.6.16").problem())
                .contains("manifest is for etcd 3.6.15, expected etcd 3.6.16")
                .contains("manifest does not list etcdctl");

        Files.writeString(dir.resolve("manifest.json"), "{ not json");
        assertThat(cache.check(ClusterBinarySet.ETCD, "3.6.16").problem()).contains("cannot read manifest");
    }

    @Test
    void failedPopulatorLeavesNothingBehind() {
        BinaryCache cache = new BinaryCache(root);
        assertThatThrownBy(() -> cache.ensure(ClusterBinarySet.KUBERNETES, "1.34.4", dir -> {
            FakeBinaries.write(dir, ClusterBinary.KUBECTL, "1.34.4");
            throw new BinaryException("go build failed (test)");
        })).isInstanceOf(BinaryException.class).hasMessage("go build failed (test)");
        assertThat(cache.setDir(ClusterBinarySet.KUBERNETES, "1.34.4")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void incompleteSetIsRefusedAndNotCached() {
        BinaryCache cache = new BinaryCache(root);
        assertThatThrownBy(() -> cache.ensure(ClusterBinarySet.KUBERNETES, "1.34.4", dir -> {
            FakeBinaries.write(dir, ClusterBinary.KUBECTL, "1.34.4");
            return new Provenance("test", null, java.time.Instant.now());
        })).isInstanceOf(BinaryException.class).hasMessageContaining("did not yield kube-apiserver");
        assertThat(cache.setDir(ClusterBinarySet.KUBERNETES, "1.34.4")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void staleTempDirectoryOfAnInterruptedBuildIsRemoved() throws IOException {
        BinaryCache cache = new BinaryCache(root);
        Path stale = Files.createDirectories(root.resolve("bin/.pause-1.tmp-12345"));
        Files.writeString(stale.resolve("pause"), "half");
        cache.ensure(ClusterBinarySet.PAUSE, "1", FakeBinaries.set(ClusterBinarySet.PAUSE, "1"));
        assertThat(stale).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    private List<Path> leftovers() {
        try (Stream<Path> s = Files.list(root.resolve("bin"))) {
            return s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

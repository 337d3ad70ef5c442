package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupOnlyViewTest {
    private static final BinaryVersions VERSIONS = BinaryVersions.of("1.34.4", "3.6.16", "1.14.1");

    @TempDir
    Path tmp;

    @Test
    void theViewHoldsTheGivenSetsAsHardLinksAndNothingElse() throws IOException {
        BinaryCache cache = cacheWith(List.of(ClusterBinarySet.ETCD, ClusterBinarySet.PAUSE, ForeignSet.TOOLS));
        Path viewDir = tmp.resolve("view");

        SetupOnlyView.replace(viewDir, cache, plan(EnumSet.of(ClusterBinarySet.ETCD, ClusterBinarySet.PAUSE)));

        BinaryCache view = new BinaryCache(viewDir);
        assertThat(view.check(ClusterBinarySet.ETCD, "3.6.16").state()).isEqualTo(BinaryCache.State.VALID);
        assertThat(view.check(ClusterBinarySet.PAUSE, "1").state()).isEqualTo(BinaryCache.State.VALID);
        assertThat(view.check(ForeignSet.TOOLS, ForeignSet.VERSION).state()).as("not given: not in the view")
                .isEqualTo(BinaryCache.State.MISSING);
        Path linked = view.setDir(ClusterBinarySet.ETCD, "3.6.16").resolve("etcd");
        Path original = cache.setDir(ClusterBinarySet.ETCD, "3.6.16").resolve("etcd");
        assertThat(Files.isSameFile(linked, original)).as("a hard link, not a copy").isTrue();
        assertThat(cache.check(ClusterBinarySet.ETCD, "3.6.16").state()).as("the cache stays valid").isEqualTo(BinaryCache.State.VALID);
    }

    @Test
    void replacingAViewDropsWhatAnEarlierRunLeftInIt() throws IOException {
        BinaryCache cache = cacheWith(List.of(ClusterBinarySet.ETCD, ForeignSet.TOOLS));
        Path viewDir = tmp.resolve("view");
        SetupOnlyView.replace(viewDir, cache, plan(List.of(ClusterBinarySet.ETCD, ForeignSet.TOOLS)));
        Files.writeString(viewDir.resolve("bin/left-by-a-test"), "x");

        SetupOnlyView.replace(viewDir, cache, plan(EnumSet.of(ClusterBinarySet.ETCD)));

        assertThat(viewDir.resolve("bin/left-by-a-test")).doesNotExist();
        assertThat(new BinaryCache(viewDir).check(ForeignSet.TOOLS, ForeignSet.VERSION).state())
                .isEqualTo(BinaryCache.State.MISSING);
    }

    @Test
    void aDirectoryItDidNotMakeOrTheCacheItselfIsRefusedAndKept() throws IOException {
        BinaryCache cache = cacheWith(EnumSet.of(ClusterBinarySet.ETCD));
        Path foreign = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(foreign.resolve("notes.txt"), "keep me");

        assertThatThrownBy(() -> SetupOnlyView.replace(foreign, cache, plan(EnumSet.of(ClusterBinarySet.ETCD))))
                .isInstanceOf(BinaryException.class).hasMessageContaining("is not a setup-only view made by polykube");
        assertThat(foreign.resolve("notes.txt")).hasContent("keep me");
        assertThatThrownBy(() -> SetupOnlyView.replace(cache.root(), cache, plan(EnumSet.of(ClusterBinarySet.ETCD))))
                .isInstanceOf(BinaryException.class).hasMessageContaining("must not hold the cache");
        assertThat(cache.check(ClusterBinarySet.ETCD, "3.6.16").state()).isEqualTo(BinaryCache.State.VALID);
    }

    @Test
    void aSetThatIsNotValidInTheCacheFailsNamingSetup() {
        BinaryCache cache = new BinaryCache(tmp.resolve("empty-cache"));
        assertThatThrownBy(() -> SetupOnlyView.replace(tmp.resolve("view"), cache, plan(EnumSet.of(ClusterBinarySet.ETCD))))
                .isInstanceOf(BinaryException.class).hasMessageContaining("etcd v3.6.16 is missing")
                .hasMessageContaining("run ./polykube setup first");
    }

    private static List<SetVersion> plan(Collection<? extends BinarySet> sets) {
        return SetVersion.plan(sets, List.of(VERSIONS));
    }

    @Test
    void twoKubernetesVersionsSideBySide() throws IOException {
        BinaryVersions v136 = KnownVersions.resolve("1.36");
        BinaryCache cache = new BinaryCache(tmp.resolve("cache"));
        List<SetVersion> plan = SetVersion.plan(EnumSet.of(ClusterBinarySet.ETCD, ClusterBinarySet.PAUSE), List.of(VERSIONS, v136));
        assertThat(plan).containsExactly(new SetVersion(ClusterBinarySet.ETCD, "3.6.16"), new SetVersion(ClusterBinarySet.ETCD, "3.6.8"),
                new SetVersion(ClusterBinarySet.PAUSE, "1"));
        plan.forEach(e -> cache.ensure(e.set(), e.version(), FakeBinaries.set(e.set(), e.version())));

        SetupOnlyView.replace(tmp.resolve("view"), cache, plan);

        BinaryCache view = new BinaryCache(tmp.resolve("view"));
        assertThat(view.check(ClusterBinarySet.ETCD, "3.6.16").state()).isEqualTo(BinaryCache.State.VALID);
        assertThat(view.check(ClusterBinarySet.ETCD, "3.6.8").state()).isEqualTo(BinaryCache.State.VALID);
    }

    private BinaryCache cacheWith(Collection<? extends BinarySet> sets) {
        BinaryCache cache = new BinaryCache(tmp.resolve("cache"));
        for (BinarySet set : sets) {
            String version = set.version(VERSIONS);
            cache.ensure(set, version, FakeBinaries.set(set, version));
        }
        return cache;
    }
}

package io.polykube.api.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.internal.run.EtcdKeyspace.Change;
import io.polykube.api.internal.run.EtcdKeyspace.Entry;
import io.polykube.api.internal.run.EtcdKeyspace.Key;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EtcdRestorePointTest {

    private static Entry saved(String key, long modRevision, long lease, String value) {
        return new Entry(Key.of(key), modRevision, lease, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Entry now(String key, long modRevision) {
        return new Entry(Key.of(key), modRevision, 0, new byte[0]);
    }

    private static Map<Key, Entry> map(Entry... entries) {
        return List.of(entries).stream().collect(Collectors.toMap(Entry::key, Function.identity()));
    }

    private static String describe(Change c) {
        return (c.isDelete() ? "delete " : "put ") + c.key() + (c.isDelete() ? "" : "=" + new String(c.value(), StandardCharsets.UTF_8));
    }

    @Test
    void keysMadeSinceAreDeletedChangedOrDeletedOnesWrittenBackUnchangedOnesLeftAlone() {
        Map<Key, Entry> saved = map(saved("/registry/a", 5, 0, "a0"), saved("/registry/b", 6, 0, "b0"),
                saved("/registry/c", 7, 0, "c0"));
        List<Entry> current = List.of(now("/registry/a", 5), now("/registry/b", 9), now("/registry/d", 10));

        assertThat(EtcdRestorePoint.changesBack(saved, current)).extracting(EtcdRestorePointTest::describe)
                .containsExactly("put /registry/b=b0", "put /registry/c=c0", "delete /registry/d");
    }

    @Test
    void keysBoundToALeaseAreNeverWrittenBackButDeletedWhenMadeSince() {
        Map<Key, Entry> saved = map(saved("/registry/events/x", 5, 42, "x0"), saved("/registry/events/y", 6, 42, "y0"));
        List<Entry> current = List.of(new Entry(Key.of("/registry/events/x"), 8, 42, new byte[0]),
                new Entry(Key.of("/registry/events/z"), 9, 43, new byte[0]));

        assertThat(EtcdRestorePoint.changesBack(saved, current)).extracting(EtcdRestorePointTest::describe)
                .containsExactly("delete /registry/events/z");
    }

    @Test
    void nothingChangedMeansNoTransaction() {
        Map<Key, Entry> saved = map(saved("/registry/a", 5, 0, "a0"));
        List<Change> changes = EtcdRestorePoint.changesBack(saved, List.of(now("/registry/a", 5)));

        assertThat(changes).isEmpty();
        assertThat(EtcdRestorePoint.transactions(changes, 128, 1024)).isEmpty();
    }

    @Test
    void transactionsAreSplitByOperationCountAndSizeAndAnOversizedChangeGoesAlone() {
        List<Change> changes = List.of(Change.delete(Key.of("k1")), Change.delete(Key.of("k2")), Change.delete(Key.of("k3")),
                Change.put(Key.of("k4"), new byte[100]), Change.delete(Key.of("k5")));

        assertThat(EtcdRestorePoint.transactions(changes, 2, 1000)).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(EtcdRestorePoint.transactions(changes, 128, 50)).extracting(List::size).containsExactly(3, 1, 1);
    }

    @Test
    void aPrefixRangeEndsAtThePrefixWithItsLastByteRaised() {
        assertThat(new String(EtcdKeyspace.prefixEnd("/registry/".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("/registry0");
        assertThat(EtcdKeyspace.prefixEnd(new byte[] {'a', (byte) 0xff})).containsExactly('b');
        assertThat(EtcdKeyspace.prefixEnd(new byte[] {(byte) 0xff})).containsExactly(0);
    }
}

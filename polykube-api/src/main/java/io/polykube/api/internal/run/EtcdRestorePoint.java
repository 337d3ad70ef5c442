package io.polykube.api.internal.run;

import io.polykube.api.internal.ComponentContext;
import io.polykube.api.internal.run.EtcdKeyspace.Change;
import io.polykube.api.internal.run.EtcdKeyspace.Entry;
import io.polykube.api.internal.run.EtcdKeyspace.Key;
import io.polykube.runtime.probe.TlsTrust;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The API server's keys in etcd as they were at the end of start, and their restore in place for a reset: the keys made
 * since are deleted and the ones changed or deleted since are written back, in transactions through etcd's own API, while
 * etcd and the API server keep running. Every watch stays open and sees the deletions and changes as events, so an
 * informer needs no relist; no client meets an error.
 *
 * <p>Each restore also compacts etcd's history up to where the previous restore began, so a thousand resets do not keep
 * a thousand resets' worth of old revisions (the API server compacts only every five minutes); a watch that is open
 * keeps running, and only a client that asks for a revision from before the previous reset gets the usual 410.
 *
 * <p>Keys bound to an etcd lease (events, API server endpoint leases) are not written back: their lease may be gone, and
 * without it they would never expire. Those made since start are deleted like any other.
 */
final class EtcdRestorePoint {
    /** Where the API server keeps its objects (its {@code --etcd-prefix}). */
    static final String PREFIX = "/registry/";
    /** etcd's default {@code --max-txn-ops}: a reset of up to this many keys is one transaction. */
    static final int MAX_OPERATIONS = 128;
    /** Below etcd's default {@code --max-request-bytes} (1.5 MiB). */
    static final int MAX_BYTES = 1024 * 1024;

    /** What a restore did. */
    record Restored(int deleted, int written, int transactions) {
    }

    private final EtcdKeyspace etcd;
    private volatile Map<Key, Entry> saved = Map.of();
    private long previousRestoreRevision;

    private EtcdRestorePoint(EtcdKeyspace etcd) {
        this.etcd = etcd;
    }

    static EtcdRestorePoint of(ComponentContext ctx) {
        return new EtcdRestorePoint(new EtcdKeyspace(ctx.etcdUrl(), TlsTrust.ca(ctx.pki().etcdCaCert())
                .withClientCertificate(ctx.pki().apiServerEtcdClientCert(), ctx.pki().apiServerEtcdClientKey())));
    }

    /** Reads every key with its value as the state to come back to; returns how many there are. */
    int save() {
        Map<Key, Entry> keys = new HashMap<>();
        for (Entry e : etcd.range(PREFIX, false).entries()) {
            keys.put(e.key(), e);
        }
        saved = Map.copyOf(keys);
        return keys.size();
    }

    /** Brings the keys back to the saved state. */
    synchronized Restored restore() {
        EtcdKeyspace.Range current = etcd.range(PREFIX, true);
        List<Change> changes = changesBack(saved, current.entries());
        List<List<Change>> transactions = transactions(changes, MAX_OPERATIONS, MAX_BYTES);
        transactions.forEach(etcd::apply);
        if (previousRestoreRevision > 0) {
            etcd.compact(previousRestoreRevision);
        }
        previousRestoreRevision = current.revision();
        int deleted = (int) changes.stream().filter(Change::isDelete).count();
        return new Restored(deleted, changes.size() - deleted, transactions.size());
    }

    /**
     * The changes that turn {@code current} (keys and revisions only) back into {@code saved}: a delete for each key made
     * since, a put of the saved value for each key changed or deleted since (unless it is bound to a lease), in key order.
     */
    static List<Change> changesBack(Map<Key, Entry> saved, List<Entry> current) {
        List<Change> changes = new ArrayList<>();
        Map<Key, Entry> now = new HashMap<>();
        for (Entry e : current) {
            now.put(e.key(), e);
            Entry before = saved.get(e.key());
            if (before == null) {
                changes.add(Change.delete(e.key()));
            } else if (before.modRevision() != e.modRevision() && before.lease() == 0) {
                changes.add(Change.put(e.key(), before.value()));
            }
        }
        for (Entry before : saved.values()) {
            if (!now.containsKey(before.key()) && before.lease() == 0) {
                changes.add(Change.put(before.key(), before.value()));
            }
        }
        changes.sort(Comparator.comparing(Change::key));
        return changes;
    }

    /** Splits the changes into transactions of at most {@code maxOperations} and (unless one change is larger) {@code maxBytes}. */
    static List<List<Change>> transactions(List<Change> changes, int maxOperations, int maxBytes) {
        List<List<Change>> transactions = new ArrayList<>();
        List<Change> current = new ArrayList<>();
        long bytes = 0;
        for (Change c : changes) {
            if (!current.isEmpty() && (current.size() == maxOperations || bytes + c.size() > maxBytes)) {
                transactions.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(c);
            bytes += c.size();
        }
        if (!current.isEmpty()) {
            transactions.add(current);
        }
        return transactions;
    }
}
